import ArgumentParser

/// The load shape `bench fanout` and `bench signals` share: subscribers spread over channels
/// and the targets, publishers at a steady rate, and a measured window after a warm-up.
struct FanOutShape: ParsableArguments {
    @Option(name: .customLong("url"), help: "A replica or load balancer, http://host:port (repeat for several).")
    var urls: [String] = ["http://127.0.0.1:8080"]

    @Option(help: "Subscribed WebSocket connections.")
    var clients = 100

    @Option(help: "Channels the subscribers are spread over (boards, for fanout).")
    var channels = 10

    @Option(help: "Publishing connections.")
    var publishers = 10

    @Option(help: "Messages per second per publisher (the gateway allows 50 a second per connection).")
    var rate = 20.0

    @Option(help: "Seconds of publishing, warm-up included.")
    var duration = 20.0

    @Option(help: "Seconds at the start that do not count.")
    var warmup = 3.0

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard self.clients > 0, self.channels > 0, self.publishers > 0 else {
            throw ValidationError("--clients, --channels and --publishers must be positive")
        }
        guard self.rate > 0, self.rate <= 50, self.duration > self.warmup, self.warmup >= 0 else {
            throw ValidationError("--rate must be within (0, 50] and --duration longer than --warmup")
        }
    }

    /// Seconds that count.
    var window: Double { self.duration - self.warmup }
}
