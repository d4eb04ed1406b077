/// `body` took longer than the deadline it was given.
public struct DeadlineExceeded: Error, Sendable {
    public init() {}
}

/// Runs `body`, throwing ``DeadlineExceeded`` if it has not finished after `limit` (and
/// cancelling it). For calls to servers that may hang rather than fail: a database being
/// restarted, a Redis master that died mid-reply.
public func withDeadline<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw DeadlineExceeded() }
        return value
    }
}
