/// Exponential backoff with full jitter, for reconnecting.
///
/// Full jitter (a random delay between zero and the exponential cap) spreads the reconnects
/// of many clients after a failover, instead of having them all retry in step.
public struct RESPBackoff: Sendable, Hashable {
    /// The cap of the first retry's delay.
    public var initial: Duration
    /// The largest cap, however many attempts failed.
    public var maximum: Duration

    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(2)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The cap for `attempt` (0-based): initial × 2^attempt, at most ``maximum``.
    public func ceiling(attempt: Int) -> Duration {
        let factor = 1 << min(max(attempt, 0), 20)
        let grown = self.initial * factor
        return grown > self.maximum ? self.maximum : grown
    }

    /// A random delay in `0...ceiling(attempt:)`.
    public func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = self.ceiling(attempt: attempt)
        let nanoseconds = ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
        guard nanoseconds > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...nanoseconds, using: &generator))
    }

    public func delay(attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return self.delay(attempt: attempt, using: &generator)
    }
}
