public import HuddleCore

/// The one way apps write events: append to the store, then ring the broker with the event's
/// wire frame, rendered once here. Apps never build broker messages or frames themselves.
///
/// The broker is only a doorbell (see ``Broker/ring(_:on:patience:)``): the acknowledgement
/// waits for it briefly, and a subscriber that misses it catches up from the store.
public struct EventLog: Sendable {
    public let store: any EventStore
    let broker: any Broker

    public init(store: any EventStore, broker: any Broker) {
        self.store = store
        self.broker = broker
    }

    /// Appends `event` to `stream` (see ``EventStore/append(_:to:expecting:)``) and rings.
    public func append(_ event: NewEvent, to stream: String, expecting expected: ExpectedOffset) async throws -> StoredEvent {
        let stored = try await self.store.append(event, to: stream, expecting: expected)
        await self.announce(stored)
        return stored
    }

    /// Rings for an event already stored elsewhere (a counter's new value).
    public func announce(_ event: StoredEvent) async {
        let message = BrokerMessage(kind: .event, offset: event.offset, frame: ServerFrame.event(event).text)
        await self.broker.ring(message, on: event.stream)
    }

    public func read(_ stream: String, after offset: Int64, limit: Int) async throws -> [StoredEvent] {
        try await self.store.read(stream, after: offset, limit: limit)
    }

    public func head(of stream: String) async throws -> Int64 {
        try await self.store.head(of: stream)
    }
}
