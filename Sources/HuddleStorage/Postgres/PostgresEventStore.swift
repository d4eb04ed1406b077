public import HuddleCore
import PostgresNIO

/// The cluster ``EventStore``: the `events` table, shared by every replica.
///
/// Appends are group-committed per replica: those that arrive while a batch commits form the
/// next (``PostgresAppendBatch``), one transaction for all of them. A lone append is one
/// statement that reads the head and inserts after it. Two replicas that race compute the
/// same next offset; the primary key (stream, seq) lets exactly one commit, and the other gets
/// a unique violation: a conflict when it expected that head, a retry when it expected nothing.
public struct PostgresEventStore: EventStore {
    let database: PostgresStorage
    let clock: @Sendable () -> Int64
    private let appends: GroupCommit<PostgresAppendBatch.Append, StoredEvent>
    /// Appends with ``ExpectedOffset/any`` retry this often when they lose a race.
    static let retries = 20
    /// Appends per batch at most: bounds how long the last of them waits for its commit.
    static let maximumBatch = 256

    public init(database: PostgresStorage, clock: @escaping @Sendable () -> Int64 = WallClock.millisecondsSince1970) {
        self.database = database
        self.clock = clock
        self.appends = GroupCommit(maximumBatch: Self.maximumBatch) { batch in
            if batch.count == 1 {
                let only = batch[0]
                return [await Result(catching: { try await Self.appendAlone(only, on: database) })]
            }
            return await PostgresAppendBatch.commit(batch, on: database) { append in
                try await Self.appendAlone(append, on: database)
            }
        }
    }

    public func append(_ event: NewEvent, to stream: String, expecting expected: ExpectedOffset) async throws -> StoredEvent {
        try await StoreSpan.around("append", system: "postgresql", key: stream) {
            try await self.appends.submit(.init(event: event, stream: stream, expected: expected, recordedAt: self.clock()))
        }
    }

    /// One append on its own: its single statement, retried after losing a race when it
    /// expected any offset.
    static func appendAlone(_ append: PostgresAppendBatch.Append, on database: PostgresStorage) async throws -> StoredEvent {
        var attempt = 0
        while true {
            do {
                return try await Self.appendOnce(append, on: database)
            } catch let error where PostgresStorage.sqlState(of: error) == "23505" {
                attempt += 1
                if case .any = append.expected, attempt < Self.retries { continue }
                let actual = try await PostgresEventStore.head(of: append.stream, on: database)
                let wanted: Int64 = if case .exactly(let offset) = append.expected { offset } else { actual }
                throw EventStoreError.conflict(stream: append.stream, expected: wanted, actual: actual)
            }
        }
    }

    private static func appendOnce(_ append: PostgresAppendBatch.Append, on database: PostgresStorage) async throws
        -> StoredEvent
    {
        let (event, stream, recordedAt) = (append.event, append.stream, append.recordedAt)
        let expectedHead = append.expectedHead
        let rows = try await database.query(
            """
            INSERT INTO events (stream, seq, name, data, recorded_at)
            SELECT \(stream), head + 1, \(event.name), \(event.data), \(recordedAt)
            FROM (SELECT COALESCE(MAX(seq), 0) AS head FROM events WHERE stream = \(stream)) AS current
            WHERE \(expectedHead)::BIGINT IS NULL OR head = \(expectedHead)::BIGINT
            RETURNING seq
            """
        )
        guard let row = rows.first else {
            let actual = try await Self.head(of: stream, on: database)
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
        try await Self.head(of: stream, on: self.database)
    }

    static func head(of stream: String, on database: PostgresStorage) async throws -> Int64 {
        let rows = try await database.query("SELECT COALESCE(MAX(seq), 0) FROM events WHERE stream = \(stream)")
        return try rows.first?.decode(Int64.self) ?? 0
    }
}
