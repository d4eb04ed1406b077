import Foundation
import HuddleCore
@testable import HuddleStorage
import Logging

/// Every backend of the durable ports; each contract test runs against all of them.
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case memory
    case sqlite
    case postgres

    var testDescription: String { self.rawValue }

    /// The backends this run can reach: PostgreSQL when `scripts/test` started its rig
    /// (`HUDDLE_TEST_POSTGRES_URL`); `PostgresRigTests` fails a CI run that lacks it.
    static var available: [Backend] {
        PostgresRig.url == nil ? [.memory, .sqlite] : Backend.allCases
    }

    /// A fresh, empty backend. SQLite uses a real file in a temporary directory (WAL needs one).
    func make() async throws -> Made {
        switch self {
        case .memory:
            return Made(events: InMemoryEventStore(), counters: InMemoryCounters(), accounts: InMemoryAccounts(), close: {})
        case .sqlite:
            let directory = try TemporaryDirectory()
            let database = try await SQLiteStorage.open(path: directory.path + "/huddle.sqlite", logger: quietLogger)
            return Made(
                events: SQLiteEventStore(database: database),
                counters: SQLiteCounters(database: database),
                accounts: SQLiteAccounts(database: database),
                close: {
                    try? await database.close()
                    directory.remove()
                }
            )
        case .postgres:
            let database = try await PostgresRig.freshDatabase()
            return Made(
                events: PostgresEventStore(database: database.database),
                counters: PostgresCounters(database: database.database),
                accounts: PostgresAccounts(database: database.database),
                close: { await database.drop() }
            )
        }
    }

    struct Made: Sendable {
        let events: any EventStore
        let counters: any Counters
        let accounts: any Accounts
        let close: @Sendable () async -> Void
    }
}

let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// A directory under the system's temporary directory, removed by ``remove()``.
struct TemporaryDirectory {
    let path: String

    init() throws {
        self.path = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: self.path)
    }
}

import Testing
