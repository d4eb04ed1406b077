public import Configuration
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import HuddleGateway
public import HuddleRedis
public import HuddleStorage
public import Logging

/// Everything `huddle serve` can be told, read once at start.
///
/// Keys (each also an environment variable: `HUDDLE_` + the key upper-cased, dots and dashes
/// as underscores, e.g. `HUDDLE_DATA_DIR`, `HUDDLE_WS_MAX_MESSAGE`):
/// - `host` (default `127.0.0.1`), `port` (default `8080`)
/// - `data-dir` (default `./data`, created on first run): where the SQLite file lives
/// - `public-dir` (default `Public`): the web front end
/// - `log-level`: `trace`, `debug`, `info` (default), `notice`, `warning`, `error`, `critical`
/// - `store`: `sqlite` (the default without PostgreSQL settings), `postgres` (the default with
///   them), or `memory` (nothing survives a restart; for demos)
/// - `postgres.url` (`postgres://user:password@host:5432/database?sslmode=prefer`), or
///   `postgres.host`, `postgres.port` (5432), `postgres.user` (huddle), `postgres.database`
///   (huddle); `postgres.password` or `postgres.password-file` (a Kubernetes Secret mounted as a
///   file); `postgres.tls` (`disable`, `prefer`, `require`), `postgres.pool-size` (10),
///   `postgres.timeout` (seconds a statement may take, 5). Individual keys win over the URL.
/// - Redis (cluster mode: broker, presence and counters move to Redis): `redis.url`
///   (`redis://:password@host:6379/0`) or `redis.sentinels` (`host:port,…`) with
///   `redis.master-name` (huddle); `redis.username`; `redis.password` or `redis.password-file`;
///   `redis.sentinel-password(-file)`; `redis.key-prefix` (`huddle:`); `redis.wait-replicas`
///   (1: an increment is acknowledged once a replica has it) and `redis.wait-timeout` (ms, 1000).
///   Without a password Huddle refuses to start unless `allow-insecure-redis` is true.
/// - `drain-delay` (seconds, default 0): after SIGTERM, how long to keep serving while not
///   ready, so that a load balancer polling `/health/ready` stops sending traffic first
/// - `trusted-proxies`: load balancers whose `X-Forwarded-For` names the client (addresses or
///   CIDR ranges, comma separated; default none). See ``TrustedProxies``.
/// - `ws.*`: see ``GatewayConfiguration``
/// - `auth.*`: see ``AuthConfiguration``
public struct HuddleConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var dataDirectory = "./data"
    public var publicDirectory = "Public"
    public var logLevel = Logger.Level.info
    public var store = StoreKind.sqlite
    /// Set when PostgreSQL is configured.
    public var postgres: PostgresSettings?
    /// Set when Redis is configured (cluster mode).
    public var redis: RedisSettings?
    public var gateway = GatewayConfiguration()
    public var auth = AuthConfiguration()
    /// Proxies whose `X-Forwarded-For` is believed (for the login throttle's client address).
    public var trustedProxies = TrustedProxies.none
    /// How long a SIGTERM waits for WebSocket clients to go before the server stops.
    public var drainTimeout = Duration.seconds(5)
    /// How long a SIGTERM keeps serving, not ready, before closing WebSockets and the listener:
    /// the time a load balancer needs to see the readiness change (key `drain-delay`, seconds).
    public var drainDelay = Duration.zero
    /// The longest a graceful shutdown may take: the drain delay, the WebSocket drain, and ten
    /// seconds for in-flight requests and closing the backends.
    public var shutdownCeiling: Duration { self.drainDelay + self.drainTimeout + .seconds(10) }
    /// How often presence entries are refreshed and expired ones reaped (cluster backends
    /// let an entry live three intervals).
    public var presenceInterval = Duration.seconds(3)

    public enum StoreKind: String, Sendable, CaseIterable {
        case sqlite, postgres, memory
    }

    public init() {}

    public init(reader: ConfigReader) throws {
        let defaults = HuddleConfiguration()
        self.host = try reader.text("host", default: defaults.host)
        self.port = try reader.integer("port", default: defaults.port, in: 0...65535)
        self.dataDirectory = try reader.text("data-dir", default: defaults.dataDirectory)
        self.publicDirectory = try reader.text("public-dir", default: defaults.publicDirectory)
        self.logLevel = try reader.choice("log-level", default: defaults.logLevel)
        self.postgres = try Self.postgresSettings(reader)
        self.store = try reader.choice("store", default: self.postgres == nil ? .sqlite : .postgres)
        if self.store == .postgres && self.postgres == nil {
            throw ConfigurationError(
                description: "store postgres needs postgres.url (HUDDLE_POSTGRES_URL) or postgres.host (HUDDLE_POSTGRES_HOST)")
        }
        self.gateway = try GatewayConfiguration(reader: reader)
        self.drainDelay = .seconds(try reader.integer("drain-delay", default: 0, in: 0...300))
        if let proxies = reader.string(forKey: "trusted-proxies") {
            self.trustedProxies = try TrustedProxies(parsing: proxies)
        }
        self.auth = try AuthConfiguration(reader: reader)
        self.redis = try Self.redisSettings(reader)
        if let redis = self.redis, redis.password == nil, try !reader.flag("allow-insecure-redis", default: false) {
            throw ConfigurationError(
                description: "Redis needs a password in cluster mode: set redis.password (HUDDLE_REDIS_PASSWORD) "
                    + "or redis.password-file, or pass --allow-insecure-redis for a throwaway setup")
        }
    }
}

