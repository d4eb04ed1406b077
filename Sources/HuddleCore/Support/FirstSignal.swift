import Synchronization

/// Resumes whoever waits once it is fired the first time; later firings do nothing, and a
/// wait after the firing returns at once. Waiting ignores cancellation: fire it from a timer
/// as well to bound the wait.
public final class FirstSignal: Sendable {
    private struct State {
        var fired = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    public init() {}

    public var hasFired: Bool { self.state.withLock { $0.fired } }

    public func fire() {
        let waiters = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.fired else { return [] }
            state.fired = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    public func wait() async {
        await withCheckedContinuation { continuation in
            let firedAlready = self.state.withLock { state in
                if state.fired { return true }
                state.waiters.append(continuation)
                return false
            }
            if firedAlready { continuation.resume() }
        }
    }
}
