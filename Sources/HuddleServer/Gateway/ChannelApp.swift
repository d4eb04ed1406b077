public import HuddleCore

/// What the gateway needs from the app behind a kind of channel (`counter`, `board`…).
///
/// The gateway owns subscriptions, ordering and fan-out; an app owns its history and its
/// commands. Apps publish their own events on the broker after they are stored.
public protocol ChannelApp: Sendable {
    /// Events after `offset`, oldest first, at most `limit`. An app whose history is only its
    /// latest state returns that one event, at the current offset.
    func history(of channel: ChannelName, after offset: Int64, limit: Int) async throws -> [StoredEvent]
    /// The channel's current offset.
    func head(of channel: ChannelName) async throws -> Int64
    /// Runs a command and returns the offset of the event it stored. Throws
    /// ``CommandRejection`` for a command the app refuses (`forbidden` for one the identity may
    /// not run). `member` is the connection as others see it; `identity` is who is behind it:
    /// a signed-in user with a role, or a guest.
    func handle(
        command name: String, data: JSONValue, on channel: ChannelName, by member: PresenceMember, as identity: Identity
    ) async throws -> Int64
    /// Whether `identity` may subscribe to `channel` (and so appear in its presence and
    /// signal on it): throws ``CommandRejection`` (e.g. `not_found`) when not. Every channel
    /// of an app that does not implement it may be joined.
    func admit(_ identity: Identity, to channel: ChannelName) async throws
}

extension ChannelApp {
    public func admit(_ identity: Identity, to channel: ChannelName) async throws {}
}

/// The apps by channel kind.
public struct ChannelDirectory: Sendable {
    private var apps: [String: any ChannelApp] = [:]

    public init() {}

    public mutating func register(_ app: any ChannelApp, kind: String) {
        self.apps[kind] = app
    }

    public func app(for channel: ChannelName) -> (any ChannelApp)? {
        self.apps[channel.kind]
    }
}
