import Synchronization
import SQLiteNIO

/// The read connections of a file database, each lent to one query at a time.
///
/// Statements that overlap on one SQLite connection share its read transaction, so a query
/// started while another still runs reads that one's snapshot, older than commits acknowledged
/// in between: a read right after an acknowledged append could miss it. Lending each
/// connection whole keeps every query its own transaction, begun when it starts.
final class SQLiteReaders: Sendable {
    private struct Lending {
        var idle: [SQLiteConnection]
        var waiting: [CheckedContinuation<SQLiteConnection, Never>] = []
    }

    let connections: [SQLiteConnection]
    private let lending: Mutex<Lending>

    init(_ connections: [SQLiteConnection]) {
        precondition(!connections.isEmpty, "a reader pool needs a connection")
        self.connections = connections
        self.lending = Mutex(Lending(idle: connections))
    }

    /// Runs `sql` on a connection no other query is using.
    func query(_ sql: String, _ binds: [SQLiteData]) async throws -> [SQLiteRow] {
        let connection = await self.borrow()
        defer { self.giveBack(connection) }
        return try await connection.query(sql, binds)
    }

    private func borrow() async -> SQLiteConnection {
        await withCheckedContinuation { borrower in
            let idle = self.lending.withLock { lending -> SQLiteConnection? in
                if let connection = lending.idle.popLast() { return connection }
                lending.waiting.append(borrower)
                return nil
            }
            if let idle { borrower.resume(returning: idle) }
        }
    }

    private func giveBack(_ connection: SQLiteConnection) {
        let next = self.lending.withLock { lending -> CheckedContinuation<SQLiteConnection, Never>? in
            guard !lending.waiting.isEmpty else {
                lending.idle.append(connection)
                return nil
            }
            return lending.waiting.removeFirst()
        }
        next?.resume(returning: connection)
    }

    func close() async throws {
        for connection in self.connections { try await connection.close() }
    }
}
