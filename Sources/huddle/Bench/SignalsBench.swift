import ArgumentParser
import Foundation
import Logging

/// `huddle bench signals`: ephemeral signals fanned out to WebSocket subscribers, with no store
/// involved (the gateway and the broker alone). Latency is from the publisher writing a signal
/// to a subscriber reading it, both in this process (one clock).
struct SignalsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signals",
        abstract: "End-to-end latency and deliveries/s of signals fanned out to WebSocket subscribers.",
        discussion: """
            Spreads --clients subscribers over --channels counter channels and the --url targets \
            round-robin; each of --publishers connections (publisher n on channel n mod channels, \
            target n+1 mod targets, so that its signals cross replicas) sends --rate signals a \
            second. Offered deliveries/s = publishers × rate × clients / channels. Only signals \
            sent after --warmup seconds count. Reports lost deliveries (a measured signal that \
            some subscriber of its channel never received) and exits non-zero when there are any.
            """
    )

    @OptionGroup var shape: FanOutShape

    func run() async throws {
        let targets = try BenchTarget.parse(self.shape.urls)
        _ = OpenFiles.raiseLimit()
        let runID = UUID().uuidString.prefix(8).lowercased()
        let channelNames = (0..<self.shape.channels).map { "counter:bench-signals-\(runID)-\($0)" }
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let run = SignalsRun(publishers: self.shape.publishers, warmup: .milliseconds(Int(self.shape.warmup * 1000)))
        let interval = Duration.nanoseconds(Int64(1_000_000_000 / self.shape.rate))
        let channels = self.shape.channels

        let outcome = try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<self.shape.clients {
                group.addTask {
                    await run.subscribe(to: n % channels, named: channelNames[n % channels], at: targets[n % targets.count])
                }
            }
            guard await run.progress.waitForSubscribers(self.shape.clients, limit: .seconds(120)) else {
                run.progress.closeAll()
                throw BenchSetup.Failed(description: "only \(run.progress.subscribed) of \(self.shape.clients) subscribers got in")
            }
            let start = run.begin()
            let end = start + .milliseconds(Int(self.shape.duration * 1000))
            for n in 0..<self.shape.publishers {
                group.addTask {
                    await run.publish(
                        as: n, to: channelNames[n % channels], at: targets[(n + 1) % targets.count], every: interval,
                        from: start, until: end, logger: logger)
                }
            }
            // Signals still on their way count until none has arrived for 3 s (at most a minute).
            try await Task.sleep(until: end, clock: run.clock)
            await run.progress.waitUntilQuiet(for: .seconds(3), limit: .seconds(60))
            run.progress.closeAll()
            await finish(&group, tasks: self.shape.clients + self.shape.publishers, within: 20)
            return run.outcome(channelOfPublisher: { $0 % channels })
        }
        self.report(outcome)
        if outcome.lost > 0 || outcome.reported < self.shape.clients { throw ExitCode(1) }
    }

    private func report(_ outcome: SignalsRun.Outcome) {
        let window = self.shape.window
        let perSecond = Int(Double(outcome.delivered) / window)
        let offered = Int(Double(self.shape.publishers) * self.shape.rate * Double(self.shape.clients) / Double(self.shape.channels))
        if self.shape.json {
            let errors = outcome.errors.map { #""\#($0.key)":\#($0.value)"# }.sorted().joined(separator: ",")
            print(
                #"{"clients":\#(self.shape.clients),"channels":\#(self.shape.channels),"publishers":\#(self.shape.publishers),"#
                    + #""rate":\#(self.shape.rate),"targets":\#(self.shape.urls.count),"seconds":\#(window),"offeredPerSecond":\#(offered),"#
                    + #""sent":\#(outcome.sent),"expected":\#(outcome.expected),"delivered":\#(outcome.delivered),"#
                    + #""lost":\#(outcome.lost),"duplicated":\#(outcome.duplicated),"reported":\#(outcome.reported),"#
                    + #""deliveriesPerSecond":\#(perSecond),"errors":{\#(errors)},\#(outcome.latencies.jsonMembers)}"#)
            return
        }
        print(
            "signals: \(self.shape.clients) subscribers on \(self.shape.channels) channels, \(self.shape.publishers) publishers × \(self.shape.rate)/s "
                + "(\(offered) deliveries/s offered), over \(self.shape.urls.joined(separator: " ")); \(Latencies.format(window)) s measured")
        print("  signals sent      \(outcome.sent)")
        print("  deliveries        \(outcome.delivered) of \(outcome.expected) expected = \(perSecond)/s")
        print("  latency           \(outcome.latencies.summary)")
        print("  lost, duplicated  \(outcome.lost), \(outcome.duplicated)")
        print("  errors            \(outcome.errors.isEmpty ? "none" : String(describing: outcome.errors))")
    }
}
