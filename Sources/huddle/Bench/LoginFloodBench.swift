import ArgumentParser
import Foundation
import NIOHTTP1
import Synchronization

/// `huddle bench login-flood`: what a flood of failing logins does to everyone else. Board
/// commands (`moveBox` over HTTP, one store append each) are timed alone, then again while
/// `--logins` connections each keep one login with a made-up name in flight.
struct LoginFloodBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login-flood",
        abstract: "Board commands' latency alone, then under a flood of logins with unknown names.",
        discussion: """
            Every flood login names a user that does not exist, so the server checks a dummy \
            bcrypt hash (as it must, or the time would tell which names exist). From one address \
            the per-address limit soon answers 429 without hashing; --spread-addresses sends each \
            login with its own made-up X-Forwarded-For, as a flood from many machines looks: run \
            the server with --trusted-proxies 127.0.0.1 for that.
            """
    )

    @Option(name: .customLong("url"), help: "A replica or load balancer, http://host:port.")
    var url = "http://127.0.0.1:8080"

    @Option(help: "Logins in flight during the flood, one per connection.")
    var logins = 400

    @Option(help: "Seconds of each phase: the commands alone, then under the flood.")
    var seconds = 10

    @Option(help: "Connections sending board commands, one command in flight each.")
    var workers = 4

    @Flag(help: "A made-up X-Forwarded-For on each login (the server must trust 127.0.0.1 as a proxy).")
    var spreadAddresses = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        guard let target = BenchTarget(url: self.url) else { throw ValidationError("--url must be http://host:port") }
        guard self.logins > 0, self.seconds > 0, self.workers > 0 else {
            throw ValidationError("--logins, --seconds and --workers must be positive")
        }
        let (token, board, box) = try await HTTPConnection.with(target) { connection in
            let token = try await BenchSetup.guestToken(&connection)
            let board = try await BenchSetup.board(named: "login-flood", token: token, &connection)
            return (token, board, try await BenchSetup.box(on: board, token: token, &connection))
        }
        let commands = Commands(target: target, token: token, board: board, box: box)
        let alone = await commands.run(workers: self.workers, for: .seconds(self.seconds))

        let stop = StopSignal()
        let flooded: Commands.Outcome
        let flood: [String: Int]
        (flooded, flood) = await withTaskGroup(of: [String: Int].self) { group in
            for worker in 0..<self.logins {
                group.addTask { await self.login(from: worker, at: target, until: stop) }
            }
            // Let the flood fill up before timing starts.
            try? await Task.sleep(for: .seconds(1))
            let flooded = await commands.run(workers: self.workers, for: .seconds(self.seconds))
            stop.stop()
            let statuses = await group.reduce(into: [String: Int]()) { $0.merge($1, uniquingKeysWith: +) }
            return (flooded, statuses)
        }
        self.report(alone: alone, flooded: flooded, logins: flood)
    }

    /// Logins with made-up names, one at a time on one connection, until `stop`.
    private func login(from worker: Int, at target: BenchTarget, until stop: StopSignal) async -> [String: Int] {
        var statuses: [String: Int] = [:]
        var sent = 0
        while !stop.isStopped {
            do {
                try await HTTPConnection.with(target) { connection in
                    while !stop.isStopped {
                        sent += 1
                        let body = #"{"login":"flood-\#(worker)-\#(sent)","password":"not-the-password"}"#
                        // 10.x.y.z, a different address for every login.
                        let address = "10.\(worker % 250).\(sent / 250 % 250).\(sent % 250 + 1)"
                        let headers = self.spreadAddresses ? [("X-Forwarded-For", address)] : []
                        let response = try await connection.request(.POST, "/api/v1/auth/login", json: body, headers: headers)
                        statuses["HTTP \(response.status)", default: 0] += 1
                    }
                }
            } catch {
                statuses["connection lost", default: 0] += 1
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        return statuses
    }

    private func report(alone: Commands.Outcome, flooded: Commands.Outcome, logins: [String: Int]) {
        let answered = logins.sorted { $0.key < $1.key }
        if self.json {
            let statuses = answered.map { #""\#($0.key)":\#($0.value)"# }.joined(separator: ",")
            print(
                #"{"logins":\#(self.logins),"seconds":\#(self.seconds),"workers":\#(self.workers),"#
                    + #""spreadAddresses":\#(self.spreadAddresses),"loginAnswers":{\#(statuses)},"#
                    + #""alone":{\#(alone.jsonMembers)},"flooded":{\#(flooded.jsonMembers)}}"#)
            return
        }
        print("board commands (moveBox over HTTP), \(self.workers) connections, \(self.seconds) s each phase, \(self.url)")
        print("  alone             \(alone.summary)")
        print("  under the flood   \(flooded.summary)")
        let spread = self.spreadAddresses ? ", each from its own X-Forwarded-For" : ", all from this address"
        print("  logins            \(self.logins) in flight\(spread): \(answered.map { "\($0.value) × \($0.key)" }.joined(separator: ", "))")
    }
}

/// Board commands sent back to back for a while, each timed.
private struct Commands: Sendable {
    let target: BenchTarget
    let token: String
    let board: String
    let box: String

    struct Outcome: Sendable {
        var latencies = Latencies()
        var failures: [String: Int] = [:]
        var seconds = 0.0

        var perSecond: Int { self.seconds > 0 ? Int(Double(self.latencies.count) / self.seconds) : 0 }
        var summary: String {
            "\(self.latencies.count) acknowledged = \(self.perSecond)/s  \(self.latencies.summary)"
                + (self.failures.isEmpty ? "" : "  failed: \(self.failures)")
        }
        var jsonMembers: String {
            let failures = self.failures.map { #""\#($0.key)":\#($0.value)"# }.sorted().joined(separator: ",")
            return #""acknowledged":\#(self.latencies.count),"perSecond":\#(self.perSecond),"failures":{\#(failures)},"#
                + self.latencies.jsonMembers
        }
    }

    func run(workers: Int, for duration: Duration) async -> Outcome {
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + duration
        var outcome = await withTaskGroup(of: Outcome.self) { group in
            for worker in 0..<workers {
                group.addTask { await self.work(worker, until: deadline, clock: clock) }
            }
            return await group.reduce(into: Outcome()) { total, one in
                total.latencies.add(one.latencies)
                total.failures.merge(one.failures, uniquingKeysWith: +)
            }
        }
        outcome.seconds = (clock.now - started).seconds
        return outcome
    }

    private func work(_ worker: Int, until deadline: ContinuousClock.Instant, clock: ContinuousClock) async -> Outcome {
        var outcome = Outcome()
        var move = 0
        while clock.now < deadline {
            do {
                try await HTTPConnection.with(self.target) { connection in
                    while clock.now < deadline {
                        move += 1
                        let body = #"{"name":"moveBox","data":{"boxId":"\#(self.box)","x":\#(worker * 100 + move % 100),"y":\#(move % 1000)}}"#
                        let start = clock.now
                        let response = try await connection.request(
                            .POST, "/api/v1/boards/\(self.board)/commands", json: body, token: self.token)
                        if (200..<300).contains(response.status) {
                            outcome.latencies.record(clock.now - start)
                        } else {
                            outcome.failures["HTTP \(response.status)", default: 0] += 1
                        }
                    }
                }
            } catch {
                outcome.failures["connection lost", default: 0] += 1
            }
        }
        return outcome
    }
}

/// Tells the flood's connections to stop.
private final class StopSignal: Sendable {
    private let stopped = Atomic<Bool>(false)

    func stop() { self.stopped.store(true, ordering: .relaxed) }
    var isStopped: Bool { self.stopped.load(ordering: .relaxed) }
}
