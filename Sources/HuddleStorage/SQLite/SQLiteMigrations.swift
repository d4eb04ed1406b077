import Logging
import SQLiteNIO

/// The embedded schema, as numbered steps recorded in `huddle_schema`.
///
/// Append new steps; never edit one that has shipped. A database migrated by a newer Huddle
/// is refused rather than used with a schema this build does not know.
enum SQLiteMigrations {
    static let steps: [(version: Int, statements: [String])] = [
        (
            1,
            [
                """
                CREATE TABLE events (
                    stream TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    data TEXT NOT NULL,
                    recorded_at INTEGER NOT NULL,
                    PRIMARY KEY (stream, seq)
                ) WITHOUT ROWID
                """,
                "CREATE TABLE counters (id TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
            ]
        ),
        (
            2,
            [
                // Accounts. username and email are stored lower-cased, so UNIQUE is case-insensitive.
                """
                CREATE TABLE users (
                    id TEXT PRIMARY KEY,
                    username TEXT NOT NULL UNIQUE,
                    email TEXT NOT NULL UNIQUE,
                    display_name TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    role TEXT NOT NULL,
                    active INTEGER NOT NULL,
                    created_at INTEGER NOT NULL
                )
                """,
                "CREATE INDEX users_by_creation ON users (created_at, id)",
                // One row per login session; revoking a family ends every token in it at once.
                """
                CREATE TABLE refresh_families (
                    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER
                )
                """,
                "CREATE INDEX refresh_families_by_user ON refresh_families (user_id)",
                """
                CREATE TABLE refresh_tokens (
                    token_hash TEXT PRIMARY KEY,
                    family_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    rotated_at INTEGER
                )
                """,
                "CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id)",
            ]
        ),
    ]

    static var latestVersion: Int { Self.steps.last?.version ?? 0 }

    /// Runs on the write connection itself, before the group commit takes it over.
    static func apply(on connection: SQLiteConnection, logger: Logger) async throws {
        _ = try await connection.query(
            "CREATE TABLE IF NOT EXISTS huddle_schema (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)"
        )
        let rows = try await connection.query("SELECT COALESCE(MAX(version), 0) AS version FROM huddle_schema")
        let current = rows.first?.column("version")?.integer ?? 0
        guard current <= Self.latestVersion else {
            throw SchemaError.newerThanKnown(found: current, known: Self.latestVersion)
        }
        for step in Self.steps where step.version > current {
            _ = try await connection.query("BEGIN IMMEDIATE")
            do {
                for statement in step.statements {
                    _ = try await connection.query(statement)
                }
                _ = try await connection.query(
                    "INSERT INTO huddle_schema (version, applied_at) VALUES (?1, ?2)",
                    [.integer(step.version), .integer(Int(WallClockMilliseconds.now()))]
                )
                _ = try await connection.query("COMMIT")
            } catch {
                _ = try? await connection.query("ROLLBACK")
                throw error
            }
            logger.info("Applied schema migration", metadata: ["version": "\(step.version)"])
        }
    }
}
