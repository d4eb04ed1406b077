public import Configuration
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import HuddleCore
public import HuddleGateway
public import HuddleRedis
public import HuddleStorage
public import Logging

/// Everything `huddle serve` can be told, read once at start. The keys, their flags,
/// environment variables and defaults are ``Settings``.
public struct HuddleConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var dataDirectory: String
    public var publicDirectory: String
    public var logLevel: Logger.Level
    public var store: StoreKind
    /// Set when PostgreSQL is configured.
    public var postgres: PostgresSettings?
    /// Set when Redis is configured (cluster mode).
    public var redis: RedisSettings?
    public var gateway: GatewayConfiguration
    public var auth: AuthConfiguration
    /// Pages of other origins allowed to use the session cookie and the WebSocket (key
    /// `public-origins`); the server's own origin always is.
    public var allowedOrigins: AllowedOrigins
    /// Proxies whose `X-Forwarded-For` is believed (for the login throttle's client address).
    public var trustedProxies = TrustedProxies.none
    /// Where people reach Huddle, for links the server renders (key `public-url`).
    public var publicOrigin: PublicOrigin
    /// Whether this replica's chat bot answers customers (key `chat.bot`).
    public var chatBot: Bool
    /// The chat bot's FAQ: the built-in one, or the file of `chat.faq-file`, checked at start.
    public var chatFAQ: FAQ
    /// An OpenAI-compatible endpoint that answers instead of the FAQ bot (`chat.llm-*`).
    public var chatLLM: ChatLLMSettings?

    public struct ChatLLMSettings: Sendable {
        public var url: String
        public var model: String
        /// Secret: never logged.
        public var key: String?
        public var timeout: Duration
    }
    /// Where spans are exported (key `otlp-endpoint`); see ``TracingSetup``.
    public var otlpEndpoint: String?
    /// How long a SIGTERM waits for WebSocket clients to go before the server stops.
    public var drainTimeout = Duration.seconds(5)
    /// How long a SIGTERM keeps serving, not ready, before closing WebSockets and the listener:
    /// the time a load balancer needs to see the readiness change (key `drain-delay`, seconds).
    public var drainDelay: Duration
    /// Seconds a kept-alive HTTP connection may stay silent between requests before it is
    /// closed (key `idle-timeout`).
    public var idleTimeout: Int
    /// Seconds a request head may take (key `header-timeout`) and a body may stall (key
    /// `body-timeout`) before the connection is closed.
    public var headerTimeout: Int
    public var bodyTimeout: Int
    /// Open connections one client address may hold (key `connections-per-address`).
    public var connectionsPerAddress: Int
    /// What guests and token-less clients may create per client address per minute (key
    /// `anonymous-creates`).
    public var anonymousCreates: Int
    /// The longest a graceful shutdown may take: the drain delay, the WebSocket drain, and ten
    /// seconds for in-flight requests and closing the backends.
    public var shutdownCeiling: Duration { self.drainDelay + self.drainTimeout + .seconds(10) }
    /// How often presence entries are refreshed and expired ones reaped (cluster backends
    /// let an entry live three intervals).
    public var presenceInterval = Duration.seconds(3)

    public enum StoreKind: String, Sendable, CaseIterable {
        case sqlite, postgres, memory
    }

    /// Every setting at its default.
    public init() {
        // The defaults are checked by a test; they cannot fail to parse.
        try! self.init(reader: ConfigReader(provider: InMemoryProvider(name: "defaults", values: [:])))
    }

    public init(reader: ConfigReader) throws {
        self.host = try reader.text(Settings.host)
        self.port = try reader.integer(Settings.port, in: 0...65535)
        self.dataDirectory = try reader.text(Settings.dataDir)
        self.publicDirectory = try reader.text(Settings.publicDir)
        self.logLevel = try reader.choice(Settings.logLevel)
        self.postgres = try Self.postgresSettings(reader)
        self.store = try reader.choice(Settings.store, default: self.postgres == nil ? .sqlite : .postgres)
        if self.store == .postgres && self.postgres == nil {
            throw ConfigurationError(
                description: "store postgres needs postgres.url (HUDDLE_POSTGRES_URL) or postgres.host (HUDDLE_POSTGRES_HOST)")
        }
        self.gateway = try GatewayConfiguration(reader: reader)
        self.drainDelay = .seconds(try reader.integer(Settings.drainDelay, in: 0...300))
        self.idleTimeout = try reader.integer(Settings.idleTimeout, in: 1...3600)
        self.headerTimeout = try reader.integer(Settings.headerTimeout, in: 1...3600)
        self.bodyTimeout = try reader.integer(Settings.bodyTimeout, in: 1...3600)
        self.connectionsPerAddress = try reader.integer(Settings.connectionsPerAddress, in: 1...1_000_000)
        self.anonymousCreates = try reader.integer(Settings.anonymousCreates, in: 1...1_000_000)
        if let proxies = reader.value(Settings.trustedProxies) {
            self.trustedProxies = try TrustedProxies(parsing: proxies)
        }
        self.publicOrigin = try PublicOrigin(configured: reader.value(Settings.publicURL), trustedProxies: self.trustedProxies)
        self.auth = try AuthConfiguration(reader: reader)
        self.chatBot = try reader.flag(Settings.chatBot)
        self.chatFAQ = try Self.faq(file: reader.value(Settings.chatFAQFile))
        if let url = reader.value(Settings.chatLLMURL) {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw ConfigurationError(description: "chat.llm-url (HUDDLE_CHAT_LLM_URL) must be an http or https URL")
            }
            self.chatLLM = ChatLLMSettings(
                url: url, model: try reader.text(Settings.chatLLMModel),
                key: try Self.secret(reader, Settings.chatLLMKey, file: Settings.chatLLMKeyFile),
                timeout: .seconds(try reader.integer(Settings.chatLLMTimeout, in: 1...300)))
        }
        if let endpoint = reader.value(Settings.otlpEndpoint) {
            guard endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") else {
                throw ConfigurationError(description: "otlp-endpoint (HUDDLE_OTLP_ENDPOINT) must be an http or https URL")
            }
            self.otlpEndpoint = endpoint
        }
        self.allowedOrigins = AllowedOrigins(parsing: reader.value(Settings.publicOrigins))
        self.redis = try Self.redisSettings(reader)
        if let redis = self.redis, redis.password == nil, try !reader.flag(Settings.allowInsecureRedis) {
            throw ConfigurationError(
                description: "Redis needs a password in cluster mode: set redis.password (HUDDLE_REDIS_PASSWORD) "
                    + "or redis.password-file, or pass --allow-insecure-redis for a throwaway setup")
        }
    }
}

