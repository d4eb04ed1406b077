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

    @Option(help: "The counter's id (default: a new one per run).")
    var counter: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        let targets = try BenchTarget.parse(self.urls)
        guard self.requests > 0, self.workers > 0 else { throw ValidationError("--requests and --workers must be positive") }
        let id = self.counter ?? "bench-\(UUID().uuidString.prefix(8).lowercased())"
        let before = try await Self.count(id, at: targets[0])
        let tickets = Tickets(self.requests)
        let clock = ContinuousClock()
        let started = clock.now

        let outcome = await withTaskGroup(of: Outcome.self) { group in
            for worker in 0..<self.workers {
                group.addTask {
                    await Self.work(on: targets[worker % targets.count], id: id, tickets: tickets, clock: clock)
                }
            }
            return await group.reduce(into: Outcome()) { $0.add($1) }
        }
        let seconds = (clock.now - started).seconds
        let final = try await Self.count(id, at: targets[0]) - before
        self.report(outcome, final: final, seconds: seconds, id: id)
        if final < outcome.acknowledged { throw ExitCode(1) }
    }

    struct Outcome: Sendable {
        var acknowledged = 0
        var failures: [String: Int] = [:]
        var latencies = Latencies()

        mutating func add(_ other: Outcome) {
            self.acknowledged += other.acknowledged
            self.failures.merge(other.failures, uniquingKeysWith: +)
            self.latencies.add(other.latencies)
        }

        var failed: Int { self.failures.values.reduce(0, +) }
    }

    /// Takes request numbers until all are taken, reconnecting after a lost connection.
    private static func work(
        on target: BenchTarget, id: String, tickets: Tickets, clock: ContinuousClock
    ) async -> Outcome {
        var outcome = Outcome()
        while tickets.left {
            do {
                try await HTTPConnection.with(target) { connection in
                    while tickets.take() {
                        let start = clock.now
                        let response = try await connection.request(.POST, "/api/v1/counters/\(id)/increment")
                        if response.status == 200 {
                            outcome.acknowledged += 1
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

    private func report(_ outcome: Outcome, final: Int, seconds: Double, id: String) {
        let lost = max(0, outcome.acknowledged - final)
        let perSecond = Int(Double(outcome.acknowledged) / seconds)
        if self.json {
            let failures = outcome.failures.map { #""\#($0.key)":\#($0.value)"# }.sorted().joined(separator: ",")
            print(
                #"{"counter":"\#(id)","workers":\#(self.workers),"targets":\#(self.urls.count),"acknowledged":\#(outcome.acknowledged),"#
                    + #""failed":\#(outcome.failed),"failures":{\#(failures)},"finalCount":\#(final),"lost":\#(lost),"#
                    + #""seconds":\#(seconds),"incrementsPerSecond":\#(perSecond),\#(outcome.latencies.jsonMembers)}"#)
            return
        }
        print("counter \(id): \(self.requests) increments, \(self.workers) connections over \(self.urls.joined(separator: " "))")
        print("  acknowledged      \(outcome.acknowledged) in \(Latencies.format(seconds)) s = \(perSecond)/s")
        print("  latency           \(outcome.latencies.summary)")
        print("  failed            \(outcome.failed) \(outcome.failures.isEmpty ? "" : String(describing: outcome.failures))")
        print("  final count       \(final) (\(lost == 0 ? "no acknowledged increment lost" : "LOST \(lost) acknowledged increments"))")
    }
}

/// Request numbers handed out to workers until all are taken.
final class Tickets: Sendable {
    private let next = Atomic<Int>(0)
    let total: Int

    init(_ total: Int) { self.total = total }

    func take() -> Bool { self.next.wrappingAdd(1, ordering: .relaxed).oldValue < self.total }
    var left: Bool { self.next.load(ordering: .relaxed) < self.total }
}
