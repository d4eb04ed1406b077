/// What a user may do beyond using the apps: `admin` manages users, `agent` answers chats
/// (the Chat app's live humans), `user` is everyone else.
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
    case admin, agent, user
}

/// An account. `username` and `email` are stored lower-cased, so uniqueness and look-ups are
/// case-insensitive; `passwordHash` is a bcrypt hash and never leaves the server.
public struct User: Sendable, Hashable {
    public var id: String
    public var username: String
    public var email: String
    public var displayName: String
    public var passwordHash: String
    public var role: Role
    public var active: Bool
    /// Milliseconds since 1970.
    public var createdAt: Int64

    public init(
        id: String, username: String, email: String, displayName: String, passwordHash: String, role: Role = .user,
        active: Bool = true, createdAt: Int64
    ) {
        self.id = id
        self.username = username
        self.email = email
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.role = role
        self.active = active
        self.createdAt = createdAt
    }
}

/// The changes made to a user, by an admin (role, active, display name) or by the user
/// themselves (display name, email, password); nil leaves a field as it is. `email` must be
/// canonical (lower-cased) and `passwordHash` a bcrypt hash, as in ``User``.
public struct UserChanges: Sendable, Hashable {
    public var role: Role?
    public var active: Bool?
    public var displayName: String?
    public var email: String?
    public var passwordHash: String?

    public init(
        role: Role? = nil, active: Bool? = nil, displayName: String? = nil, email: String? = nil, passwordHash: String? = nil
    ) {
        self.role = role
        self.active = active
        self.displayName = displayName
        self.email = email
        self.passwordHash = passwordHash
    }
}
