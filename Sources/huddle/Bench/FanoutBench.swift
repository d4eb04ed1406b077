import ArgumentParser
import Foundation
import HummingbirdWSClient
import Logging
import Synchronization

/// `huddle bench fanout`: durable board events fanned out to WebSocket subscribers spread
/// over the given URLs. Publishers move their own box at a steady rate; every move is stored,
/// published on the broker and delivered to every subscriber of its board. Latency is from
/// the publisher writing the command to a subscriber reading the event, both in this process
/// (one clock).
struct FanoutBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fanout",
        abstract: "End-to-end latency and deliveries/s of stored events fanned out to WebSocket subscribers.",
        discussion: """
            Creates --channels boards (as a guest), gives each of --publishers connections a box \
            on board (n mod channels), and spreads --clients subscribers over the boards and \
            the --url targets round-robin. Only events sent after --warmup seconds count. \
            Reports lost deliveries (events acknowledged to a publisher that a subscriber of \
            their board never received) and exits non-zero when there are any.
            """
    )

    @Option(name: .customLong("url"), help: "A replica or load balancer, http://host:port (repeat for several).")
    var urls: [String] = ["http://127.0.0.1:8080"]

    @Option(help: "Subscribed WebSocket connections.")
    var clients = 100

    @Option(help: "Boards (channels) the subscribers are spread over.")
    var channels = 10

    @Option(help: "Publishing connections, each moving its own box.")
    var publishers = 10

    @Option(help: "Moves per second per publisher (the gateway allows 50 commands/s per connection).")
    var rate = 20.0

    @Option(help: "Seconds of publishing, warm-up included.")
    var duration = 20.0

    @Option(help: "Seconds at the start that do not count.")
    var warmup = 3.0

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        let targets = try BenchTarget.parse(self.urls)
        guard self.clients > 0, self.channels > 0, self.publishers > 0 else {
            throw ValidationError("--clients, --channels and --publishers must be positive")
        }
        guard self.rate > 0, self.rate <= 50, self.duration > self.warmup, self.warmup >= 0 else {
            throw ValidationError("--rate must be within (0, 50] and --duration longer than --warmup")
        }
        _ = OpenFiles.raiseLimit()
        let (boards, boxes) = try await HTTPConnection.with(targets[0]) { connection in
            let token = try await BenchSetup.guestToken(&connection)
            var boards: [String] = []
            for n in 0..<self.channels { boards.append(try await BenchSetup.board(named: "bench \(n)", token: token, &connection)) }
            var boxes: [String] = []
            for n in 0..<self.publishers {
                boxes.append(try await BenchSetup.box(on: boards[n % self.channels], token: token, &connection))
            }
            return (boards, boxes)
        }

        let run = FanoutRun(boxes: boxes, clock: ContinuousClock())
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let outcome = try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<self.clients {
                group.addTask {
                    await run.subscribe(
                        to: "board:\(boards[n % self.channels])", at: targets[n % targets.count], logger: logger)
                }
            }
            guard await run.progress.waitForSubscribers(self.clients, limit: .seconds(120)) else {
                run.progress.closeAll()
                throw BenchSetup.Failed(description: "only \(run.progress.subscribed) of \(self.clients) subscribers got in")
            }
            let start = run.clock.now
            let measuredFrom = start + .milliseconds(Int(self.warmup * 1000))
            let end = start + .milliseconds(Int(self.duration * 1000))
            for n in 0..<self.publishers {
                group.addTask {
                    await run.publish(
                        box: n, on: "board:\(boards[n % self.channels])", at: targets[n % targets.count], every: 1 / self.rate,
                        from: start, measuredFrom: measuredFrom, until: end, logger: logger)
                }
            }
            // Publishers stop at `end`; acks and deliveries still on their way count until none
            // has arrived for 3 s (at most a minute: beyond that, missing is lost).
            try await Task.sleep(until: end, clock: run.clock)
            await run.progress.waitUntilQuiet(for: .seconds(3), limit: .seconds(60))
            let outcome = run.outcome(subscribersPerBoard: self.subscribersPerBoard, boardOfPublisher: { $0 % self.channels })
            run.progress.closeAll()
            await finish(&group, tasks: self.clients + self.publishers, within: 20)
            return outcome
        }
        self.report(outcome)
        if outcome.lost > 0 { throw ExitCode(1) }
    }

    private var subscribersPerBoard: [Int] {
        (0..<self.channels).map { board in (0..<self.clients).count { $0 % self.channels == board } }
    }

    private func report(_ outcome: FanoutRun.Outcome) {
        let window = self.duration - self.warmup
        let perSecond = Int(Double(outcome.delivered) / window)
        if self.json {
            let errors = outcome.errors.map { #""\#($0.key)":\#($0.value)"# }.sorted().joined(separator: ",")
            print(
                #"{"clients":\#(self.clients),"channels":\#(self.channels),"publishers":\#(self.publishers),"#
                    + #""rate":\#(self.rate),"targets":\#(self.urls.count),"seconds":\#(window),"#
                    + #""published":\#(outcome.published),"acknowledged":\#(outcome.acknowledged),"#
                    + #""expected":\#(outcome.expected),"delivered":\#(outcome.delivered),"lost":\#(outcome.lost),"#
                    + #""deliveriesPerSecond":\#(perSecond),"errors":{\#(errors)},\#(outcome.latencies.jsonMembers)}"#)
            return
        }
        print(
            "fanout: \(self.clients) subscribers on \(self.channels) boards, \(self.publishers) publishers × \(self.rate)/s, "
                + "over \(self.urls.joined(separator: " ")); \(Latencies.format(window)) s measured")
        print("  events published  \(outcome.published) (\(outcome.acknowledged) acknowledged)")
        print("  deliveries        \(outcome.delivered) of \(outcome.expected) expected = \(perSecond)/s")
        print("  latency           \(outcome.latencies.summary)")
        print("  lost deliveries   \(outcome.lost)")
        print("  errors            \(outcome.errors.isEmpty ? "none" : String(describing: outcome.errors))")
    }
}

/// Ends a benchmark's task group of `tasks` connections that were asked to close: waits for
/// them at most `seconds`, then cancels what is left.
func finish(_ group: inout ThrowingTaskGroup<Void, any Error>, tasks: Int, within seconds: Int) async {
    group.addTask {
        try await Task.sleep(for: .seconds(seconds))
        throw CancellationError()
    }
    var left = tasks
    while left > 0 {
        do {
            guard try await group.next() != nil else { break }
            left -= 1
        } catch {
            break
        }
    }
    group.cancelAll()
}
