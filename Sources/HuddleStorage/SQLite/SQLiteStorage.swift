public import HuddleCore
public import Logging
import NIOCore
import NIOPosix
import SQLiteNIO

/// The embedded database: one SQLite file in WAL mode, shared by every SQLite backend.
///
/// Every write goes through one group commit (``SQLiteWrite``) on the one write connection:
/// writes that arrive while a batch commits are committed together in the next one, one
/// transaction and one fsync (`synchronous = FULL`) per batch, and each caller is answered
/// only once its batch is durable. A file database reads on other connections
/// (``SQLiteReaders``), so reads never wait for a commit and see only committed data (WAL
/// readers do not block the writer), everything acknowledged before they start included.
public final class SQLiteStorage: Sendable {
    /// The write connection; only the group commit and the migrations use it.
    let connection: SQLiteConnection
    /// Reads; nil for an in-memory database, whose reads then queue with the writes (a second
    /// connection would see another, empty database).
    let readers: SQLiteReaders?
    let logger: Logger
    let writes: GroupCommit<SQLiteWrite, SQLiteWritten>

    /// Writes per batch at most: bounds how long the last of them waits for its commit.
    static let maximumBatch = 256
    /// Read connections of a file database: as many as the thread pool that runs SQLite's
    /// calls has threads, since a query holds one for its whole run.
    static var readConnections: Int { max(2, System.coreCount) }

    /// Opens (creating if needed) the database file at `path` and migrates it.
    public static func open(path: String, logger: Logger) async throws -> SQLiteStorage {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        var readers: [SQLiteConnection] = []
        do {
            try await Self.configure(connection, pragmas: ["journal_mode = WAL", "synchronous = FULL", "busy_timeout = 5000"] + Self.memory)
            try await SQLiteMigrations.apply(on: connection, logger: logger)
            for _ in 0..<Self.readConnections {
                let opened = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                readers.append(opened)
                try await Self.configure(opened, pragmas: ["busy_timeout = 5000", "query_only = ON"] + Self.memory)
            }
        } catch {
            for reader in readers { try? await reader.close() }
            try? await connection.close()
            throw error
        }
        return SQLiteStorage(connection: connection, readers: SQLiteReaders(readers), logger: logger)
    }

    /// An in-memory database, for tests.
    public static func inMemory(logger: Logger = Logger(label: "huddle.sqlite")) async throws -> SQLiteStorage {
        let connection = try await SQLiteConnection.open(storage: .memory, logger: logger)
        try await SQLiteMigrations.apply(on: connection, logger: logger)
        return SQLiteStorage(connection: connection, readers: nil, logger: logger)
    }

    private init(connection: SQLiteConnection, readers: SQLiteReaders?, logger: Logger) {
        self.connection = connection
        self.readers = readers
        self.logger = logger
        self.writes = GroupCommit(maximumBatch: Self.maximumBatch) { [connection, logger] batch in
            await SQLiteWrite.commit(batch, on: connection, logger: logger)
        }
    }

    public func close() async throws {
        try await self.readers?.close()
        try await self.connection.close()
    }

    /// Pages read through a memory map, not a system call each, and 16 MiB of them cached per
    /// connection (SQLite's default is 2 MiB): reads of a big file stay off the disk path.
    /// Temporary files in memory too: a multi-row insert inside a batch's transaction keeps a
    /// statement journal (to undo just that statement), which SQLite otherwise writes to a
    /// temporary file, a write system call per page it changes.
    static let memory = ["mmap_size = 268435456", "cache_size = -16384", "temp_store = MEMORY"]

    private static func configure(_ connection: SQLiteConnection, pragmas: [String]) async throws {
        for pragma in pragmas {
            _ = try await connection.query("PRAGMA " + pragma)
        }
    }

    /// Queues `write` for the next batch; returns once that batch is durable.
    func write(_ write: SQLiteWrite) async throws -> SQLiteWritten {
        try await self.writes.submit(write)
    }

    /// Runs one writing statement in the next batch and returns its rows.
    func query(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        guard case .rows(let rows) = try await self.write(.statement(sql, binds)) else { return [] }
        return rows
    }

    /// Runs one reading statement; SQLite failures surface as
    /// ``EventStoreError/unavailable(_:)`` so that the HTTP layer answers 503 rather than 500.
    func read(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        guard let readers = self.readers else { return try await self.query(sql, binds) }
        do {
            return try await readers.query(sql, binds)
        } catch let error as SQLiteError {
            self.logger.error("SQLite read failed", metadata: ["error": "\(error)"])
            throw EventStoreError.unavailable("the database failed: \(error.message)")
        }
    }
}
