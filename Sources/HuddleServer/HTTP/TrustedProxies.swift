#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The load balancers whose `X-Forwarded-For` Huddle believes (key `trusted-proxies`:
/// addresses or CIDR ranges, comma separated, e.g. `10.0.0.0/8,127.0.0.1`).
///
/// Behind a proxy every request comes from the proxy's address, so the login throttle would
/// count all users as one client. The header is only believed when the TCP peer is trusted,
/// and then read from the right: each trusted proxy appends the address it saw, anything to
/// the left of the first untrusted address may be made up by the client.
public struct TrustedProxies: Sendable, Equatable {
    struct Range: Sendable, Equatable {
        var address: [UInt8]
        var prefixLength: Int

        func contains(_ other: [UInt8]) -> Bool {
            guard other.count == self.address.count else { return false }
            var remaining = self.prefixLength
            for (mine, theirs) in zip(self.address, other) where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if mine & mask != theirs & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    var ranges: [Range]

    /// Trusts nobody: the client is the TCP peer.
    public static let none = TrustedProxies(ranges: [])

    init(ranges: [Range]) {
        self.ranges = ranges
    }

    /// Parses `10.0.0.0/8, 127.0.0.1, fd00::/8`.
    public init(parsing text: String) throws {
        self.ranges = try text.split(separator: ",").map { item in
            let entry = Self.trimmed(item)
            let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let address = Self.bytes(of: String(parts[0])) else {
                throw ConfigurationError(description: "trusted-proxies: '\(entry)' is not an IP address or CIDR range")
            }
            let bits = address.count * 8
            guard parts.count == 2 else { return Range(address: address, prefixLength: bits) }
            guard let length = Int(parts[1]), (0...bits).contains(length) else {
                throw ConfigurationError(description: "trusted-proxies: '\(entry)' needs a prefix length of 0 to \(bits)")
            }
            return Range(address: address, prefixLength: length)
        }
    }

    func isTrusted(_ address: String) -> Bool {
        guard let bytes = Self.bytes(of: address) else { return false }
        return self.ranges.contains { $0.contains(bytes) }
    }

    /// The client's address: the TCP peer unless it is a trusted proxy, else the rightmost
    /// address in `forwardedFor` (the header's values in order) that is not a trusted proxy.
    func client(peer: String, forwardedFor: [String]) -> String {
        guard self.isTrusted(peer) else { return peer }
        var client = peer
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { Self.trimmed($0) }
        for hop in hops.reversed() {
            // A trusted proxy that passed on something unreadable: stop at the last hop we know.
            guard Self.bytes(of: hop) != nil else { break }
            client = hop
            if !self.isTrusted(hop) { break }
        }
        return client
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address in text, or nil.
    static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    private static func trimmed(_ text: Substring) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
