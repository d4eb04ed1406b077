public import HuddleCore

/// What the gateway needs from the app behind a kind of channel (`counter`, `board`…).
///
/// The gateway owns subscriptions, ordering and fan-out; an app owns its history and its
/// commands, and writes through an ``EventLog``. Most apps are a ``StreamApp`` over their
/// domain's ``StreamModel``.
public protocol ChannelApp: Sendable {
    /// The channel kind it serves: `board` for `board:{id}`.
    var kind: String { get }
    /// Events after `offset`, oldest first, at most `limit`. An app whose history is only its
    /// latest state returns that one event, at the current offset.
    func history(of channel: ChannelName, after offset: Int64, limit: Int) async throws -> [StoredEvent]
    /// The channel's current offset.
    func head(of channel: ChannelName) async throws -> Int64
    /// Runs a command for `identity` (a signed-in user with a role, or a guest) and returns the
    /// offset of the event it stored. Throws ``CommandRejection`` for a command the app refuses
    /// (`forbidden` for one the identity may not run).
    func handle(command name: String, data: JSONValue, on channel: ChannelName, as identity: Identity) async throws -> Int64
    /// Whether `identity` may subscribe to `channel` (and so appear in its presence and signal
    /// on it): throws ``CommandRejection`` (e.g. `not_found`) when not. By default every
    /// channel may be joined.
    func admit(_ identity: Identity, to channel: ChannelName) async throws
    /// `member` (acting as `identity`) has subscribed to `channel` and is in its presence.
    func joined(_ member: PresenceMember, as identity: Identity, channel: ChannelName) async
    /// `member` has left `channel`: unsubscribed, disconnected or drained.
    func left(_ member: PresenceMember, channel: ChannelName) async
}

extension ChannelApp {
    public func admit(_ identity: Identity, to channel: ChannelName) async throws {}
    public func joined(_ member: PresenceMember, as identity: Identity, channel: ChannelName) async {}
    public func left(_ member: PresenceMember, channel: ChannelName) async {}
}

/// The apps by channel kind.
public struct ChannelDirectory: Sendable {
    private let apps: [String: any ChannelApp]

    /// Each app under its own kind; two apps of one kind are a programming error.
    public init(_ apps: [any ChannelApp]) {
        self.apps = Dictionary(apps.map { ($0.kind, $0) }) { first, _ in
            preconditionFailure("two apps serve '\(first.kind)' channels")
        }
    }

    public func app(for channel: ChannelName) -> (any ChannelApp)? {
        self.apps[channel.kind]
    }

    /// The kinds served, sorted.
    public var kinds: [String] { self.apps.keys.sorted() }
}
