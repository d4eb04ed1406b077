public import HuddleCore
import SQLiteNIO

/// The embedded ``EventStore``: the `events` table of the SQLite file.
public struct SQLiteEventStore: EventStore {
    let database: SQLiteStorage
    let clock: @Sendable () -> Int64

    public init(database: SQLiteStorage, clock: @escaping @Sendable () -> Int64 = WallClock.millisecondsSince1970) {
        self.database = database
        self.clock = clock
    }

    public func append(_ event: NewEvent, to stream: String, expecting expected: ExpectedOffset) async throws -> StoredEvent {
        try await StoreSpan.around("append", system: "sqlite", key: stream) {
            try await self.appendNow(event, to: stream, expecting: expected)
        }
    }

    private func appendNow(_ event: NewEvent, to stream: String, expecting expected: ExpectedOffset) async throws -> StoredEvent {
        let wanted: Int64? =
            switch expected {
            case .any: nil
            case .exactly(let offset): offset
            }
        let recordedAt = self.clock()
        let write = SQLiteWrite.append(stream: stream, name: event.name, data: event.data, recordedAt: recordedAt, expected: wanted)
        switch try await self.database.write(write) {
        case .appended(let offset):
            return StoredEvent(stream: stream, offset: offset, name: event.name, data: event.data, recordedAt: recordedAt)
        case .conflict(let actual):
            throw EventStoreError.conflict(stream: stream, expected: wanted ?? actual, actual: actual)
        case .counted, .rows:
            throw EventStoreError.unavailable("the database answered an append with something else")
        }
    }

    public func read(_ stream: String, after offset: Int64, limit: Int) async throws -> [StoredEvent] {
        guard limit > 0 else { return [] }
        let rows = try await self.database.read(
            "SELECT seq, name, data, recorded_at FROM events WHERE stream = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            [.text(stream), .integer(Int(max(offset, 0))), .integer(limit)]
        )
        return rows.map { row in
            StoredEvent(
                stream: stream,
                offset: Int64(row.column("seq")?.integer ?? 0),
                name: row.column("name")?.string ?? "",
                data: row.column("data")?.string ?? "null",
                recordedAt: Int64(row.column("recorded_at")?.integer ?? 0)
            )
        }
    }

    public func head(of stream: String) async throws -> Int64 {
        let rows = try await self.database.read(
            "SELECT COALESCE(MAX(seq), 0) AS head FROM events WHERE stream = ?1",
            [.text(stream)]
        )
        return Int64(rows.first?.column("head")?.integer ?? 0)
    }
}
