public import Configuration
public import Logging

/// Everything `huddle serve` can be told, read once at start.
///
/// Keys (each also an environment variable: `HUDDLE_` + the key upper-cased, dots and dashes
/// as underscores, e.g. `HUDDLE_DATA_DIR`, `HUDDLE_WS_MAX_MESSAGE`):
/// - `host` (default `127.0.0.1`), `port` (default `8080`)
/// - `data-dir` (default `./data`, created on first run): where the SQLite file lives
/// - `public-dir` (default `Public`): the web front end
/// - `log-level`: `trace`, `debug`, `info` (default), `notice`, `warning`, `error`, `critical`
/// - `store`: `sqlite` (default) or `memory` (nothing survives a restart; for demos)
/// - `ws.*`: see ``GatewayConfiguration``
public struct HuddleConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var dataDirectory = "./data"
    public var publicDirectory = "Public"
    public var logLevel = Logger.Level.info
    public var store = StoreKind.sqlite
    public var gateway = GatewayConfiguration()
    /// How long a SIGTERM waits for WebSocket clients to go before the server stops.
    public var drainTimeout = Duration.seconds(5)

    public enum StoreKind: String, Sendable, CaseIterable {
        case sqlite, memory
    }

    public init() {}

    public init(reader: ConfigReader) throws {
        let defaults = HuddleConfiguration()
        self.host = try reader.text("host", default: defaults.host)
        self.port = try reader.integer("port", default: defaults.port, in: 0...65535)
        self.dataDirectory = try reader.text("data-dir", default: defaults.dataDirectory)
        self.publicDirectory = try reader.text("public-dir", default: defaults.publicDirectory)
        self.logLevel = try reader.choice("log-level", default: defaults.logLevel)
        self.store = try reader.choice("store", default: defaults.store)
        self.gateway = try GatewayConfiguration(reader: reader)
    }
}

/// Limits of the realtime gateway (keys under `ws.`).
///
/// - `ws.max-message` (default 65536): largest message a client may send, in bytes (close 1009)
/// - `ws.commands-per-second` (50) and `ws.command-burst` (100): commands and signals per connection
/// - `ws.send-queue` (1024): frames queued for a client before it counts as a slow consumer (close 4000)
/// - `ws.max-channels` (100): channels one connection may subscribe to
public struct GatewayConfiguration: Sendable {
    public var maxMessageSize = 64 * 1024
    public var commandsPerSecond = 50
    public var commandBurst = 100
    public var sendQueueLimit = 1024
    public var maxChannelsPerConnection = 100
    /// Rate-limited or malformed frames in a row before the connection is closed with 1008.
    public var violationLimit = 20
    /// Events read from history per store query during replay and catch-up.
    public var replayPageSize = 500

    public init() {}

    public init(reader: ConfigReader) throws {
        let defaults = GatewayConfiguration()
        self.maxMessageSize = try reader.integer("ws.max-message", default: defaults.maxMessageSize, in: 256...(16 << 20))
        self.commandsPerSecond = try reader.integer(
            "ws.commands-per-second", default: defaults.commandsPerSecond, in: 1...1_000_000)
        self.commandBurst = try reader.integer("ws.command-burst", default: defaults.commandBurst, in: 1...1_000_000)
        self.sendQueueLimit = try reader.integer("ws.send-queue", default: defaults.sendQueueLimit, in: 16...1_000_000)
        self.maxChannelsPerConnection = try reader.integer(
            "ws.max-channels", default: defaults.maxChannelsPerConnection, in: 1...100_000)
    }
}

/// A configuration value that cannot be used; the message names the key and what it expects.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
}

extension ConfigReader {
    // The typed getters of ConfigReader fall back to the default on a value they cannot parse;
    // Huddle would rather refuse to start than listen on the wrong port, so it parses text itself.

    func text(_ key: ConfigKey, default defaultValue: String) throws -> String {
        guard let value = self.string(forKey: key) else { return defaultValue }
        guard !value.isEmpty else {
            throw ConfigurationError(description: "\(Self.name(key)) must not be empty")
        }
        return value
    }

    func integer(_ key: ConfigKey, default defaultValue: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = self.string(forKey: key) else { return defaultValue }
        guard let value = Int(text.trimmingSpaces), range.contains(value) else {
            throw ConfigurationError(
                description: "\(Self.name(key)) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'"
            )
        }
        return value
    }

    func choice<Value: RawRepresentable & CaseIterable>(_ key: ConfigKey, default defaultValue: Value) throws -> Value
    where Value.RawValue == String {
        guard let text = self.string(forKey: key) else { return defaultValue }
        guard let value = Value(rawValue: text.trimmingSpaces.lowercased()) else {
            let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError(description: "\(Self.name(key)) must be one of \(allowed), not '\(text)'")
        }
        return value
    }

    static func name(_ key: ConfigKey) -> String {
        let dotted = key.components.joined(separator: ".")
        let environment = "HUDDLE_" + dotted.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        return "\(dotted) (\(environment))"
    }
}

extension String {
    var trimmingSpaces: String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
