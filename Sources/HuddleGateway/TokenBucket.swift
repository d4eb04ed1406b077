/// A token-bucket rate limiter: `rate` tokens per second, at most `burst` saved up.
///
/// Time comes in as an argument (seconds on any monotonic clock) so that the limiter is a
/// pure value, testable without waiting.
public struct TokenBucket: Sendable, Hashable {
    public let rate: Double
    public let burst: Double
    private var tokens: Double
    private var last: Double?

    public init(rate: Double, burst: Double) {
        precondition(rate > 0 && burst >= 1, "a bucket needs a positive rate and room for one token")
        self.rate = rate
        self.burst = burst
        self.tokens = burst
    }

    /// Takes one token if there is one.
    public mutating func take(now: Double) -> Bool {
        if let last {
            self.tokens = min(self.burst, self.tokens + max(0, now - last) * self.rate)
        }
        self.last = now
        guard self.tokens >= 1 else { return false }
        self.tokens -= 1
        return true
    }
}
