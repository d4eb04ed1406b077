public import HuddleCore
public import Logging

/// Seed 003's highly-available counter, on the realtime core.
///
/// A counter's value is its offset: increment n stores count n, so channel `counter:{id}`
/// carries `incremented {count: n}` at offset n, and its history is just the current value.
public struct CounterApp: ChannelApp {
    public static let kind = "counter"

    let counters: any Counters
    let broker: any Broker
    let logger: Logger

    public init(counters: any Counters, broker: any Broker, logger: Logger) {
        self.counters = counters
        self.broker = broker
        self.logger = logger
    }

    /// Adds one, tells the counter's subscribers, and returns the new count.
    public func increment(_ id: String) async throws -> Int64 {
        let count = try await self.counters.increment(id)
        let event = Self.event(id: id, count: count)
        do {
            try await self.broker.publish(
                BrokerMessage(kind: .event, offset: count, frame: ServerFrame.event(event).text), to: event.stream)
        } catch {
            // The count is stored; subscribers get it with the next increment or on resubscribe.
            self.logger.warning("Counter update not published", metadata: ["counter": .string(id), "error": "\(error)"])
        }
        return count
    }

    public func value(_ id: String) async throws -> Int64 {
        try await self.counters.value(of: id)
    }

    public func history(of channel: ChannelName, after offset: Int64, limit: Int) async throws -> [StoredEvent] {
        let count = try await self.counters.value(of: channel.id)
        return count > offset && limit > 0 ? [Self.event(id: channel.id, count: count)] : []
    }

    public func head(of channel: ChannelName) async throws -> Int64 {
        try await self.counters.value(of: channel.id)
    }

    /// Anyone may count, guests included (seed 003 had no accounts).
    public func handle(
        command name: String, data: JSONValue, on channel: ChannelName, by member: PresenceMember, as identity: Identity
    ) async throws -> Int64 {
        guard name == "increment" else { throw CommandRejection.unknownCommand(name, kind: Self.kind) }
        return try await self.increment(channel.id)
    }

    static func event(id: String, count: Int64) -> StoredEvent {
        StoredEvent(
            stream: "\(Self.kind):\(id)", offset: count, name: "incremented", data: "{\"count\":\(count)}",
            recordedAt: WallClock.millisecondsSince1970())
    }
}
