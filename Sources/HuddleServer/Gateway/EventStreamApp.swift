public import HuddleCore

/// A ``ChannelApp`` whose channel is a stream of the ``EventStore``: the shape of every app
/// with a real history (boards, tournaments, chats).
///
/// Each command is decided against the stream's head and appended with that head as the
/// expected offset, so two replicas racing on one stream cannot both win.
public struct EventStreamApp: ChannelApp {
    /// Turns a command into the event to append, or throws ``CommandRejection``.
    public typealias Decide = @Sendable (
        _ command: String, _ data: JSONValue, _ head: Int64, _ member: PresenceMember, _ identity: Identity
    ) async throws -> NewEvent

    let store: any EventStore
    let broker: any Broker
    let decide: Decide

    public init(store: any EventStore, broker: any Broker, decide: @escaping Decide) {
        self.store = store
        self.broker = broker
        self.decide = decide
    }

    public func history(of channel: ChannelName, after offset: Int64, limit: Int) async throws -> [StoredEvent] {
        try await self.store.read(channel.description, after: offset, limit: limit)
    }

    public func head(of channel: ChannelName) async throws -> Int64 {
        try await self.store.head(of: channel.description)
    }

    public func handle(
        command name: String, data: JSONValue, on channel: ChannelName, by member: PresenceMember, as identity: Identity
    ) async throws -> Int64 {
        let stream = channel.description
        let head = try await self.store.head(of: stream)
        let event = try await self.decide(name, data, head, member, identity)
        let stored = try await self.store.append(event, to: stream, expecting: .exactly(head))
        await self.broker.ring(
            BrokerMessage(kind: .event, offset: stored.offset, frame: ServerFrame.event(stored).text), on: stream)
        return stored.offset
    }
}