extension HuddleConfiguration {
    static func faq(file: String?) throws -> FAQ {
        let text: String
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ConfigurationError(description: "chat.faq-file (HUDDLE_CHAT_FAQ_FILE): cannot read \(file)")
            }
            text = String(decoding: data, as: UTF8.self)
        } else {
            text = String(decoding: PackageResources.chat_faq_json, as: UTF8.self)
        }
        do {
            return try FAQ.parse(json: text)
        } catch {
            throw ConfigurationError(description: "the chat FAQ \(file ?? "(built in)") is not valid: \(error.message)")
        }
    }

    static func postgresSettings(_ reader: ConfigReader) throws -> PostgresSettings? {
        let url = reader.value(Settings.postgresURL)
        let host = reader.value(Settings.postgresHost)
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
        // The URL's parts are the defaults of the keys that spell them out.
        settings.port = try reader.integer(Settings.postgresPort, default: url == nil ? nil : settings.port, in: 1...65535)
        settings.username = try reader.text(Settings.postgresUser, default: url == nil ? nil : settings.username)
        settings.database = try reader.text(Settings.postgresDatabase, default: url == nil ? nil : settings.database)
        settings.tls = try reader.choice(Settings.postgresTLS, default: url == nil ? nil : settings.tls)
        settings.poolSize = try reader.integer(Settings.postgresPoolSize, in: 1...1000)
        settings.timeout = .seconds(try reader.integer(Settings.postgresTimeout, in: 1...600))
        if let password = try Self.secret(reader, Settings.postgresPassword, file: Settings.postgresPasswordFile) {
            settings.password = password
        }
        return settings
    }

    static func redisSettings(_ reader: ConfigReader) throws -> RedisSettings? {
        let url = reader.value(Settings.redisURL)
        let sentinels = reader.value(Settings.redisSentinels)
        guard url != nil || sentinels != nil else { return nil }
        var settings: RedisSettings
        do {
            if let sentinels {
                settings = RedisSettings(
                    endpoint: .sentinel(
                        sentinels: try RedisSettings.parse(sentinels: sentinels),
                        masterName: try reader.text(Settings.redisMasterName)))
            } else {
                settings = try RedisSettings.parse(url: url!)
            }
        } catch let error as RedisSettingsError {
            throw ConfigurationError(description: error.description)
        }
        if let username = reader.value(Settings.redisUsername) { settings.username = username }
        if let password = try Self.secret(reader, Settings.redisPassword, file: Settings.redisPasswordFile) {
            settings.password = password
        }
        settings.sentinelPassword = try Self.secret(reader, Settings.redisSentinelPassword, file: Settings.redisSentinelPasswordFile)
        if try reader.flag(Settings.redisTLS) || url.map(RedisSettings.isTLSURL) == true {
            do {
                settings.tls = try RedisSettings.tls(caFile: reader.value(Settings.redisTLSCAFile))
            } catch let error as RedisSettingsError {
                throw ConfigurationError(description: error.description)
            }
        }
        settings.keyPrefix = try reader.text(Settings.redisKeyPrefix)
        settings.waitReplicas = try reader.integer(Settings.redisWaitReplicas, in: 0...16)
        settings.waitTimeout = .milliseconds(try reader.integer(Settings.redisWaitTimeout, in: 1...60_000))
        return settings
    }

    /// A secret from `setting`, or from the file named by `file`.
    static func secret(_ reader: ConfigReader, _ setting: Setting, file: Setting) throws -> String? {
        if let value = reader.value(setting) { return value }
        guard let path = reader.value(file) else { return nil }
        return try Self.secret(fromFile: path, setting: file)
    }

    /// A secret kept in a file (a mounted Kubernetes Secret), without its trailing newline.
    static func secret(fromFile path: String, setting: Setting) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(description: "\(setting.spelledOut): cannot read \(path)")
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
        self.maxMessageSize = try reader.integer(Settings.wsMaxMessage, in: 256...(16 << 20))
        self.commandsPerSecond = try reader.integer(Settings.wsCommandsPerSecond, in: 1...1_000_000)
        self.commandBurst = try reader.integer(Settings.wsCommandBurst, in: 1...1_000_000)
        self.sendBufferLimit = try reader.integer(Settings.wsSendBuffer, in: 4096...(1 << 30))
        self.pingInterval = Double(try reader.integer(Settings.wsPingInterval, in: 1...3600))
        self.maxChannelsPerConnection = try reader.integer(Settings.wsMaxChannels, in: 1...100_000)
    }
}

