import Synchronization

/// Counts failed logins per login name and client address, in this process (and, by the same
/// rule, registrations and anonymous creations per address).
///
/// After `attempts` failures within `window` seconds, further logins for that pair are refused
/// until the window of the first failure has passed; a success clears the count. Replicas
/// count separately (an attacker spread over n replicas gets n × attempts), which is noted in
/// `docs/SECURITY.md`. Memory is bounded: expired entries are dropped when the table grows.
final class LoginThrottle: Sendable {
    private struct Entry {
        var failures: Int
        var windowStart: Double
    }

    let attempts: Int
    let window: Double
    private let now: @Sendable () -> Double
    private let entries = Mutex<[String: Entry]>([:])
    private static let pruneThreshold = 10_000

    init(attempts: Int, window: Duration, now: @escaping @Sendable () -> Double) {
        self.attempts = attempts
        self.window = Double(window.components.seconds)
        self.now = now
    }

    /// Seconds until `key` may try again, or nil when it may try now.
    func retryAfter(_ key: String) -> Int? {
        let now = self.now()
        return self.entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            let remaining = entry.windowStart + self.window - now
            guard remaining > 0 else {
                entries[key] = nil
                return nil
            }
            return entry.failures >= self.attempts ? max(1, Int(remaining.rounded(.up))) : nil
        }
    }

    func recordFailure(_ key: String) {
        let now = self.now()
        self.entries.withLock { entries in
            if entries.count >= Self.pruneThreshold {
                entries = entries.filter { $0.value.windowStart + self.window > now }
            }
            if var entry = entries[key], entry.windowStart + self.window > now {
                entry.failures += 1
                entries[key] = entry
            } else {
                entries[key] = Entry(failures: 1, windowStart: now)
            }
        }
    }

    /// A monotonic clock for `now`: seconds since this call.
    static func secondsSinceStart() -> @Sendable () -> Double {
        let start = ContinuousClock.now
        return {
            let (seconds, attoseconds) = (ContinuousClock.now - start).components
            return Double(seconds) + Double(attoseconds) / 1e18
        }
    }

    func recordSuccess(_ key: String) {
        _ = self.entries.withLock { $0.removeValue(forKey: key) }
    }
}
