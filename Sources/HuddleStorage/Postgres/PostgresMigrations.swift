import Logging
import PostgresNIO

/// The cluster schema, as numbered steps recorded in `huddle_schema`.
///
/// Replicas starting together serialise on an advisory lock, so exactly one applies each step;
/// the others find it done. A database migrated by a newer Huddle is refused.
extension PostgresStorage {
    static let migrationLock: Int64 = 0x4875_6464_6c65  // "Huddle"

    static let steps: [(version: Int, statements: [PostgresQuery])] = [
        (
            1,
            [
                """
                CREATE TABLE events (
                    stream TEXT NOT NULL,
                    seq BIGINT NOT NULL,
                    name TEXT NOT NULL,
                    data TEXT NOT NULL,
                    recorded_at BIGINT NOT NULL,
                    PRIMARY KEY (stream, seq)
                )
                """,
                "CREATE TABLE counters (id TEXT PRIMARY KEY, value BIGINT NOT NULL)",
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
                    active BOOLEAN NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX users_by_creation ON users (created_at, id)",
                // One row per login session; revoking a family ends every token in it at once.
                """
                CREATE TABLE refresh_families (
                    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at BIGINT NOT NULL, revoked_at BIGINT
                )
                """,
                "CREATE INDEX refresh_families_by_user ON refresh_families (user_id)",
                """
                CREATE TABLE refresh_tokens (
                    token_hash TEXT PRIMARY KEY,
                    family_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    rotated_at BIGINT
                )
                """,
                "CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id)",
            ]
        ),
    ]

    public static var latestSchemaVersion: Int { Self.steps.last?.version ?? 0 }

    /// Brings the schema up to date; returns the versions this call applied.
    @discardableResult
    public func migrate() async throws -> [Int] {
        try await self.client.withConnection { connection in
            _ = try await connection.query("SELECT pg_advisory_lock(\(Self.migrationLock))", logger: self.logger)
            do {
                let applied = try await self.applyMissingSteps(on: connection)
                _ = try await connection.query("SELECT pg_advisory_unlock(\(Self.migrationLock))", logger: self.logger)
                return applied
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.migrationLock))", logger: self.logger)
                throw error
            }
        }
    }

    private func applyMissingSteps(on connection: PostgresConnection) async throws -> [Int] {
        _ = try await connection.query(
            "CREATE TABLE IF NOT EXISTS huddle_schema (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
            logger: self.logger)
        var current = 0
        for try await version in try await connection.query(
            "SELECT COALESCE(MAX(version), 0) FROM huddle_schema", logger: self.logger
        ).decode(Int.self) {
            current = version
        }
        guard current <= Self.latestSchemaVersion else {
            throw SchemaError.newerThanKnown(found: current, known: Self.latestSchemaVersion)
        }
        var applied: [Int] = []
        for step in Self.steps where step.version > current {
            _ = try await connection.query("BEGIN", logger: self.logger)
            do {
                for statement in step.statements {
                    _ = try await connection.query(statement, logger: self.logger)
                }
                _ = try await connection.query(
                    "INSERT INTO huddle_schema (version, applied_at) VALUES (\(step.version), \(WallClockMilliseconds.now()))",
                    logger: self.logger)
                _ = try await connection.query("COMMIT", logger: self.logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: self.logger)
                throw error
            }
            self.logger.info("Applied schema migration", metadata: ["version": "\(step.version)"])
            applied.append(step.version)
        }
        return applied
    }
}
