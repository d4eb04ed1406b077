/// A Redis or Sentinel server's host and port.
public struct RESPServerAddress: Sendable, Hashable, CustomStringConvertible, RESPTokenDecodable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` (the port is required; IPv6 hosts go in brackets: `[::1]:6379`).
    public init?(_ text: some StringProtocol) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port)
    }

    /// Decodes a `[host, port]` pair, as Sentinel sends it.
    public init(fromRESP token: RESPToken) throws(RESPConversionError) {
        let parts = try [String](fromRESP: token)
        guard parts.count == 2, let port = Int(parts[1]) else {
            throw RESPConversionError(expected: "[host, port]", token: token)
        }
        self.init(host: parts[0], port: port)
    }

    public var description: String { self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)" }
}
