/// An ``EventStore`` held in memory: for tests and for `--store memory` demos. Lost on exit.
public actor InMemoryEventStore: EventStore {
    private var streams: [String: [StoredEvent]] = [:]
    private let clock: @Sendable () -> Int64

    public init(clock: @escaping @Sendable () -> Int64 = WallClock.millisecondsSince1970) {
        self.clock = clock
    }

    public func append(_ event: NewEvent, to stream: String, expecting expected: ExpectedOffset) throws -> StoredEvent {
        let events = self.streams[stream, default: []]
        let head = Int64(events.count)
        if case .exactly(let offset) = expected, offset != head {
            throw EventStoreError.conflict(stream: stream, expected: offset, actual: head)
        }
        let stored = StoredEvent(stream: stream, offset: head + 1, name: event.name, data: event.data, recordedAt: self.clock())
        self.streams[stream, default: []].append(stored)
        return stored
    }

    public func read(_ stream: String, after offset: Int64, limit: Int) -> [StoredEvent] {
        guard let events = self.streams[stream], limit > 0 else { return [] }
        let start = Int(max(offset, 0))
        guard start < events.count else { return [] }
        return Array(events[start..<min(events.count, start + limit)])
    }

    public func head(of stream: String) -> Int64 {
        Int64(self.streams[stream]?.count ?? 0)
    }
}
