import HuddleCore
public import Logging
import NIOPosix
import SQLiteNIO

/// The embedded database: one SQLite file in WAL mode, shared by every SQLite backend.
///
/// Backends use single statements only (an append is one `INSERT … SELECT … RETURNING`), so
/// the one connection needs no transaction juggling: SQLite makes each statement atomic, and
/// `synchronous = FULL` makes it durable when it returns.
public final class SQLiteStorage: Sendable {
    let connection: SQLiteConnection
    let logger: Logger

    /// Opens (creating if needed) the database file at `path` and migrates it.
    public static func open(path: String, logger: Logger) async throws -> SQLiteStorage {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        let database = SQLiteStorage(connection: connection, logger: logger)
        do {
            try await database.configure()
            try await SQLiteMigrations.apply(on: database)
        } catch {
            try? await connection.close()
            throw error
        }
        return database
    }

    /// An in-memory database, for tests.
    public static func inMemory(logger: Logger = Logger(label: "huddle.sqlite")) async throws -> SQLiteStorage {
        let connection = try await SQLiteConnection.open(storage: .memory, logger: logger)
        let database = SQLiteStorage(connection: connection, logger: logger)
        try await SQLiteMigrations.apply(on: database)
        return database
    }

    private init(connection: SQLiteConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    public func close() async throws {
        try await self.connection.close()
    }

    private func configure() async throws {
        _ = try await self.query("PRAGMA journal_mode = WAL")
        _ = try await self.query("PRAGMA synchronous = FULL")
        _ = try await self.query("PRAGMA busy_timeout = 5000")
    }

    /// Runs one statement; SQLite failures surface as ``EventStoreError/unavailable(_:)`` so
    /// that the HTTP layer answers 503 rather than 500.
    func query(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        do {
            return try await self.connection.query(sql, binds)
        } catch let error as SQLiteError {
            self.logger.error("SQLite statement failed", metadata: ["error": "\(error)"])
            throw EventStoreError.unavailable("the database failed: \(error.message)")
        }
    }
}
