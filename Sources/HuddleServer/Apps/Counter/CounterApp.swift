public import HuddleCore
public import HuddleGateway

/// Seed 003's highly-available counter, on the realtime core.
///
/// A counter's value is its offset: increment n stores count n, so channel `counter:{id}`
/// carries `incremented {count: n}` at offset n, and its history is just the current value.
public struct CounterApp: ChannelApp {
    public static let kind = "counter"
    public var kind: String { Self.kind }

    let counters: any Counters
    let log: EventLog

    public init(counters: any Counters, log: EventLog) {
        self.counters = counters
        self.log = log
    }

    /// Adds one, tells the counter's subscribers, and returns the new count.
    public func increment(_ id: String) async throws -> Int64 {
        let count = try await self.counters.increment(id)
        // The count is stored; a lost doorbell is caught up with the next one or on resubscribe.
        await self.log.announce(Self.event(id: id, count: count, at: WallClock.millisecondsSince1970()))
        return count
    }

    public func value(_ id: String) async throws -> Int64 {
        try await self.counters.value(of: id)
    }

    /// The current value, without a time: when its last increment happened is not kept.
    public func history(of channel: ChannelName, after offset: Int64, limit: Int) async throws -> [StoredEvent] {
        let count = try await self.counters.value(of: channel.id)
        return count > offset && limit > 0 ? [Self.event(id: channel.id, count: count, at: nil)] : []
    }

    public func head(of channel: ChannelName) async throws -> Int64 {
        try await self.counters.value(of: channel.id)
    }

    /// Anyone may count, guests included (seed 003 had no accounts).
    public func handle(command name: String, data: JSONValue, on channel: ChannelName, as identity: Identity) async throws -> Int64 {
        guard name == "increment" else { throw CommandRejection.unknownCommand(name, kind: Self.kind) }
        return try await self.increment(channel.id)
    }

    static func event(id: String, count: Int64, at time: Int64?) -> StoredEvent {
        StoredEvent(stream: "\(Self.kind):\(id)", offset: count, name: "incremented", data: "{\"count\":\(count)}", recordedAt: time)
    }
}
