import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HuddleCore
import HuddleServer
import HuddleStorage
import Logging

/// `huddle bench`: measurements, never tests. Results go to `docs/BENCHMARKS.md` with the
/// exact command and machine.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Huddle (release builds only give meaningful numbers).",
        subcommands: [StoreBench.self, FanoutBench.self, SignalsBench.self, CounterBench.self, TeamsBench.self, ConnectionsBench.self, LoginFloodBench.self]
    )
}

/// `huddle bench store`: appends per second and catch-up reads per second on the configured
/// event store (SQLite by default, in a temporary directory; PostgreSQL with `--postgres-url`).
struct StoreBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Appends/s and catch-up reads/s of the configured event store.",
        discussion: """
            Appends go to streams named bench:<run>-<n>, so point it at a scratch PostgreSQL \
            database. Without --data-dir, SQLite runs in a new temporary directory.
            """
    )

    @OptionGroup var options: ServerOptions

    @Option(help: "Events to append in all.")
    var events = 20_000

    @Option(help: "Appends in flight at once.")
    var concurrency = 16

    @Option(help: "Streams the appends are spread over.")
    var streams = 100

    @Option(help: "Events per read while catching up.")
    var page = 500

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        var configuration = try self.options.configuration()
        let temporary = try configuration.store == .sqlite && !self.options.isGiven(Settings.dataDir)
        if temporary {
            configuration.dataDirectory = FileManager.default.temporaryDirectory
                .appendingPathComponent("huddle-bench-\(UUID().uuidString)").path
        }
        guard self.events > 0, self.concurrency > 0, self.streams > 0, self.page > 0 else {
            throw ValidationError("--events, --concurrency, --streams and --page must be positive")
        }
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let store = try await BenchStore.open(configuration, logger: logger)
        defer { if temporary {
            try? FileManager.default.removeItem(atPath: configuration.dataDirectory)
        } }
        let result = try await store.run { events in try await self.measure(events) }
        self.report(result, store: configuration.store.rawValue)
    }

    struct Result {
        var appendSeconds: Double
        var appendLatencies: [Double]
        var readSeconds: Double
        var eventsRead: Int
    }

    private func measure(_ store: any EventStore) async throws -> Result {
        let run = UUID().uuidString.prefix(8).lowercased()
        let payload = #"{"x":120,"y":80,"text":"benchmark box"}"#
        let clock = ContinuousClock()
        let started = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for worker in 0..<self.concurrency {
                group.addTask {
                    var latencies: [Double] = []
                    var n = worker
                    while n < self.events {
                        let stream = "bench:\(run)-\(n % self.streams)"
                        let start = clock.now
                        _ = try await store.append(NewEvent(name: "noted", data: payload), to: stream)
                        latencies.append((clock.now - start).seconds)
                        n += self.concurrency
                    }
                    return latencies
                }
            }
            return try await group.reduce(into: [Double]()) { $0 += $1 }
        }
        let appendSeconds = (clock.now - started).seconds

        let readStarted = clock.now
        var read = 0
        for n in 0..<self.streams {
            var after: Int64 = 0
            while true {
                let page = try await store.read("bench:\(run)-\(n)", after: after, limit: self.page)
                read += page.count
                guard let last = page.last, page.count == self.page else { break }
                after = last.offset
            }
        }
        return Result(
            appendSeconds: appendSeconds, appendLatencies: latencies.sorted(),
            readSeconds: (clock.now - readStarted).seconds, eventsRead: read)
    }

    private func report(_ result: Result, store: String) {
        func percentile(_ p: Double) -> Double {
            let sorted = result.appendLatencies
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.down)))] * 1000
        }
        let appendsPerSecond = Double(self.events) / result.appendSeconds
        let readsPerSecond = Double(result.eventsRead) / result.readSeconds
        if self.json {
            print(
                #"{"store":"\#(store)","events":\#(self.events),"concurrency":\#(self.concurrency),"streams":\#(self.streams),"#
                    + #""appendsPerSecond":\#(Int(appendsPerSecond)),"appendP50Ms":\#(percentile(0.5)),"#
                    + #""appendP99Ms":\#(percentile(0.99)),"readsPerSecond":\#(Int(readsPerSecond))}"#)
            return
        }
        print("store \(store): \(self.events) events, \(self.concurrency) in flight, \(self.streams) streams")
        print("  appends/s         \(Int(appendsPerSecond))")
        print("  append p50 / p99  \(Self.format(percentile(0.5))) ms / \(Self.format(percentile(0.99))) ms")
        print("  catch-up reads/s  \(Int(readsPerSecond)) (pages of \(self.page))")
    }

    private static func format(_ value: Double) -> String {
        String(Double(Int(value * 100)) / 100)
    }
}

/// The event store a benchmark runs on, with whatever it needs running (a connection pool).
struct BenchStore {
    let store: any EventStore
    let database: PostgresStorage?

    static func open(_ configuration: HuddleConfiguration, logger: Logger) async throws -> BenchStore {
        switch configuration.store {
        case .memory:
            return BenchStore(store: InMemoryEventStore(), database: nil)
        case .sqlite:
            try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
            let database = try await SQLiteStorage.open(path: configuration.dataDirectory + "/huddle.sqlite", logger: logger)
            return BenchStore(store: SQLiteEventStore(database: database), database: nil)
        case .postgres:
            guard let settings = configuration.postgres else { throw ValidationError("no PostgreSQL settings") }
            let database = PostgresStorage(settings: settings, logger: logger)
            return BenchStore(store: PostgresEventStore(database: database), database: database)
        }
    }

    func run<T: Sendable>(_ body: (any EventStore) async throws -> T) async throws -> T {
        guard let database = self.database else { return try await body(self.store) }
        return try await database.withRunning {
            try await database.migrate()
            return try await body(self.store)
        }
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
