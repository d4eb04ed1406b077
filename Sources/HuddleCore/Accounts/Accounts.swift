/// Users and their refresh-token sessions.
///
/// Contract (one suite runs it against every backend):
/// - `create` refuses a username or email that exists, compared case-insensitively (callers
///   store both lower-cased), with ``AccountsError/taken(_:)`` naming the field.
/// - `user(login:)` finds a user by username or by email.
/// - `update` refuses an email another user has, with ``AccountsError/taken(_:)`` `(.email)`,
///   and then changes nothing; a user's own email again is no conflict.
/// - `users(matching:offset:limit:)` lists in creation order (ties by id), so pages are stable;
///   with a ``UserSearch``, only users whose username or display name (and, when the search
///   says so, email) contains its text, ignoring ASCII case; `userCount(matching:)` counts them.
/// - `rotate` is atomic: of two concurrent rotations of one token exactly one gets `.rotated`;
///   the other is a reuse and revokes the family. A revoked family's tokens, including ones
///   issued after the revocation started, never rotate again.
/// - A token rotated less than `reuseInterval` ago (and whose family is live) is not a reuse:
///   presenting it again adds `replacementHash` to the family and answers `.rotated`, so a
///   client whose refresh response was lost stays signed in. Earlier successors stay live.
///   Later, presenting it is a reuse.
public protocol Accounts: Sendable {
    func create(_ user: User) async throws
    func user(id: String) async throws -> User?
    func user(login: String) async throws -> User?
    func users(matching search: UserSearch?, offset: Int, limit: Int) async throws -> [User]
    func userCount(matching search: UserSearch?) async throws -> Int
    /// Applies `changes` and returns the user as stored, or nil if there is no such user.
    /// Throws ``AccountsError/taken(_:)`` when the new email is another user's.
    func update(id: String, _ changes: UserChanges) async throws -> User?

    /// Stores the first token of a new family.
    func startSession(_ session: RefreshSession) async throws
    /// Rotates the token whose hash is `tokenHash` to `replacementHash`, valid until `expiresAt`;
    /// a token rotated less than `reuseInterval` milliseconds ago rotates again (see the contract).
    func rotate(tokenHash: String, replacementHash: String, now: Int64, expiresAt: Int64, reuseInterval: Int64) async throws
        -> RefreshOutcome
    /// The live session of a token (not rotated, not revoked, not expired), without rotating it.
    func session(tokenHash: String, now: Int64) async throws -> RefreshSession?
    /// Revokes the family of the token whose hash is `tokenHash` (logout). Unknown tokens are ignored.
    func revokeFamily(ofTokenHash tokenHash: String, now: Int64) async throws
    /// Revokes every family of a user but `keptFamily` (nil: every one): deactivation ends
    /// them all, a password change all but the session that made it.
    func revokeSessions(ofUser userID: String, except keptFamily: String?, now: Int64) async throws
}

/// What an admin's user list filters by.
public struct UserSearch: Sendable, Hashable {
    /// Lower-cased; matched as a substring.
    public var text: String
    /// Whether emails are searched too (only for viewers who may see them).
    public var includesEmail: Bool

    public init(_ text: String, includesEmail: Bool) {
        self.text = text.lowercased()
        self.includesEmail = includesEmail
    }

    /// Whether `user` matches, as every backend must decide it.
    public func matches(_ user: User) -> Bool {
        let fields = [user.username, user.displayName] + (self.includesEmail ? [user.email] : [])
        return fields.contains { $0.lowercased().contains(self.text) }
    }

    /// The text as a `LIKE` pattern, its wildcards escaped with `\`.
    public var likePattern: String {
        "%" + self.text.replacing("\\", with: "\\\\").replacing("%", with: "\\%").replacing("_", with: "\\_") + "%"
    }
}

extension Accounts {
    public func users(offset: Int, limit: Int) async throws -> [User] {
        try await self.users(matching: nil, offset: offset, limit: limit)
    }

    public func userCount() async throws -> Int {
        try await self.userCount(matching: nil)
    }

    /// Rotates without a reuse interval: a rotated token presented again is always a reuse.
    public func rotate(tokenHash: String, replacementHash: String, now: Int64, expiresAt: Int64) async throws
        -> RefreshOutcome
    {
        try await self.rotate(tokenHash: tokenHash, replacementHash: replacementHash, now: now, expiresAt: expiresAt, reuseInterval: 0)
    }

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