extension HuddleConfiguration {
    static func postgresSettings(_ reader: ConfigReader) throws -> PostgresSettings? {
        let url = reader.string(forKey: "postgres.url", isSecret: true)
        let host = reader.string(forKey: "postgres.host")
        guard url != nil || host != nil else { return nil }
        var settings = PostgresSettings()
        if let url {
            do {
                settings = try settings.merging(url: url)
            } catch let error as PostgresSettingsError {
                throw ConfigurationError(description: error.description + " (HUDDLE_POSTGRES_URL)")
            }
        }
        if let host { settings.host = host }
        settings.port = try reader.integer("postgres.port", default: settings.port, in: 1...65535)
        settings.username = try reader.text("postgres.user", default: settings.username)
        settings.database = try reader.text("postgres.database", default: settings.database)
        settings.tls = try reader.choice("postgres.tls", default: settings.tls)
        settings.poolSize = try reader.integer("postgres.pool-size", default: settings.poolSize, in: 1...1000)
        settings.timeout = .seconds(try reader.integer("postgres.timeout", default: 5, in: 1...600))
        if let password = reader.string(forKey: "postgres.password", isSecret: true) {
            settings.password = password
        } else if let file = reader.string(forKey: "postgres.password-file") {
            settings.password = try Self.secret(fromFile: file, key: "postgres.password-file")
        }
        return settings
    }

    static func redisSettings(_ reader: ConfigReader) throws -> RedisSettings? {
        let url = reader.string(forKey: "redis.url", isSecret: true)
        let sentinels = reader.string(forKey: "redis.sentinels")
        guard url != nil || sentinels != nil else { return nil }
        var settings: RedisSettings
        do {
            if let sentinels {
                settings = RedisSettings(
                    endpoint: .sentinel(
                        sentinels: try RedisSettings.parse(sentinels: sentinels),
                        masterName: try reader.text("redis.master-name", default: "huddle")))
            } else {
                settings = try RedisSettings.parse(url: url!)
            }
        } catch let error as RedisSettingsError {
            throw ConfigurationError(description: error.description)
        }
        if let username = reader.string(forKey: "redis.username") { settings.username = username }
        if let password = try Self.secret(reader, "redis.password") { settings.password = password }
        settings.sentinelPassword = try Self.secret(reader, "redis.sentinel-password")
        settings.keyPrefix = try reader.text("redis.key-prefix", default: settings.keyPrefix)
        settings.waitReplicas = try reader.integer("redis.wait-replicas", default: settings.waitReplicas, in: 0...16)
        settings.waitTimeout = .milliseconds(try reader.integer("redis.wait-timeout", default: 1000, in: 1...60_000))
        return settings
    }

    /// A secret from `key`, or from the file named by `key-file`.
    static func secret(_ reader: ConfigReader, _ key: String) throws -> String? {
        if let value = reader.string(forKey: ConfigKey(key), isSecret: true) { return value }
        guard let file = reader.string(forKey: ConfigKey(key + "-file")) else { return nil }
        return try Self.secret(fromFile: file, key: ConfigKey(key + "-file"))
    }

    /// A secret kept in a file (a mounted Kubernetes Secret), without its trailing newline.
    static func secret(fromFile path: String, key: ConfigKey) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(description: "\(ConfigReader.name(key)): cannot read \(path)")
        }
        var text = String(decoding: data, as: UTF8.self)
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }
}

extension GatewayConfiguration {
    /// Reads the `ws.*` keys.
    public init(reader: ConfigReader) throws {
        self.init()
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

    /// `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`).
    func flag(_ key: ConfigKey, default defaultValue: Bool) throws -> Bool {
        guard let text = self.string(forKey: key) else { return defaultValue }
        switch text.trimmingSpaces.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw ConfigurationError(description: "\(Self.name(key)) must be true or false, not '\(text)'")
        }
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
