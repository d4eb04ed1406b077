import HuddleCore
@testable import HuddleStorage
import SQLiteNIO
import Testing

@Suite struct SQLiteDurabilityTests {
    @Test func eventsAndCountsSurviveReopeningTheFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/huddle.sqlite"

        let first = try await SQLiteStorage.open(path: path, logger: quietLogger)
        for n in 1...3 {
            _ = try await SQLiteEventStore(database: first).append(NewEvent(name: "e", data: "\(n)"), to: "s:1")
        }
        _ = try await SQLiteCounters(database: first).increment("visits")
        _ = try await SQLiteCounters(database: first).increment("visits")
        try await first.close()

        let second = try await SQLiteStorage.open(path: path, logger: quietLogger)
        defer { Task { try? await second.close() } }
        let store = SQLiteEventStore(database: second)
        #expect(try await store.read("s:1", after: 0, limit: 10).map(\.data) == ["1", "2", "3"])
        #expect(try await store.append(NewEvent(name: "e", data: "4"), to: "s:1").offset == 4)
        #expect(try await SQLiteCounters(database: second).increment("visits") == 3)
    }

    @Test func refusesADatabaseMigratedByANewerHuddle() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/huddle.sqlite"
        let database = try await SQLiteStorage.open(path: path, logger: quietLogger)
        _ = try await database.query("INSERT INTO huddle_schema (version, applied_at) VALUES (999, 0)")
        try await database.close()

        await #expect(throws: SchemaError.newerThanKnown(found: 999, known: SQLiteMigrations.latestVersion)) {
            _ = try await SQLiteStorage.open(path: path, logger: quietLogger)
        }
    }

    /// A batch's statement journal stays in memory: `temp_store = MEMORY` (2) on the write
    /// connection, which is what `query` runs on.
    @Test func temporaryFilesAreKeptInMemory() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await SQLiteStorage.open(path: directory.path + "/huddle.sqlite", logger: quietLogger)
        let rows = try await database.query("PRAGMA temp_store")
        #expect(rows.first?.column("temp_store")?.integer == 2)
        try await database.close()
    }

    @Test func migratingTwiceIsHarmless() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/huddle.sqlite"
        try await SQLiteStorage.open(path: path, logger: quietLogger).close()
        let again = try await SQLiteStorage.open(path: path, logger: quietLogger)
        let rows = try await again.query("SELECT COUNT(*) AS n FROM huddle_schema")
        #expect(rows.first?.column("n")?.integer == SQLiteMigrations.steps.count)
        try await again.close()
    }
}

@Suite struct SQLiteReadYourWritesTests {
    /// A read that starts after an append was acknowledged sees it, however many reads run at
    /// once. (Statements that overlap on one SQLite connection share one read transaction, so a
    /// reader connection used by several queries at once reads an older snapshot.)
    @Test func aReadAfterAnAcknowledgedAppendSeesIt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await SQLiteStorage.open(path: directory.path + "/huddle.sqlite", logger: quietLogger)
        defer { Task { try? await database.close() } }
        let store = SQLiteEventStore(database: database)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<2_000 { group.addTask { _ = try await store.append(NewEvent(name: "e", data: "\(n)"), to: "busy:1") } }
            try await group.waitForAll()
        }
        let stale = try await withThrowingTaskGroup(of: Int.self) { group in
            for writer in 0..<64 {
                group.addTask {
                    var stale = 0
                    for round in 0..<30 {
                        let stream = "fresh:\(writer)-\(round)"
                        _ = try await store.append(NewEvent(name: "e", data: "1"), to: stream, expecting: .exactly(0))
                        if try await store.read(stream, after: 0, limit: 10).isEmpty { stale += 1 }
                        // Long reads in between keep the reader busy, so that statements overlap.
                        _ = try await store.read("busy:1", after: 0, limit: 2_000)
                    }
                    return stale
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(stale == 0, "reads that missed an acknowledged append")
    }
}

/// A batch runs in a transaction only when it has more than one statement; one statement is
/// atomic and durable alone, so increments alone skip BEGIN and COMMIT.
@Suite struct SQLiteBatchStatementTests {
    @Test func countsTheStatementsABatchRuns() {
        let append = SQLiteWrite.append(stream: "s:1", name: "e", data: "1", recordedAt: 0, expected: nil)
        let increment = SQLiteWrite.increment(counter: "c")
        let statement = SQLiteWrite.statement("DELETE FROM counters", [])
        #expect(SQLiteWrite.statements([append]) == 1)
        #expect(SQLiteWrite.statements([append, append]) == 2)
        #expect(SQLiteWrite.statements([increment]) == 1)
        #expect(SQLiteWrite.statements(Array(repeating: increment, count: 50)) == 1)
        #expect(SQLiteWrite.statements([increment, append]) == 3)
        #expect(SQLiteWrite.statements([statement, statement, increment]) == 3)
    }
}
