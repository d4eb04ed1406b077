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

    @OptionGroup var shape: FanOutShape

    func run() async throws {
        let targets = try BenchTarget.parse(self.shape.urls)
        _ = OpenFiles.raiseLimit()
        let (boards, boxes) = try await HTTPConnection.with(targets[0]) { connection in
            let token = try await BenchSetup.guestToken(&connection)
            var boards: [String] = []
            for n in 0..<self.shape.channels { boards.append(try await BenchSetup.board(named: "bench \(n)", token: token, &connection)) }
            var boxes: [String] = []
            for n in 0..<self.shape.publishers {
                boxes.append(try await BenchSetup.box(on: boards[n % self.shape.channels], token: token, &connection))
            }
            return (boards, boxes)
        }

        let run = FanoutRun(boxes: boxes, clock: ContinuousClock())
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let outcome = try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<self.shape.clients {
                group.addTask {
                    await run.subscribe(to: "board:\(boards[n % self.shape.channels])", at: targets[n % targets.count])
                }
            }
            guard await run.progress.waitForSubscribers(self.shape.clients, limit: .seconds(120)) else {
                run.progress.closeAll()
                throw BenchSetup.Failed(description: "only \(run.progress.subscribed) of \(self.shape.clients) subscribers got in")
            }
            let start = run.clock.now
            let measuredFrom = start + .milliseconds(Int(self.shape.warmup * 1000))
            let end = start + .milliseconds(Int(self.shape.duration * 1000))
            for n in 0..<self.shape.publishers {
                group.addTask {
                    await run.publish(
                        box: n, on: "board:\(boards[n % self.shape.channels])", at: targets[n % targets.count], every: 1 / self.shape.rate,
                        from: start, measuredFrom: measuredFrom, until: end, logger: logger)
                }
            }
            // Publishers stop at `end`; acks and deliveries still on their way count until none
            // has arrived for 3 s (at most a minute: beyond that, missing is lost).
            try await Task.sleep(until: end, clock: run.clock)
            await run.progress.waitUntilQuiet(for: .seconds(3), limit: .seconds(60))
            let outcome = run.outcome(subscribersPerBoard: self.subscribersPerBoard, boardOfPublisher: { $0 % self.shape.channels })
            run.progress.closeAll()
            await finish(&group, tasks: self.shape.clients + self.shape.publishers, within: 20)
            return outcome
        }
        self.report(outcome)
        if outcome.lost > 0 { throw ExitCode(1) }
    }

    private var subscribersPerBoard: [Int] {
        (0..<self.shape.channels).map { board in (0..<self.shape.clients).count { $0 % self.shape.channels == board } }
    }

    private func report(_ outcome: FanoutRun.Outcome) {
        let window = self.shape.window
        let perSecond = Int(Double(outcome.delivered) / window)
        if self.shape.json {
            let errors = outcome.errors.map { #""\#($0.key)":\#($0.value)"# }.sorted().joined(separator: ",")
            print(
                #"{"clients":\#(self.shape.clients),"channels":\#(self.shape.channels),"publishers":\#(self.shape.publishers),"#
                    + #""rate":\#(self.shape.rate),"targets":\#(self.shape.urls.count),"seconds":\#(window),"#
                    + #""published":\#(outcome.published),"acknowledged":\#(outcome.acknowledged),"#
                    + #""expected":\#(outcome.expected),"delivered":\#(outcome.delivered),"lost":\#(outcome.lost),"#
                    + #""deliveriesPerSecond":\#(perSecond),"errors":{\#(errors)},\#(outcome.latencies.jsonMembers)}"#)
            return
        }
        print(
            "fanout: \(self.shape.clients) subscribers on \(self.shape.channels) boards, \(self.shape.publishers) publishers × \(self.shape.rate)/s, "
                + "over \(self.shape.urls.joined(separator: " ")); \(Latencies.format(window)) s measured")
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
