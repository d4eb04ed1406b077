import ArgumentParser
import Foundation
import NIOHTTP1
import Synchronization

/// `huddle bench counter`: concurrent HTTP increments of one counter through the given
/// URLs (replicas or a load balancer), then a correctness check: the final count must hold
/// every acknowledged increment.
struct CounterBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "counter",
        abstract: "Concurrent HTTP increments: throughput, latency, and final count = acknowledged.",
        discussion: """
            Exits non-zero when the final count is below the number of acknowledged increments \
            (an acknowledged increment was lost). Failed requests may or may not have been \
            applied, so the final count may exceed the acknowledged ones by at most their number.
            """
    )

    @Option(name: .customLong("url"), help: "A replica or load balancer, http://host:port (repeat for several).")
    var urls: [String] = ["http://127.0.0.1:8080"]

    @Option(help: "Increments in all.")
    var requests = 20_000

    @Option(help: "Connections, each with one increment in flight.")
    var workers = 32

    @Option(help: "The counter's id, or the ids' prefix with --ids (default: a new one per run).")
    var counter: String?

    @Option(help: "Counters the increments are spread over, round robin (1: one hot counter).")
    var ids = 1

    @Flag(help: "First send as many GET /health/live the same way: this HTTP stack's ceiling, for comparison.")
    var ceiling = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        let targets = try BenchTarget.parse(self.urls)
        guard self.requests > 0, self.workers > 0, self.ids > 0 else {
            throw ValidationError("--requests, --workers and --ids must be positive")
        }
        let base = self.counter ?? "bench-\(UUID().uuidString.prefix(8).lowercased())"
        let ids = self.ids == 1 ? [base] : (0..<self.ids).map { "\(base)-\($0)" }
        let ceiling = self.ceiling ? try await self.load(targets, ids: ids, path: { _ in (.GET, "/health/live") }) : nil
        var before: [Int] = []
        for id in ids { before.append(try await Self.count(id, at: targets[0])) }
        let run = try await self.load(targets, ids: ids) { (.POST, "/api/v1/counters/\(ids[$0 % ids.count])/increment") }
        var final: [Int] = []
        for (index, id) in ids.enumerated() { final.append(try await Self.count(id, at: targets[0]) - before[index]) }
        // Per counter: a counter holding fewer than its acknowledged increments lost some.
        let lost = zip(final, run.outcome.acknowledged).map { max(0, $1 - $0) }.reduce(0, +)
        self.report(run, ceiling: ceiling, final: final.reduce(0, +), lost: lost, id: base)
        if lost > 0 { throw ExitCode(1) }
    }

    struct Run {
        var outcome: Outcome
        var seconds: Double
    }

    /// `requests` requests from `workers` connections; request n is `path(n)`.
    private func load(
        _ targets: [BenchTarget], ids: [String], path: @escaping @Sendable (Int) -> (HTTPMethod, String)
    ) async throws -> Run {
        let tickets = Tickets(self.requests)
        let clock = ContinuousClock()
        let started = clock.now
        let counters = ids.count
        let outcome = await withTaskGroup(of: Outcome.self) { group in
            for worker in 0..<self.workers {
                group.addTask {
                    await Self.work(on: targets[worker % targets.count], counters: counters, path: path, tickets: tickets, clock: clock)
                }
            }
            return await group.reduce(into: Outcome(counters: counters)) { $0.add($1) }
        }
        return Run(outcome: outcome, seconds: (clock.now - started).seconds)
    }

    struct Outcome: Sendable {
        /// Acknowledged requests per counter (request n goes to counter n % counters).
        var acknowledged: [Int]
        var failures: [String: Int] = [:]
        var latencies = Latencies()

        init(counters: Int) {
            self.acknowledged = Array(repeating: 0, count: counters)
        }

        mutating func add(_ other: Outcome) {
            self.acknowledged = zip(self.acknowledged, other.acknowledged).map(+)
            self.failures.merge(other.failures, uniquingKeysWith: +)
            self.latencies.add(other.latencies)
        }

        var total: Int { self.acknowledged.reduce(0, +) }
        var failed: Int { self.failures.values.reduce(0, +) }
    }

    /// Takes request numbers until all are taken, reconnecting after a lost connection.
    private static func work(
        on target: BenchTarget, counters: Int, path: @Sendable (Int) -> (HTTPMethod, String), tickets: Tickets,
        clock: ContinuousClock
    ) async -> Outcome {
        var outcome = Outcome(counters: counters)
        while tickets.left {
            do {
                try await HTTPConnection.with(target) { connection in
                    while let ticket = tickets.next() {
                        let (method, uri) = path(ticket)
                        let start = clock.now
                        let response = try await connection.request(method, uri)
                        if response.status == 200 {
                            outcome.acknowledged[ticket % counters] += 1
                            outcome.latencies.record(clock.now - start)
                        } else {
                            outcome.failures["HTTP \(response.status)", default: 0] += 1
                        }
                    }
                }
            } catch {
                // The request in flight, if any, has an unknown outcome: counted as failed.
                outcome.failures["connection lost", default: 0] += 1
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        return outcome
    }

    static func count(_ id: String, at target: BenchTarget) async throws -> Int {
        try await HTTPConnection.with(target) { connection in
            let response = try await connection.request(.GET, "/api/v1/counters/\(id)")
            guard response.status == 200,
                let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any],
                let count = object["count"] as? Int
            else { throw ValidationError("GET /api/v1/counters/\(id) answered \(response.status): \(response.body)") }
            return count
        }
    }

    private func report(_ run: Run, ceiling: Run?, final: Int, lost: Int, id: String) {
        let outcome = run.outcome
        let perSecond = Int(Double(outcome.total) / run.seconds)
        let ceilingPerSecond = ceiling.map { Int(Double($0.outcome.total) / $0.seconds) }
        if self.json {
            let failures = outcome.failures.map { #""\#($0.key)":\#($0.value)"# }.sorted().joined(separator: ",")
            let ceilingMembers = ceiling.map { #","healthPerSecond":\#(ceilingPerSecond ?? 0),"health":{\#($0.outcome.latencies.jsonMembers)}"# } ?? ""
            print(
                #"{"counter":"\#(id)","counters":\#(self.ids),"workers":\#(self.workers),"targets":\#(self.urls.count),"#
                    + #""acknowledged":\#(outcome.total),"failed":\#(outcome.failed),"failures":{\#(failures)},"#
                    + #""finalCount":\#(final),"lost":\#(lost),"seconds":\#(run.seconds),"incrementsPerSecond":\#(perSecond),"#
                    + #"\#(outcome.latencies.jsonMembers)\#(ceilingMembers)}"#)
            return
        }
        let spread = self.ids == 1 ? "counter \(id)" : "\(self.ids) counters \(id)-*"
        print("\(spread): \(self.requests) increments, \(self.workers) connections over \(self.urls.joined(separator: " "))")
        if let ceiling, let ceilingPerSecond {
            print("  GET /health/live  \(ceiling.outcome.total) in \(Latencies.format(ceiling.seconds)) s = \(ceilingPerSecond)/s  \(ceiling.outcome.latencies.summary)")
        }
        print("  acknowledged      \(outcome.total) in \(Latencies.format(run.seconds)) s = \(perSecond)/s")
        print("  latency           \(outcome.latencies.summary)")
        print("  failed            \(outcome.failed) \(outcome.failures.isEmpty ? "" : String(describing: outcome.failures))")
        print("  final count       \(final) (\(lost == 0 ? "no acknowledged increment lost" : "LOST \(lost) acknowledged increments"))")
    }
}

/// Request numbers handed out to workers until all are taken.
final class Tickets: Sendable {
    private let taken = Atomic<Int>(0)
    let total: Int

    init(_ total: Int) { self.total = total }

    /// The next request number, or nil once all are taken.
    func next() -> Int? {
        let ticket = self.taken.wrappingAdd(1, ordering: .relaxed).oldValue
        return ticket < self.total ? ticket : nil
    }
    var left: Bool { self.taken.load(ordering: .relaxed) < self.total }
}
