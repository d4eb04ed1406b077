/// One refresh token of a login session, stored by the SHA-256 hash of the token (never the
/// token itself, so a leaked database cannot be replayed).
///
/// Every login starts a *family*; each refresh rotates the token: the presented one is marked
/// rotated and a new one joins the family. Presenting a rotated token again means two parties
/// hold the same session (one of them stole it), so the whole family is revoked.
public struct RefreshSession: Sendable, Hashable {
    public var tokenHash: String
    public var familyID: String
    public var userID: String
    /// Milliseconds since 1970.
    public var createdAt: Int64
    public var expiresAt: Int64

    public init(tokenHash: String, familyID: String, userID: String, createdAt: Int64, expiresAt: Int64) {
        self.tokenHash = tokenHash
        self.familyID = familyID
        self.userID = userID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// What presenting a refresh token led to.
public enum RefreshOutcome: Sendable, Hashable {
    /// The token was live; it is now rotated and `replacement` is the family's live token.
    case rotated(RefreshSession)
    /// The token had already been rotated: its family (`familyID`, of `userID`) is now revoked.
    case reused(familyID: String, userID: String)
    /// Unknown, expired, or revoked (logged out, deactivated, or reused before).
    case invalid
}
