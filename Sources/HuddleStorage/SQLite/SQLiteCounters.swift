public import HuddleCore
import SQLiteNIO

/// The embedded ``Counters``: one upsert per increment, atomic and durable.
public struct SQLiteCounters: Counters {
    let database: SQLiteStorage

    public init(database: SQLiteStorage) {
        self.database = database
    }

    public func increment(_ id: String) async throws -> Int64 {
        let rows = try await self.database.query(
            """
            INSERT INTO counters (id, value) VALUES (?1, 1)
            ON CONFLICT (id) DO UPDATE SET value = value + 1
            RETURNING value
            """,
            [.text(id)]
        )
        guard let value = rows.first?.column("value")?.integer else {
            throw EventStoreError.unavailable("the counter upsert returned no row")
        }
        return Int64(value)
    }

    public func value(of id: String) async throws -> Int64 {
        let rows = try await self.database.query("SELECT value FROM counters WHERE id = ?1", [.text(id)])
        return Int64(rows.first?.column("value")?.integer ?? 0)
    }
}
