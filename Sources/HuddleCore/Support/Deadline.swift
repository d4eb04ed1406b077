import Synchronization

/// `body` took longer than the deadline it was given.
public struct DeadlineExceeded: Error, Sendable {
    public init() {}
}

/// Runs `body`, throwing ``DeadlineExceeded`` if it has not finished after `limit`. For calls
/// to servers that may hang rather than fail: a database being restarted, a Redis master that
/// died mid-reply.
///
/// The deadline holds even for a body that ignores cancellation: at the limit the body is
/// cancelled and left to finish in the background (its result discarded), and the caller goes
/// on. Cancelling the caller cancels the body and throws `CancellationError`.
public func withDeadline<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let outcome = FirstOutcome<T>()
    let work = Task {
        do {
            outcome.settle(.success(try await body()))
        } catch {
            outcome.settle(.failure(error))
        }
    }
    let timer = Task {
        try? await Task.sleep(for: limit)
        outcome.settle(.failure(DeadlineExceeded()))
    }
    defer {
        timer.cancel()
        work.cancel()
    }
    return try await withTaskCancellationHandler {
        try await outcome.value()
    } onCancel: {
        outcome.settle(.failure(CancellationError()))
    }
}

/// The first of several results to arrive, handed to one waiter.
private final class FirstOutcome<T: Sendable>: Sendable {
    private struct State {
        var result: Result<T, any Error>?
        var waiter: CheckedContinuation<T, any Error>?
    }

    private let state = Mutex(State())

    func settle(_ result: Result<T, any Error>) {
        let waiter = self.state.withLock { state -> CheckedContinuation<T, any Error>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    func value() async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let settled = self.state.withLock { state -> Result<T, any Error>? in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let settled { continuation.resume(with: settled) }
        }
    }
}
