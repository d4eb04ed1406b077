import ArgumentParser
import Foundation
import NIOHTTP1

/// `huddle bench teams`: the Teams HTTP API under the load of LetChooseTeams' own k6
/// scenarios: create (clients ramping up to `--clients`), get, and join (each iteration creates
/// a tournament of `--players` and joins that many players), then a check that every
/// acknowledged join is in its tournament.
struct TeamsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teams",
        abstract: "Teams' create, get and join scenarios: request rate, latency (avg, p95), failures.",
        discussion: """
            Clients start one by one over --ramp seconds (k6's ramping VUs), each with its own \
            guest tokens, and run until the scenario's requests are taken. Exits non-zero when a \
            join was acknowledged but its player is missing, or a tournament has more players \
            than its limit.
            """
    )

    enum Scenario: String, ExpressibleByArgument, CaseIterable {
        case create, get, join, all
    }

    @Option(name: .customLong("url"), help: "A replica or load balancer, http://host:port (repeat for several).")
    var urls: [String] = ["http://127.0.0.1:8080"]

    @Option(help: "create, get, join or all.")
    var scenario = Scenario.all

    @Option(help: "Concurrent clients (each one connection, one request in flight).")
    var clients = 120

    @Option(help: "Seconds over which the clients start.")
    var ramp = 1.0

    @Option(help: "Requests of the create and get scenarios.")
    var requests = 20_000

    @Option(help: "Iterations of the join scenario (each: one create and --players joins).")
    var iterations = 1_000

    @Option(help: "Players per tournament in the join scenario (2 to 10).")
    var players = 6

    @Flag(help: "Print JSON lines instead of a table.")
    var json = false

    func run() async throws {
        let targets = try BenchTarget.parse(self.urls)
        guard self.clients > 0, self.requests > 0, self.iterations > 0, (2...10).contains(self.players), self.ramp >= 0 else {
            throw ValidationError("--clients, --requests and --iterations must be positive, --players 2 to 10")
        }
        let run = "bench-\(UUID().uuidString.prefix(8).lowercased())"
        let scenarios: [Scenario] = self.scenario == .all ? [.create, .get, .join] : [self.scenario]
        var broken = false
        for scenario in scenarios {
            let result: Result
            switch scenario {
            case .create: result = try await self.create(targets, run: run)
            case .get: result = try await self.get(targets, run: run)
            case .join:
                result = try await self.join(targets, run: run)
                broken = broken || result.problems > 0
            case .all: preconditionFailure("expanded above")
            }
            self.report(scenario, result)
        }
        if broken { throw ExitCode(1) }
    }

    struct Result {
        var outcome = Outcome()
        var seconds = 0.0
        /// Join: acknowledged joins missing from their tournament, or tournaments past their limit.
        var problems = 0
    }

    struct Outcome: Sendable {
        var acknowledged = 0
        var failures: [String: Int] = [:]
        var latencies = Latencies()
        /// Join: the tournaments made and the joins acknowledged in each.
        var joined: [String: Int] = [:]

        mutating func add(_ other: Outcome) {
            self.acknowledged += other.acknowledged
            self.failures.merge(other.failures, uniquingKeysWith: +)
            self.latencies.add(other.latencies)
            self.joined.merge(other.joined, uniquingKeysWith: +)
        }

        var failed: Int { self.failures.values.reduce(0, +) }

        /// Sends one request, timing it when it answers `expected`.
        mutating func send(
            _ connection: inout HTTPConnection, _ method: HTTPMethod, _ path: String, json: String? = nil, token: String? = nil,
            expected: Int
        ) async throws -> HTTPConnection.Response? {
            let start = ContinuousClock.now
            let response = try await connection.request(method, path, json: json, token: token)
            guard response.status == expected else {
                self.failures["HTTP \(response.status)", default: 0] += 1
                return nil
            }
            self.acknowledged += 1
            self.latencies.record(ContinuousClock.now - start)
            return response
        }
    }

    /// Creates of distinctly named 6-player tournaments.
    private func create(_ targets: [BenchTarget], run: String) async throws -> Result {
        let tickets = Tickets(self.requests)
        return try await self.load(targets, tokens: 1) { connection, tokens, outcome in
            while let ticket = tickets.next() {
                _ = try await outcome.send(
                    &connection, .POST, "/api/v1/tournaments", json: Self.creation("\(run)-c\(ticket)", players: self.players),
                    token: tokens[0], expected: 201)
            }
        }
    }

    /// Reads of one tournament.
    private func get(_ targets: [BenchTarget], run: String) async throws -> Result {
        let id = try await HTTPConnection.with(targets[0]) { connection in
            let token = try await Self.guest(&connection)
            let created = try await connection.request(.POST, "/api/v1/tournaments", json: Self.creation("\(run)-g", players: 2), token: token)
            guard created.status == 201, let id = Self.field("id", in: created.body) else {
                throw ValidationError("create answered \(created.status): \(created.body)")
            }
            return id
        }
        let tickets = Tickets(self.requests)
        return try await self.load(targets, tokens: 0) { connection, _, outcome in
            while tickets.next() != nil {
                _ = try await outcome.send(&connection, .GET, "/api/v1/tournaments/\(id)", expected: 200)
            }
        }
    }

    /// Each iteration: a create, then `players` joins, each by its own guest.
    private func join(_ targets: [BenchTarget], run: String) async throws -> Result {
        let tickets = Tickets(self.iterations)
        var result = try await self.load(targets, tokens: self.players + 1) { connection, tokens, outcome in
            while let ticket = tickets.next() {
                guard let created = try await outcome.send(
                    &connection, .POST, "/api/v1/tournaments", json: Self.creation("\(run)-j\(ticket)", players: self.players),
                    token: tokens[0], expected: 201),
                    let id = Self.field("id", in: created.body)
                else { continue }
                outcome.joined[id] = 0
                for player in 1...self.players {
                    let body = #"{"name":"Player \#(player)","surname":"\#(run) \#(ticket)"}"#
                    if try await outcome.send(
                        &connection, .POST, "/api/v1/tournaments/\(id)/players", json: body, token: tokens[player], expected: 201) != nil
                    {
                        outcome.joined[id, default: 0] += 1
                    }
                }
            }
        }
        result.problems = try await self.check(result.outcome.joined, at: targets[targets.count - 1])
        return result
    }

    /// Tournaments whose players are not the joins acknowledged (reading through the last target,
    /// so that across replicas it is another one than most joins went through).
    private func check(_ joined: [String: Int], at target: BenchTarget) async throws -> Int {
        try await HTTPConnection.with(target) { connection in
            var problems = 0
            for (id, count) in joined {
                let response = try await connection.request(.GET, "/api/v1/tournaments/\(id)")
                let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
                let players = (object?["players"] as? [Any])?.count ?? -1
                if response.status != 200 || players != count || players > self.players { problems += 1 }
            }
            return problems
        }
    }

    /// Runs `body` on `clients` connections started over the ramp, each with `tokens` guest tokens.
    private func load(
        _ targets: [BenchTarget], tokens: Int,
        _ body: @escaping @Sendable (inout HTTPConnection, [String], inout Outcome) async throws -> Void
    ) async throws -> Result {
        let started = ContinuousClock.now
        let ramp = self.ramp
        let clients = self.clients
        let outcome = await withTaskGroup(of: Outcome.self) { group in
            for client in 0..<clients {
                group.addTask {
                    try? await Task.sleep(for: .seconds(ramp * Double(client) / Double(clients)))
                    var outcome = Outcome()
                    do {
                        try await HTTPConnection.with(targets[client % targets.count]) { connection in
                            var owned: [String] = []
                            for _ in 0..<tokens { owned.append(try await Self.guest(&connection)) }
                            try await body(&connection, owned, &outcome)
                        }
                    } catch {
                        outcome.failures["connection lost", default: 0] += 1
                    }
                    return outcome
                }
            }
            return await group.reduce(into: Outcome()) { $0.add($1) }
        }
        return Result(outcome: outcome, seconds: (ContinuousClock.now - started).seconds)
    }

    static func creation(_ name: String, players: Int) -> String {
        #"{"name":"\#(name)","playerLimit":\#(players)}"#
    }

    static func guest(_ connection: inout HTTPConnection) async throws -> String {
        let response = try await connection.request(.POST, "/api/v1/auth/guest")
        guard response.status == 200, let token = Self.field("accessToken", in: response.body) else {
            throw ValidationError("POST /api/v1/auth/guest answered \(response.status): \(response.body)")
        }
        return token
    }

    static func field(_ name: String, in body: String) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?[name] as? String
    }

    private func report(_ scenario: Scenario, _ result: Result) {
        let outcome = result.outcome
        let perSecond = Int(Double(outcome.acknowledged) / result.seconds)
        let latencies = outcome.latencies
        if self.json {
            let failures = outcome.failures.map { #""\#($0.key)":\#($0.value)"# }.sorted().joined(separator: ",")
            print(
                #"{"scenario":"\#(scenario.rawValue)","clients":\#(self.clients),"targets":\#(self.urls.count),"#
                    + #""acknowledged":\#(outcome.acknowledged),"failed":\#(outcome.failed),"failures":{\#(failures)},"#
                    + #""problems":\#(result.problems),"seconds":\#(result.seconds),"requestsPerSecond":\#(perSecond),"#
                    + #""avgMs":\#(latencies.averageMilliseconds),"p95Ms":\#(latencies.milliseconds(at: 95)),\#(latencies.jsonMembers)}"#)
            return
        }
        print("\(scenario.rawValue): \(self.clients) clients over \(self.urls.joined(separator: " "))")
        print("  acknowledged  \(outcome.acknowledged) requests in \(Latencies.format(result.seconds)) s = \(perSecond)/s")
        print("  latency       avg \(Latencies.format(latencies.averageMilliseconds)) ms  p95 \(Latencies.format(latencies.milliseconds(at: 95))) ms  \(latencies.summary)")
        print("  failed        \(outcome.failed) \(outcome.failures.isEmpty ? "" : String(describing: outcome.failures))")
        if scenario == .join {
            print("  checked       \(outcome.joined.count) tournaments: \(result.problems == 0 ? "every acknowledged join is there" : "\(result.problems) WRONG")")
        }
    }
}
