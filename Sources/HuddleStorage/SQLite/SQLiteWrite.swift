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
    /// appends as one read of their heads and one insert, the increments as one upsert
    /// (several of one counter added up), then the statements.
    /// Any failure rolls the whole batch back and fails every write in it.
    static func commit(_ batch: [SQLiteWrite], on connection: SQLiteConnection, logger: Logger) async
        -> [Result<SQLiteWritten, any Error>]
    {
        // One statement is atomic and durable on its own: a batch of increments alone (one
        // upsert) or a lone write skips BEGIN and COMMIT, two of its three trips to SQLite's
        // thread.
        let transaction = Self.statements(batch) > 1
        var outcomes = [SQLiteWritten?](repeating: nil, count: batch.count)
        do {
            if transaction { _ = try await connection.query("BEGIN IMMEDIATE") }
            try await Self.appendTogether(batch, on: connection, into: &outcomes)
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

    /// How many statements `batch` runs: its appends one (alone) or two (their heads, then one
    /// insert), its increments one upsert, and each other statement.
    static func statements(_ batch: [SQLiteWrite]) -> Int {
        var appends = 0
        var increments = false
        var others = 0
        for write in batch {
            switch write {
            case .append: appends += 1
            case .increment: increments = true
            case .statement: others += 1
            }
        }
        let appending = appends == 0 ? 0 : (batch.count == 1 ? 1 : 2)
        return appending + (increments ? 1 : 0) + others
    }

    /// The batch's appends: the heads of their streams in one read (the transaction holds the
    /// write lock, so they cannot move), each append decided against its stream's head as the
    /// earlier appends of the batch left it, exactly as one at a time, then one insert of all
    /// that were not conflicts. A lone write keeps the single statement that decides and
    /// inserts atomically without a transaction.
    private static func appendTogether(
        _ batch: [SQLiteWrite], on connection: SQLiteConnection, into outcomes: inout [SQLiteWritten?]
    ) async throws {
        if batch.count == 1, case .append(let stream, let name, let data, let recordedAt, let expected) = batch[0] {
            outcomes[0] = try await Self.appendAlone(stream, name, data, recordedAt, expected, on: connection)
            return
        }
        var streams: [String] = []
        for write in batch {
            if case .append(let stream, _, _, _, _) = write, !streams.contains(stream) { streams.append(stream) }
        }
        guard !streams.isEmpty else { return }
        let values = (1...streams.count).map { "(?\($0))" }.joined(separator: ", ")
        var heads: [String: Int64] = [:]
        // A correlated MAX per stream is one probe of the primary key's last entry for it; a
        // `MAX(seq) ... GROUP BY stream` reads every event of those streams (8 ms a batch at
        // 2,000 events a stream, growing with them).
        for row in try await connection.query(
            """
            WITH batch(stream) AS (VALUES \(values))
            SELECT stream, (SELECT MAX(seq) FROM events WHERE events.stream = batch.stream) AS head FROM batch
            """,
            streams.map { .text($0) })
        {
            if let stream = row.column("stream")?.string { heads[stream] = Int64(row.column("head")?.integer ?? 0) }
        }
        let appends = batch.enumerated().compactMap { index, write in
            if case .append(let stream, let name, let data, let recordedAt, let expected) = write {
                (index, stream, name, data, recordedAt, expected)
            } else { nil }
        }
        let decisions = AppendBatch.decide(streams: appends.map(\.1), expected: appends.map(\.5), heads: heads)
        var binds: [SQLiteData] = []
        var rows: [String] = []
        for ((index, stream, name, data, recordedAt, _), decision) in zip(appends, decisions) {
            switch decision {
            case .conflict(let actual):
                outcomes[index] = .conflict(actual: actual)
            case .append(let offset):
                let first = binds.count + 1
                rows.append("(?\(first), ?\(first + 1), ?\(first + 2), ?\(first + 3), ?\(first + 4))")
                binds += [.text(stream), .integer(Int(offset)), .text(name), .text(data), .integer(Int(recordedAt))]
                outcomes[index] = .appended(offset: offset)
            }
        }
        guard !rows.isEmpty else { return }
        // The primary key (stream, seq) is the last line of defence.
        _ = try await connection.query(
            "INSERT INTO events (stream, seq, name, data, recorded_at) VALUES \(rows.joined(separator: ", "))", binds)
    }

    private static func appendAlone(
        _ stream: String, _ name: String, _ data: String, _ recordedAt: Int64, _ expected: Int64?,
        on connection: SQLiteConnection
    ) async throws -> SQLiteWritten {
        let rows = try await connection.query(
            """
            INSERT INTO events (stream, seq, name, data, recorded_at)
            SELECT ?1, head + 1, ?2, ?3, ?4
            FROM (SELECT COALESCE(MAX(seq), 0) AS head FROM events WHERE stream = ?1)
            WHERE ?5 IS NULL OR head = ?5
            RETURNING seq
            """,
            [.text(stream), .text(name), .text(data), .integer(Int(recordedAt)), expected.map { .integer(Int($0)) } ?? .null]
        )
        if let seq = rows.first?.column("seq")?.integer { return .appended(offset: Int64(seq)) }
        let head = try await connection.query(
            "SELECT COALESCE(MAX(seq), 0) AS head FROM events WHERE stream = ?1", [.text(stream)])
        return .conflict(actual: Int64(head.first?.column("head")?.integer ?? 0))
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
