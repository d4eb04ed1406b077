/// Named counters that only go up (seed 003's HA counter).
///
/// Contract: `increment` is atomic (n concurrent increments add exactly n, each caller sees a
/// distinct value) and durable once it returns; a counter never incremented reads 0.
public protocol Counters: Sendable {
    /// Adds one and returns the new value (1 the first time).
    func increment(_ id: String) async throws -> Int64
    func value(of id: String) async throws -> Int64
}

/// ``Counters`` in memory: tests and demos.
public actor InMemoryCounters: Counters {
    private var values: [String: Int64] = [:]

    public init() {}

    public func increment(_ id: String) -> Int64 {
        let next = self.values[id, default: 0] + 1
        self.values[id] = next
        return next
    }

    public func value(of id: String) -> Int64 {
        self.values[id] ?? 0
    }
}
