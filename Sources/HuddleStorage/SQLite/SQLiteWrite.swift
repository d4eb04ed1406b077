import HuddleCore
import Logging
import SQLiteNIO

/// One write to the embedded database, as ``SQLiteStorage``'s group commit queues it.
enum SQLiteWrite: Sendable {
    /// An event appended after the stream's head, if the head is `expected` (nil: any head).
    case append(stream: String, name: String, data: String, recordedAt: Int64, expected: Int64?)
    /// One more on a counter.
    case increment(counter: String)
    /// Any other writing statement (accounts), run as it is.
    case statement(String, [SQLiteData])
}

/// What one ``SQLiteWrite`` did, once its batch committed.
enum SQLiteWritten: Sendable {
    case appended(offset: Int64)
    /// The append's expected offset lost: the head is `actual`, and nothing was appended.
    case conflict(actual: Int64)
    case counted(Int64)
    case rows([SQLiteRow])
}

extension SQLiteWrite {
    /// Commits `batch` in one transaction, with as few statements as its shape allows: the
    /// increments as one upsert (several of one counter added up), the appends as one insert
    /// per round (a round holds at most one append per stream, so that each sees the heads
    /// the earlier rounds left, exactly as one-at-a-time appends would), then the statements.
    /// Any failure rolls the whole batch back and fails every write in it.
    static func commit(_ batch: [SQLiteWrite], on connection: SQLiteConnection, logger: Logger) async
        -> [Result<SQLiteWritten, any Error>]
    {
        // A lone write is one statement: SQLite makes it atomic and durable on its own.
        let transaction = batch.count > 1
        var outcomes = [SQLiteWritten?](repeating: nil, count: batch.count)
        do {
            if transaction { _ = try await connection.query("BEGIN IMMEDIATE") }
            try await Self.appendInRounds(batch, on: connection, into: &outcomes)
            try await Self.incrementTogether(batch, on: connection, into: &outcomes)
            for (index, write) in batch.enumerated() {
                if case .statement(let sql, let binds) = write {
                    outcomes[index] = .rows(try await connection.query(sql, binds))
                }
            }
            if transaction { _ = try await connection.query("COMMIT") }
        } catch {
            if transaction { _ = try? await connection.query("ROLLBACK") }
            let message = (error as? SQLiteError)?.message ?? "\(error)"
            logger.error("SQLite batch failed", metadata: ["writes": "\(batch.count)", "error": "\(error)"])
            let failure = EventStoreError.unavailable("the database failed: \(message)")
            return batch.map { _ in .failure(failure) }
        }
        return outcomes.map { outcome in
            outcome.map { .success($0) } ?? .failure(EventStoreError.unavailable("the batch left a write unanswered"))
        }
    }

    private static func appendInRounds(
        _ batch: [SQLiteWrite], on connection: SQLiteConnection, into outcomes: inout [SQLiteWritten?]
    ) async throws {
        var rounds: [[Int]] = []
        var perStream: [String: Int] = [:]
        for (index, write) in batch.enumerated() {
            guard case .append(let stream, _, _, _, _) = write else { continue }
            let round = perStream[stream, default: 0]
            perStream[stream] = round + 1
            if round == rounds.count { rounds.append([]) }
            rounds[round].append(index)
        }
        for round in rounds {
            var binds: [SQLiteData] = []
            var rows: [String] = []
            for index in round {
                guard case .append(let stream, let name, let data, let recordedAt, let expected) = batch[index] else { continue }
                let first = binds.count + 1
                rows.append("(?\(first), ?\(first + 1), ?\(first + 2), ?\(first + 3), ?\(first + 4))")
                binds += [.text(stream), .text(name), .text(data), .integer(Int(recordedAt)), expected.map { .integer(Int($0)) } ?? .null]
            }
            // Each row goes after its stream's head, and only if the head is the expected one;
            // the primary key (stream, seq) is the last line of defence.
            let inserted = try await connection.query(
                """
                WITH batch (stream, name, data, recorded_at, expected) AS (VALUES \(rows.joined(separator: ", ")))
                INSERT INTO events (stream, seq, name, data, recorded_at)
                SELECT stream, head + 1, name, data, recorded_at
                FROM (SELECT b.*, (SELECT COALESCE(MAX(e.seq), 0) FROM events e WHERE e.stream = b.stream) AS head FROM batch b)
                WHERE expected IS NULL OR head = expected
                RETURNING stream, seq
                """,
                binds
            )
            var offsets: [String: Int64] = [:]
            for row in inserted {
                if let stream = row.column("stream")?.string, let seq = row.column("seq")?.integer {
                    offsets[stream] = Int64(seq)
                }
            }
            for index in round {
                guard case .append(let stream, _, _, _, _) = batch[index] else { continue }
                if let offset = offsets[stream] {
                    outcomes[index] = .appended(offset: offset)
                } else {
                    outcomes[index] = .conflict(actual: try await Self.head(of: stream, on: connection))
                }
            }
        }
    }

    private static func head(of stream: String, on connection: SQLiteConnection) async throws -> Int64 {
        let rows = try await connection.query(
            "SELECT COALESCE(MAX(seq), 0) AS head FROM events WHERE stream = ?1", [.text(stream)])
        return Int64(rows.first?.column("head")?.integer ?? 0)
    }

    private static func incrementTogether(
        _ batch: [SQLiteWrite], on connection: SQLiteConnection, into outcomes: inout [SQLiteWritten?]
    ) async throws {
        var indexes: [Int] = []
        var counters: [String] = []
        for (index, write) in batch.enumerated() {
            guard case .increment(let counter) = write else { continue }
            indexes.append(index)
            counters.append(counter)
        }
        guard !counters.isEmpty else { return }
        let increments = IncrementBatch(counters)
        var binds: [SQLiteData] = []
        var rows: [String] = []
        for share in increments.shares {
            rows.append("(?\(binds.count + 1), ?\(binds.count + 2))")
            binds += [.text(share.counter), .integer(share.count)]
        }
        let counted = try await connection.query(
            """
            INSERT INTO counters (id, value) VALUES \(rows.joined(separator: ", "))
            ON CONFLICT (id) DO UPDATE SET value = value + excluded.value
            RETURNING id, value
            """,
            binds
        )
        var totals: [String: Result<Int64, any Error>] = [:]
        for row in counted {
            if let counter = row.column("id")?.string, let total = row.column("value")?.integer {
                totals[counter] = .success(Int64(total))
            }
        }
        let missing = EventStoreError.unavailable("the counter upsert returned no row")
        for (index, outcome) in zip(indexes, increments.outcomes(totals: totals, missing: missing)) {
            outcomes[index] = .counted(try outcome.get())
        }
    }
}
