import Synchronization

/// Open connections per client address, HTTP and WebSocket alike, counted when accepted.
///
/// At accept there is no `X-Forwarded-For` to read, so peers in `trusted-proxies` are not
/// counted: every client behind a load balancer arrives from the balancer's address.
final class ConnectionsPerAddress: Sendable {
    let limit: Int
    let exempt: TrustedProxies
    private let counts = Mutex<[String: Int]>([:])

    init(limit: Int, exempt: TrustedProxies) {
        self.limit = limit
        self.exempt = exempt
    }

    /// Counts a new connection from `address`; false (and not counted) when that address has
    /// `limit` open already. Each `true` must be followed by one ``close(_:)``.
    func open(_ address: String) -> Bool {
        self.counts.withLock { counts in
            let open = counts[address, default: 0]
            guard open < self.limit else { return false }
            counts[address] = open + 1
            return true
        }
    }

    func close(_ address: String) {
        self.counts.withLock { counts in
            let open = counts[address, default: 1] - 1
            counts[address] = open > 0 ? open : nil
        }
    }

    /// Connections open from `address` now.
    func count(_ address: String) -> Int {
        self.counts.withLock { $0[address, default: 0] }
    }
}
