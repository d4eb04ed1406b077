import HummingbirdWSClient
import NIOCore
import NIOWebSocket
import Synchronization

/// What a WebSocket benchmark run tracks besides its own counts: its connections (closed all
/// at once at the end), how many subscriptions are in, and how many frames that matter have
/// arrived (the end of a run waits until that stops moving).
final class RunProgress: Sendable {
    let clock = ContinuousClock()
    private let ready = Atomic<Int>(0)
    private let arrivals = Atomic<Int>(0)
    private let closers = Mutex<[@Sendable () -> Void]>([])

    func opened(_ writer: WebSocketOutboundWriter) {
        self.closers.withLock {
            $0.append { Task { try? await writer.close(.normalClosure, reason: "benchmark over") } }
        }
    }

    func opened(_ channel: any Channel) {
        self.closers.withLock { $0.append { channel.closeWebSocket() } }
    }

    func subscribedOne() {
        self.ready.add(1, ordering: .relaxed)
    }

    func arrived() {
        self.arrivals.add(1, ordering: .relaxed)
    }

    var subscribed: Int { self.ready.load(ordering: .relaxed) }

    func waitForSubscribers(_ count: Int, limit: Duration) async -> Bool {
        let deadline = self.clock.now + limit
        while self.subscribed < count, self.clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return self.subscribed >= count
    }

    /// Waits until nothing has arrived for `quiet` (or `limit` has passed): an overloaded server
    /// delivers late, and late is not lost.
    func waitUntilQuiet(for quiet: Duration, limit: Duration) async {
        let deadline = self.clock.now + limit
        var seen = self.arrivals.load(ordering: .relaxed)
        var lastChange = self.clock.now
        while self.clock.now < deadline, self.clock.now - lastChange < quiet {
            try? await Task.sleep(for: .milliseconds(250))
            let now = self.arrivals.load(ordering: .relaxed)
            if now != seen {
                seen = now
                lastChange = self.clock.now
            }
        }
    }

    func closeAll() {
        for close in self.closers.withLock({ $0 }) { close() }
    }
}
