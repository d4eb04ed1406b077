/// Someone present on a channel: one entry per connection.
public struct PresenceMember: Sendable, Hashable, Codable {
    /// The connection's id, unique across replicas.
    public var id: String
    /// The display name others see.
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// Who is on each channel, across replicas.
///
/// Cluster backends keep entries alive by heartbeat and let them expire, so a crashed
/// replica's members disappear everywhere within seconds.
public protocol Presence: Sendable {
    func join(_ member: PresenceMember, channel: String) async throws
    func leave(memberID: String, channel: String) async throws
    /// Every current member once, in no particular order.
    func members(of channel: String) async throws -> [PresenceMember]
    /// Keeps this replica's members of `channel` alive. Cluster backends forget members that
    /// are not refreshed within their time to live: the members of a replica that died.
    func refresh(_ members: [PresenceMember], channel: String) async throws
    /// Removes the members of `channel` whose time to live ran out and returns them. Across
    /// replicas each one is returned once, so exactly one replica announces the departure.
    func reapExpired(channel: String) async throws -> [PresenceMember]
}
