import HuddleCore
import Logging
import PostgresNIO

/// Appends committed together on PostgreSQL: one transaction that locks the batch's streams,
/// reads their heads once, decides every append as one at a time would (``AppendBatch``) and
/// inserts all that won in one statement.
///
/// The locks are transaction-scoped advisory locks on the streams' names, taken in sorted
/// order, so that two replicas' batches on shared streams wait for each other instead of
/// deadlocking, and the heads they read cannot move before the insert. A lone append of
/// another replica takes no lock; should it take an offset first, the primary key refuses the
/// batch's insert, and the batch is decided again.
enum PostgresAppendBatch {
    struct Append: Sendable {
        var event: NewEvent
        var stream: String
        var expected: ExpectedOffset
        var recordedAt: Int64

        var expectedHead: Int64? {
            if case .exactly(let offset) = self.expected { offset } else { nil }
        }
    }

    /// Whole-batch tries before the appends go one at a time (`alone`).
    static let attempts = 3

    static func commit(
        _ batch: [Append], on database: PostgresStorage, alone: @escaping @Sendable (Append) async throws -> StoredEvent
    ) async -> [Result<StoredEvent, any Error>] {
        for _ in 0..<Self.attempts {
            do {
                return try await database.bounded {
                    try await database.client.withTransaction(logger: database.logger) { connection in
                        try await Self.decideAndInsert(batch, on: connection, logger: database.logger)
                    }
                }
            } catch let error where ["23505", "40P01"].contains(PostgresStorage.sqlState(of: error)) {
                continue  // another replica's lone append took an offset, or a deadlock was broken
            } catch {
                return batch.map { _ in .failure(error) }
            }
        }
        var outcomes: [Result<StoredEvent, any Error>] = []
        for append in batch {
            outcomes.append(await Result(catching: { try await alone(append) }))
        }
        return outcomes
    }

    private static func decideAndInsert(
        _ batch: [Append], on connection: PostgresConnection, logger: Logger
    ) async throws -> [Result<StoredEvent, any Error>] {
        let streams = Set(batch.map(\.stream)).sorted()
        _ = try await Self.rows(
            "SELECT pg_advisory_xact_lock(hashtextextended(s, 0)) FROM unnest(\(streams)::TEXT[]) AS s", on: connection,
            logger: logger)
        var heads: [String: Int64] = [:]
        // One index probe per stream (the newest entry of its key), not a GROUP BY that reads
        // every event of every stream in the batch: the batch costs the same however long its
        // streams have grown.
        for row in try await Self.rows(
            "SELECT s, COALESCE((SELECT MAX(seq) FROM events WHERE stream = s), 0) FROM unnest(\(streams)::TEXT[]) AS s",
            on: connection, logger: logger)
        {
            let (stream, head) = try row.decode((String, Int64).self)
            heads[stream] = head
        }
        let decisions = AppendBatch.decide(streams: batch.map(\.stream), expected: batch.map(\.expectedHead), heads: heads)
        var outcomes: [Result<StoredEvent, any Error>] = []
        var rows: (streams: [String], seqs: [Int64], names: [String], data: [String], times: [Int64]) = ([], [], [], [], [])
        for (append, decision) in zip(batch, decisions) {
            switch decision {
            case .conflict(let actual):
                outcomes.append(.failure(EventStoreError.conflict(
                    stream: append.stream, expected: append.expectedHead ?? actual, actual: actual)))
            case .append(let offset):
                rows.streams.append(append.stream)
                rows.seqs.append(offset)
                rows.names.append(append.event.name)
                rows.data.append(append.event.data)
                rows.times.append(append.recordedAt)
                outcomes.append(.success(StoredEvent(
                    stream: append.stream, offset: offset, name: append.event.name, data: append.event.data,
                    recordedAt: append.recordedAt)))
            }
        }
        if !rows.streams.isEmpty {
            _ = try await Self.rows(
                """
                INSERT INTO events (stream, seq, name, data, recorded_at)
                SELECT * FROM unnest(\(rows.streams)::TEXT[], \(rows.seqs)::BIGINT[], \(rows.names)::TEXT[],
                    \(rows.data)::TEXT[], \(rows.times)::BIGINT[])
                """, on: connection, logger: logger)
        }
        return outcomes
    }

    private static func rows(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [PostgresRow] {
        var rows: [PostgresRow] = []
        for try await row in try await connection.query(query, logger: logger) { rows.append(row) }
        return rows
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
