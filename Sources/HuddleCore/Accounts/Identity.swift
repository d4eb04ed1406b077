/// Who is behind a request or a realtime connection: a signed-in user or a guest.
///
/// Guests have an id and a name but no account and no role; apps decide what guests may do
/// (a guest can use the Counter, only admins manage users).
public struct Identity: Sendable, Hashable {
    /// The user's id, or `guest-…` for a guest.
    public var id: String
    /// The name others see.
    public var name: String
    /// nil for guests.
    public var role: Role?
    /// The username of an account; nil for guests.
    public var username: String?

    public init(id: String, name: String, role: Role?, username: String?) {
        self.id = id
        self.name = name
        self.role = role
        self.username = username
    }

    public var isGuest: Bool { self.role == nil }
    public var isAdmin: Bool { self.role == .admin }

    /// A new guest with a random name (a first name and two characters, as in seed 000).
    public static func guest(id: String, name: String = GuestName.random()) -> Identity {
        Identity(id: id, name: name, role: nil, username: nil)
    }

    /// The identity of a signed-in user.
    public init(user: User) {
        self.init(id: user.id, name: user.displayName, role: user.role, username: user.username)
    }
}
