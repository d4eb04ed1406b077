public import HuddleCore
import PostgresNIO

/// The cluster ``EventStore``: the `events` table, shared by every replica.
///
/// An append is one statement that reads the head and inserts after it. Two replicas that
/// race compute the same next offset; the primary key (stream, seq) lets exactly one commit,
/// and the other gets a unique violation: a conflict when it expected that head, a retry
/// when it expected nothing.
public struct PostgresEventStore: EventStore {
    let database: PostgresStorage
    let clock: @Sendable () -> Int64
    /// Appends with ``ExpectedOffset/any`` retry this often when they lose a race.
    static let retries = 20

    public init(database: PostgresStorage, clock: @escaping @Sendable () -> Int64 = WallClock.millisecondsSince1970) {
        self.database = database
        self.clock = clock
    }

    public func append(_ event: NewEvent, to stream: String, expecting expected: ExpectedOffset) async throws -> StoredEvent {
        var attempt = 0
        while true {
            do {
                return try await self.appendOnce(event, to: stream, expecting: expected)
            } catch let error where PostgresStorage.sqlState(of: error) == "23505" {
                attempt += 1
                if case .any = expected, attempt < Self.retries { continue }
                let actual = try await self.head(of: stream)
                let wanted: Int64 = if case .exactly(let offset) = expected { offset } else { actual }
                throw EventStoreError.conflict(stream: stream, expected: wanted, actual: actual)
            }
        }
    }

    private func appendOnce(_ event: NewEvent, to stream: String, expecting expected: ExpectedOffset) async throws
        -> StoredEvent
    {
        let expectedHead: Int64? = if case .exactly(let offset) = expected { offset } else { nil }
        let recordedAt = self.clock()
        let rows = try await self.database.query(
            """
            INSERT INTO events (stream, seq, name, data, recorded_at)
            SELECT \(stream), head + 1, \(event.name), \(event.data), \(recordedAt)
            FROM (SELECT COALESCE(MAX(seq), 0) AS head FROM events WHERE stream = \(stream)) AS current
            WHERE \(expectedHead)::BIGINT IS NULL OR head = \(expectedHead)::BIGINT
            RETURNING seq
            """
        )
        guard let row = rows.first else {
            let actual = try await self.head(of: stream)
            throw EventStoreError.conflict(stream: stream, expected: expectedHead ?? actual, actual: actual)
        }
        let seq = try row.decode(Int64.self)
        return StoredEvent(stream: stream, offset: seq, name: event.name, data: event.data, recordedAt: recordedAt)
    }

    public func read(_ stream: String, after offset: Int64, limit: Int) async throws -> [StoredEvent] {
        guard limit > 0 else { return [] }
        let rows = try await self.database.query(
            """
            SELECT seq, name, data, recorded_at FROM events
            WHERE stream = \(stream) AND seq > \(max(offset, 0)) ORDER BY seq LIMIT \(limit)
            """
        )
        return try rows.map { row in
            let (seq, name, data, recordedAt) = try row.decode((Int64, String, String, Int64).self)
            return StoredEvent(stream: stream, offset: seq, name: name, data: data, recordedAt: recordedAt)
        }
    }

    public func head(of stream: String) async throws -> Int64 {
        let rows = try await self.database.query("SELECT COALESCE(MAX(seq), 0) FROM events WHERE stream = \(stream)")
        return try rows.first?.decode(Int64.self) ?? 0
    }
}
