/// Credentials for `AUTH`: a password alone (the `default` user), or an ACL user and password.
public struct RESPAuthentication: Sendable, Hashable {
    public var username: String?
    public var password: String

    public init(username: String? = nil, password: String) {
        self.username = username
        self.password = password
    }
}
