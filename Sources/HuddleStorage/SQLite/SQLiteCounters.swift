public import HuddleCore
import SQLiteNIO

/// The embedded ``Counters``: increments are group-committed (several of one counter in one
/// batch become one upsert), atomic and durable when they return.
public struct SQLiteCounters: Counters {
    let database: SQLiteStorage

    public init(database: SQLiteStorage) {
        self.database = database
    }

    public func increment(_ id: String) async throws -> Int64 {
        try await StoreSpan.around("increment", system: "sqlite", key: id) {
            guard case .counted(let value) = try await self.database.write(.increment(counter: id)) else {
                throw EventStoreError.unavailable("the database answered an increment with something else")
            }
            return value
        }
    }

    public func value(of id: String) async throws -> Int64 {
        let rows = try await self.database.read("SELECT value FROM counters WHERE id = ?1", [.text(id)])
        return Int64(rows.first?.column("value")?.integer ?? 0)
    }
}
