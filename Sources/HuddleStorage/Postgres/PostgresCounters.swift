public import HuddleCore
import PostgresNIO

/// ``Counters`` in PostgreSQL, for deployments without Redis: one upsert per increment, which
/// takes the row lock, so concurrent increments from every replica serialise.
public struct PostgresCounters: Counters {
    let database: PostgresStorage

    public init(database: PostgresStorage) {
        self.database = database
    }

    public func increment(_ id: String) async throws -> Int64 {
        let rows = try await self.database.query(
            """
            INSERT INTO counters (id, value) VALUES (\(id), 1)
            ON CONFLICT (id) DO UPDATE SET value = counters.value + 1
            RETURNING value
            """
        )
        guard let row = rows.first else { throw EventStoreError.unavailable("the counter upsert returned no row") }
        return try row.decode(Int64.self)
    }

    public func value(of id: String) async throws -> Int64 {
        let rows = try await self.database.query("SELECT value FROM counters WHERE id = \(id)")
        return try rows.first?.decode(Int64.self) ?? 0
    }
}
