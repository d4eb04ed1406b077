/// Users and their refresh-token sessions.
///
/// Contract (one suite runs it against every backend):
/// - `create` refuses a username or email that exists, compared case-insensitively (callers
///   store both lower-cased), with ``AccountsError/taken(_:)`` naming the field.
/// - `user(login:)` finds a user by username or by email.
/// - `update` refuses an email another user has, with ``AccountsError/taken(_:)`` `(.email)`,
///   and then changes nothing; a user's own email again is no conflict.
/// - `users(offset:limit:)` lists in creation order (ties by id), so pages are stable.
/// - `rotate` is atomic: of two concurrent rotations of one token exactly one gets `.rotated`;
///   the other is a reuse and revokes the family. A revoked family's tokens, including ones
///   issued after the revocation started, never rotate again.
public protocol Accounts: Sendable {
    func create(_ user: User) async throws
    func user(id: String) async throws -> User?
    func user(login: String) async throws -> User?
    func users(offset: Int, limit: Int) async throws -> [User]
    func userCount() async throws -> Int
    /// Applies `changes` and returns the user as stored, or nil if there is no such user.
    /// Throws ``AccountsError/taken(_:)`` when the new email is another user's.
    func update(id: String, _ changes: UserChanges) async throws -> User?

    /// Stores the first token of a new family.
    func startSession(_ session: RefreshSession) async throws
    /// Rotates the token whose hash is `tokenHash` to `replacementHash`, valid until `expiresAt`.
    func rotate(tokenHash: String, replacementHash: String, now: Int64, expiresAt: Int64) async throws -> RefreshOutcome
    /// The live session of a token (not rotated, not revoked, not expired), without rotating it.
    func session(tokenHash: String, now: Int64) async throws -> RefreshSession?
    /// Revokes the family of the token whose hash is `tokenHash` (logout). Unknown tokens are ignored.
    func revokeFamily(ofTokenHash tokenHash: String, now: Int64) async throws
    /// Revokes every family of a user but `keptFamily` (nil: every one): deactivation ends
    /// them all, a password change all but the session that made it.
    func revokeSessions(ofUser userID: String, except keptFamily: String?, now: Int64) async throws
}

extension Accounts {
    /// Revokes every family of a user.
    public func revokeSessions(ofUser userID: String, now: Int64) async throws {
        try await self.revokeSessions(ofUser: userID, except: nil, now: now)
    }
}

/// Failures of ``Accounts`` a caller can act on.
public enum AccountsError: Error, Sendable, Hashable {
    /// A user with this username or email exists.
    case taken(AccountField)
}

/// The fields of an account that input validation and uniqueness talk about.
public enum AccountField: String, Sendable, Hashable, CaseIterable {
    case username, email, password, displayName, login, role, active
    /// A password change's two passwords.
    case currentPassword, newPassword
}
