import Foundation
@testable import HuddleStorage
import Logging
import PostgresNIO

/// The throwaway PostgreSQL cluster `scripts/postgres-rig` starts for a test run.
enum PostgresRig {
    static var url: String? { ProcessInfo.processInfo.environment["HUDDLE_TEST_POSTGRES_URL"] }

    static func settings(database: String? = nil) throws -> PostgresSettings {
        guard let url = Self.url else { throw RigMissing() }
        var settings = try PostgresSettings(poolSize: 8, timeout: .seconds(20)).merging(url: url)
        if let database { settings.database = database }
        return settings
    }

    struct RigMissing: Error, CustomStringConvertible {
        var description: String { "HUDDLE_TEST_POSTGRES_URL is not set: run the tests with scripts/test" }
    }

    /// A new, empty, migrated database of the rig's cluster, with its pool running.
    static func freshDatabase(migrate: Bool = true) async throws -> RunningDatabase {
        let name = "huddle_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await Self.admin("CREATE DATABASE \(unescaped: name)")
        let database = PostgresStorage(settings: try Self.settings(database: name), logger: quietLogger)
        let running = RunningDatabase(name: name, database: database, runner: Task { await database.run() })
        if migrate {
            try await database.migrate()
        }
        return running
    }

    /// Runs a statement on the rig's own database (`CREATE DATABASE` and friends).
    static func admin(_ statement: PostgresQuery) async throws {
        let admin = PostgresStorage(settings: try Self.settings(), logger: quietLogger)
        try await admin.withRunning {
            _ = try await admin.query(statement)
        }
    }

    struct RunningDatabase: Sendable {
        let name: String
        let database: PostgresStorage
        let runner: Task<Void, Never>

        func drop() async {
            self.runner.cancel()
            try? await PostgresRig.admin("DROP DATABASE IF EXISTS \(unescaped: self.name) WITH (FORCE)")
        }
    }
}
