import Foundation
import HuddleCore
@testable import HuddleStorage
import PostgresNIO
import Testing

/// What only PostgreSQL has to prove: many replicas (separate pools) on one database.
@Suite(.enabled(if: PostgresRig.url != nil, "needs the rig of scripts/test (HUDDLE_TEST_POSTGRES_URL)"))
struct PostgresTests {
    @Test func twoReplicasRacingAtTheSameOffsetHaveExactlyOneWinner() async throws {
        let first = try await PostgresRig.freshDatabase()
        let second = PostgresStorage(settings: try PostgresRig.settings(database: first.name), logger: quietLogger)
        let secondRunner = Task { await second.run() }
        defer { secondRunner.cancel() }
        let replicas = [PostgresEventStore(database: first.database), PostgresEventStore(database: second)]
        _ = try await replicas[0].append(NewEvent(name: "e", data: "0"), to: "s:1")

        let winners = await withTaskGroup(of: Bool.self) { group in
            for n in 0..<20 {
                let store = replicas[n % 2]
                group.addTask {
                    do {
                        _ = try await store.append(NewEvent(name: "e", data: "\(n)"), to: "s:1", expecting: .exactly(1))
                        return true
                    } catch EventStoreError.conflict(_, let expected, let actual) {
                        return expected == 1 && actual == 2 ? false : true
                    } catch {
                        Issue.record("unexpected error: \(error)")
                        return false
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(winners == 1)
        #expect(try await replicas[1].head(of: "s:1") == 2)
        await first.drop()
    }

    /// Two replicas, each group-committing many appends at once to a few shared streams, some
    /// expecting any offset and some an exact one: every acknowledged append is stored once,
    /// at the offset it was told, with no gap; every exact expectation that lost was a conflict.
    @Test func twoReplicasBatchingAppendsToSharedStreamsLoseAndDuplicateNothing() async throws {
        let first = try await PostgresRig.freshDatabase()
        let second = PostgresStorage(settings: try PostgresRig.settings(database: first.name), logger: quietLogger)
        let secondRunner = Task { await second.run() }
        defer { secondRunner.cancel() }
        let replicas = [PostgresEventStore(database: first.database), PostgresEventStore(database: second)]
        let streams = ["s:a", "s:b", "s:c"]
        let told = try await withThrowingTaskGroup(of: (String, Int64?).self) { group in
            for n in 0..<300 {
                let (store, stream) = (replicas[n % 2], streams[n % 3])
                group.addTask {
                    let expected: ExpectedOffset = n % 5 == 0 ? .exactly(try await store.head(of: stream)) : .any
                    do {
                        return (stream, try await store.append(NewEvent(name: "e", data: "\(n)"), to: stream, expecting: expected).offset)
                    } catch EventStoreError.conflict {
                        guard case .exactly = expected else { throw EventStoreError.unavailable("an append expecting any offset conflicted") }
                        return (stream, nil)
                    }
                }
            }
            return try await group.reduce(into: [String: [Int64]]()) { told, outcome in
                if let offset = outcome.1 { told[outcome.0, default: []].append(offset) }
            }
        }
        for stream in streams {
            let stored = try await replicas[0].read(stream, after: 0, limit: 1_000)
            #expect(stored.map(\.offset) == Array(1...Int64(stored.count)), "no gap in \(stream)")
            #expect((told[stream] ?? []).sorted() == stored.map(\.offset), "each acknowledged offset stored once in \(stream)")
        }
        await first.drop()
    }

    @Test func replicasMigratingTogetherApplyEachStepOnce() async throws {
        let fresh = try await PostgresRig.freshDatabase(migrate: false)
        let settings = try PostgresRig.settings(database: fresh.name)
        let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let replica = PostgresStorage(settings: settings, logger: quietLogger)
                    return try await replica.withRunning { try await replica.migrate() }
                }
            }
            return try await group.reduce(into: [Int]()) { $0 += $1 }
        }
        #expect(applied.sorted() == PostgresStorage.steps.map(\.version), "each step applied by exactly one replica")
        let rows = try await fresh.database.query("SELECT COUNT(*) FROM huddle_schema")
        #expect(try rows.first?.decode(Int.self) == PostgresStorage.steps.count)
        await fresh.drop()
    }

    @Test func refusesADatabaseMigratedByANewerHuddle() async throws {
        let fresh = try await PostgresRig.freshDatabase()
        _ = try await fresh.database.query("INSERT INTO huddle_schema (version, applied_at) VALUES (999, 0)")
        await #expect(throws: SchemaError.newerThanKnown(found: 999, known: PostgresStorage.latestSchemaVersion)) {
            _ = try await fresh.database.migrate()
        }
        await fresh.drop()
    }

    @Test func anUnreachableDatabaseIsReportedUnavailableNotHung() async throws {
        var settings = try PostgresRig.settings()
        settings.port = try Self.closedPort()
        settings.timeout = .seconds(2)
        let database = PostgresStorage(settings: settings, logger: quietLogger)
        try await database.withRunning {
            await #expect(throws: EventStoreError.self) {
                try await PostgresEventStore(database: database).append(NewEvent(name: "e", data: "1"), to: "s:1")
            }
            #expect(await database.isReachable() == false)
        }
    }

    @Test func settingsComeFromAURLWithoutLeakingThePassword() throws {
        let settings = try PostgresSettings().merging(url: "postgres://app:s%3Dcret@db.example:6543/prod?sslmode=require")
        #expect(settings.host == "db.example")
        #expect(settings.port == 6543)
        #expect(settings.username == "app")
        #expect(settings.password == "s=cret")
        #expect(settings.database == "prod")
        #expect(settings.tls == .require)
        #expect(!settings.description.contains("cret"))
        #expect(throws: PostgresSettingsError.self) { try PostgresSettings().merging(url: "mysql://x@y/z") }
        #expect(throws: PostgresSettingsError.self) { try PostgresSettings().merging(url: "postgres://h/db?sslmode=maybe") }
    }

    /// A loopback port nobody listens on.
    static func closedPort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A CI run must exercise PostgreSQL: scripts/test starts the rig, so its absence is a bug.
@Suite struct PostgresRigTests {
    @Test func ciRunsHaveThePostgresRig() {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(PostgresRig.url != nil, "CI must run the contract suites on PostgreSQL")
        }
    }
}
