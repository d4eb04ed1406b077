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
        // One statement: read the head and insert after it atomically, only if the head is the
        // expected one. The primary key (stream, seq) is the last line of defence.
        let expectedBind: SQLiteData =
            switch expected {
            case .any: .null
            case .exactly(let offset): .integer(Int(offset))
            }
        let recordedAt = self.clock()
        let rows = try await self.database.query(
            """
            INSERT INTO events (stream, seq, name, data, recorded_at)
            SELECT ?1, head + 1, ?2, ?3, ?4
            FROM (SELECT COALESCE(MAX(seq), 0) AS head FROM events WHERE stream = ?1)
            WHERE ?5 IS NULL OR head = ?5
            RETURNING seq
            """,
            [.text(stream), .text(event.name), .text(event.data), .integer(Int(recordedAt)), expectedBind]
        )
        guard let seq = rows.first?.column("seq")?.integer else {
            let actual = try await self.head(of: stream)
            let wanted: Int64 = if case .exactly(let offset) = expected { offset } else { actual }
            throw EventStoreError.conflict(stream: stream, expected: wanted, actual: actual)
        }
        return StoredEvent(stream: stream, offset: Int64(seq), name: event.name, data: event.data, recordedAt: recordedAt)
    }

    public func read(_ stream: String, after offset: Int64, limit: Int) async throws -> [StoredEvent] {
        guard limit > 0 else { return [] }
        let rows = try await self.database.query(
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
        let rows = try await self.database.query(
            "SELECT COALESCE(MAX(seq), 0) AS head FROM events WHERE stream = ?1",
            [.text(stream)]
        )
        return Int64(rows.first?.column("head")?.integer ?? 0)
    }
}
