public import HuddleCore
import PostgresNIO

/// ``Counters`` in PostgreSQL, for deployments without Redis. The upsert takes the row lock,
/// so concurrent increments from every replica serialise; each replica group-commits its own:
/// increments that arrive while a batch commits form the next, one statement and one commit
/// for the whole batch, each counter bumped once by its share.
public struct PostgresCounters: Counters {
    let database: PostgresStorage
    private let increments: GroupCommit<String, Int64>

    /// Increments per batch at most.
    static let maximumBatch = 1024

    public init(database: PostgresStorage) {
        self.database = database
        self.increments = GroupCommit(maximumBatch: Self.maximumBatch) { batch in
            await Self.commit(batch, on: database)
        }
    }

    public func increment(_ id: String) async throws -> Int64 {
        try await StoreSpan.around("increment", system: "postgresql", key: id) {
            try await self.increments.submit(id)
        }
    }

    public func value(of id: String) async throws -> Int64 {
        let rows = try await self.database.query("SELECT value FROM counters WHERE id = \(id)")
        return try rows.first?.decode(Int64.self) ?? 0
    }

    private static func commit(_ ids: [String], on database: PostgresStorage) async -> [Result<Int64, any Error>] {
        let increments = IncrementBatch(ids)
        // Sorted, so that two replicas' batches lock shared rows in the same order (no deadlock).
        let shares = increments.shares.sorted { $0.counter < $1.counter }
        let counters = shares.map(\.counter)
        let counts = shares.map { Int64($0.count) }
        var totals: [String: Result<Int64, any Error>] = [:]
        do {
            let rows = try await database.query(
                """
                INSERT INTO counters (id, value)
                SELECT id, share FROM unnest(\(counters)::TEXT[], \(counts)::BIGINT[]) AS batch (id, share) ORDER BY id
                ON CONFLICT (id) DO UPDATE SET value = counters.value + excluded.value
                RETURNING id, value
                """
            )
            for row in rows {
                let (counter, total) = try row.decode((String, Int64).self)
                totals[counter] = .success(total)
            }
        } catch {
            return ids.map { _ in .failure(error) }
        }
        return increments.outcomes(totals: totals, missing: EventStoreError.unavailable("the counter upsert returned no row"))
    }
}