/// A configuration value that cannot be used; the message names the key and what it expects.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
}

extension ConfigReader {
    // The typed getters of ConfigReader fall back to the default on a value they cannot parse;
    // Huddle would rather refuse to start than listen on the wrong port, so it parses text
    // itself. A getter's default is the setting's own unless one is given (a default that
    // depends on another setting).

    /// The setting's value as given, nil when it is not set.
    func value(_ setting: Setting) -> String? {
        self.string(forKey: setting.configKey, isSecret: setting.isSecret)
    }

    func text(_ setting: Setting, default given: String? = nil) throws -> String {
        guard let value = self.value(setting) else { return Self.fallback(setting, given) }
        guard !value.isEmpty else {
            throw ConfigurationError(description: "\(setting.spelledOut) must not be empty")
        }
        return value
    }

    func integer(_ setting: Setting, default given: Int? = nil, in range: ClosedRange<Int>) throws -> Int {
        guard let text = self.value(setting) else { return given ?? Int(Self.fallback(setting, nil))! }
        guard let value = Int(text.trimmingSpaces), range.contains(value) else {
            throw ConfigurationError(
                description: "\(setting.spelledOut) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'"
            )
        }
        return value
    }

    func choice<Value: RawRepresentable & CaseIterable>(_ setting: Setting, default given: Value? = nil) throws -> Value
    where Value.RawValue == String {
        guard let text = self.value(setting) else { return given ?? Value(rawValue: Self.fallback(setting, nil))! }
        guard let value = Value(rawValue: text.trimmingSpaces.lowercased()) else {
            let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError(description: "\(setting.spelledOut) must be one of \(allowed), not '\(text)'")
        }
        return value
    }

    /// `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`).
    func flag(_ setting: Setting) throws -> Bool {
        guard let text = self.value(setting) ?? setting.defaultValue else { return false }
        switch text.trimmingSpaces.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw ConfigurationError(description: "\(setting.spelledOut) must be true or false, not '\(text)'")
        }
    }

    private static func fallback(_ setting: Setting, _ given: String?) -> String {
        guard let value = given ?? setting.defaultValue else {
            preconditionFailure("\(setting.key) has no default; read it with value(_:)")
        }
        return value
    }
}

extension String {
    var trimmingSpaces: String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
