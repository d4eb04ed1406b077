import Synchronization

/// Commands of one stream on this replica take turns: each is decided against the state its
/// predecessor left, so on one replica they never lose a race to each other, and a busy stream
/// (sixteen players joining at once) costs no retries. Across replicas the expected offset
/// still decides. Streams are independent: a turn on one never waits for another.
final class StreamTurns: Sendable {
    /// The streams whose turn is taken, each with the commands waiting for it, oldest first.
    private let taken = Mutex<[String: [CheckedContinuation<Void, Never>]]>([:])

    init() {}

    /// Runs `body` once the commands of `stream` that came earlier on this replica are done.
    func take<T: Sendable>(_ stream: String, _ body: () async throws -> T) async throws -> T {
        await self.wait(for: stream)
        defer { self.pass(stream) }
        return try await body()
    }

    private func wait(for stream: String) async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let free = self.taken.withLock { taken -> Bool in
                guard taken[stream] != nil else {
                    taken[stream] = []
                    return true
                }
                taken[stream]?.append(waiter)
                return false
            }
            if free { waiter.resume() }
        }
    }

    /// Hands the turn to the next waiter, or frees the stream (forgetting it) when none waits.
    private func pass(_ stream: String) {
        let next = self.taken.withLock { taken -> CheckedContinuation<Void, Never>? in
            guard var waiting = taken[stream], !waiting.isEmpty else {
                taken[stream] = nil
                return nil
            }
            let next = waiting.removeFirst()
            taken[stream] = waiting
            return next
        }
        next?.resume()
    }

    /// Streams with a turn taken (for tests).
    var busy: Int { self.taken.withLock { $0.count } }
}
