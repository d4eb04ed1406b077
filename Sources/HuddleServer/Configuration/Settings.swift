/// Every key `huddle serve`, `migrate` and `user create` understand, in the order `--help`
/// and the README list them.
public enum Settings {
    public static let host = Setting("host", default: "127.0.0.1", help: "address to listen on (`0.0.0.0` in containers)")
    public static let port = Setting("port", default: "8080", help: "port to listen on (`0`: any free port)")
    public static let dataDir = Setting("data-dir", default: "./data", help: "where the embedded database lives (created on first run)")
    public static let publicDir = Setting("public-dir", default: "Public", help: "the web front end")
    public static let logLevel = Setting(
        "log-level", default: "info", help: "`trace`, `debug`, `info`, `notice`, `warning`, `error` or `critical`; logs are JSON lines on stdout")
    public static let store = Setting(
        "store", default: "sqlite",
        help: "`sqlite`, `postgres` (the default when PostgreSQL is configured), or `memory` (nothing survives a restart)")

    public static let postgresURL = Setting(
        "postgres.url", secret: true, help: "`postgres://user:password@host:5432/db?sslmode=prefer`; the keys below win over its parts")
    public static let postgresHost = Setting("postgres.host", help: "PostgreSQL host (instead of a URL)")
    public static let postgresPort = Setting("postgres.port", default: "5432", help: "PostgreSQL port")
    public static let postgresUser = Setting("postgres.user", default: "huddle", help: "PostgreSQL user")
    public static let postgresDatabase = Setting("postgres.database", default: "huddle", help: "PostgreSQL database")
    public static let postgresPassword = Setting("postgres.password", .none, secret: true, help: "PostgreSQL password (or the file below)")
    public static let postgresPasswordFile = Setting("postgres.password-file", help: "file holding the PostgreSQL password")
    public static let postgresTLS = Setting(
        "postgres.tls", default: "prefer", help: "`disable`, `prefer` or `require` ([details](docs/OPERATIONS.md))")
    public static let postgresPoolSize = Setting("postgres.pool-size", default: "10", help: "PostgreSQL connections per replica")
    public static let postgresTimeout = Setting(
        "postgres.timeout", default: "5", help: "seconds a database statement may take before requests fail with 503")

    public static let redisURL = Setting("redis.url", secret: true, help: "one Redis, cluster mode: `redis://:password@host:6379/0`")
    public static let redisSentinels = Setting(
        "redis.sentinels",
        help: "cluster mode with failover: `host:port,…` of the Sentinels ([details](docs/OPERATIONS.md#running-on-redis-with-sentinel))")
    public static let redisMasterName = Setting("redis.master-name", default: "huddle", help: "the master's name in Sentinel")
    public static let redisUsername = Setting("redis.username", help: "Redis ACL user")
    public static let redisPassword = Setting(
        "redis.password", .none, secret: true, help: "Redis password (or the file below); required unless `--allow-insecure-redis`")
    public static let redisPasswordFile = Setting("redis.password-file", help: "file holding the Redis password")
    public static let redisSentinelPassword = Setting(
        "redis.sentinel-password", .none, secret: true, help: "the Sentinels' password (or the file below)")
    public static let redisSentinelPasswordFile = Setting("redis.sentinel-password-file", help: "file holding the Sentinels' password")
    public static let redisTLS = Setting(
        "redis.tls", default: "off",
        help: "`on`: TLS to Redis and its Sentinels, certificates verified (also turned on by a `rediss://` URL); `off`: plain TCP")
    public static let redisTLSCAFile = Setting(
        "redis.tls-ca-file", help: "PEM file of the CAs that Redis's certificates must chain to; default: the system's trusted CAs")
    public static let redisKeyPrefix = Setting("redis.key-prefix", default: "huddle:", help: "prefix of Huddle's Redis keys and channels")
    public static let redisWaitReplicas = Setting(
        "redis.wait-replicas", default: "1", help: "replicas that must have an increment before it is acknowledged (`WAIT`)")
    public static let redisWaitTimeout = Setting("redis.wait-timeout", default: "1000", help: "milliseconds to wait for them")
    public static let allowInsecureRedis = Setting(
        "allow-insecure-redis", .toggle, default: "false", help: "allow Redis without a password (never in production)")

    public static let wsMaxMessage = Setting(
        "ws.max-message", default: "65536", help: "largest WebSocket message a client may send (bytes; larger: close 1009)")
    public static let wsCommandsPerSecond = Setting(
        "ws.commands-per-second", default: "50", help: "commands (and signals) per second per connection")
    public static let wsCommandBurst = Setting("ws.command-burst", default: "100", help: "burst allowance for the above")
    public static let wsSendBuffer = Setting(
        "ws.send-buffer", default: "1048576",
        help: "bytes written to a client and not yet taken by its socket before it is cut off as a slow consumer (close 4000)")
    public static let wsPingInterval = Setting(
        "ws.ping-interval", default: "30", help: "seconds between pings; a client silent for a whole interval after one is dropped")
    public static let wsMaxChannels = Setting("ws.max-channels", default: "100", help: "channels per connection")

    public static let authJWTKey = Setting(
        "auth.jwt-key", .none, secret: true, help: "HS256 key for access tokens, ≥ 32 bytes (prefer the file below)")
    public static let authJWTKeyFile = Setting(
        "auth.jwt-key-file", help: "file holding that key; one of the two is required unless `--dev`")
    public static let authDev = Setting(
        "auth.dev", .toggle, default: "false", flagName: "dev",
        help: "without a key, make a random one at start (development only: restarts sign everyone out)")
    public static let authAccessTTL = Setting("auth.access-ttl", default: "900", help: "seconds an access token is valid")
    public static let authGuestTTL = Setting("auth.guest-ttl", default: "3600", help: "seconds a guest token is valid (guests cannot refresh)")
    public static let authGuestPassTTL = Setting(
        "auth.guest-pass-ttl", default: "86400",
        help: "seconds the token lasts that a guest gets on creating or joining a tournament, so that their page resumes as them")
    public static let authRefreshTTL = Setting("auth.refresh-ttl", default: "30", help: "days a session lasts after its last refresh")
    public static let authRefreshReuseInterval = Setting(
        "auth.refresh-reuse-interval", default: "10",
        help: "seconds a just-rotated refresh token still refreshes (its answer may have been lost) before presenting it again ends the session as stolen (`0`: never)")
    public static let authBcryptCost = Setting("auth.bcrypt-cost", default: "12", help: "bcrypt work factor (4–16)")
    public static let authHashQueue = Setting(
        "auth.hash-queue", default: "64",
        help: "password hashes (logins, registrations) waiting or running at once; past it 503 with `Retry-After`")
    public static let authLoginAttempts = Setting(
        "auth.login-attempts", default: "5", help: "failed logins per login name and address before 429")
    public static let authAddressAttempts = Setting(
        "auth.address-attempts", default: "50",
        help: "failed logins per client address, whatever the name, before 429 (behind `--trusted-proxies`, the forwarded address)")
    public static let authRegistrations = Setting(
        "auth.registrations", default: "20", help: "registrations per client address before 429")
    public static let authLoginWindow = Setting(
        "auth.login-window", default: "900", help: "seconds failed logins and registrations are counted over")

    public static let drainDelay = Setting(
        "drain-delay", default: "0",
        help: "seconds a SIGTERM keeps serving while not ready, before closing WebSockets and the listener (the load balancer's health-check interval × its fall count)")
    public static let trustedProxies = Setting(
        "trusted-proxies",
        help: "load balancers (addresses or CIDR ranges, comma separated) whose `X-Forwarded-For` names the client ([details](docs/SECURITY.md))")

    public static let anonymousCreates = Setting(
        "anonymous-creates", default: "120",
        help: "counters, boards, tournaments and chats that guests and token-less clients may create per client address per minute; past it 429")

    public static let headerTimeout = Setting(
        "header-timeout", default: "10",
        help: "seconds a request's head may take to arrive whole (the first one counted from the connection's start) before the connection is closed")
    public static let bodyTimeout = Setting(
        "body-timeout", default: "30", help: "seconds a request's body may stall (no byte arriving) before the connection is closed")
    public static let connectionsPerAddress = Setting(
        "connections-per-address", default: "256",
        help: "open connections (HTTP and WebSocket together) one client address may hold; more are closed at once (peers in `--trusted-proxies` are not counted)")

    public static let idleTimeout = Setting(
        "idle-timeout", default: "30",
        help: "seconds a kept-alive HTTP connection may stay silent between requests before it is closed")
    public static let chatBot = Setting(
        "chat.bot", default: "on",
        help: "`on`: this replica's bot answers customers; `off`: it leaves them to the other replicas")
    public static let chatFAQFile = Setting(
        "chat.faq-file", help: "a JSON FAQ for the chat bot instead of the built-in one ([format](docs/PROTOCOL.md))")
    public static let chatLLMURL = Setting(
        "chat.llm-url",
        help: "an OpenAI-compatible chat-completions endpoint (`https://…/v1/chat/completions`) that answers instead of the FAQ bot, sent the conversation so far")
    public static let chatLLMModel = Setting("chat.llm-model", default: "gpt-4o-mini", help: "the model asked at chat.llm-url")
    public static let chatLLMKey = Setting("chat.llm-key", secret: true, help: "its API key (or the file below); never logged")
    public static let chatLLMKeyFile = Setting("chat.llm-key-file", help: "file holding the chat.llm-url API key")
    public static let chatLLMTimeout = Setting(
        "chat.llm-timeout", default: "15", help: "seconds to wait for chat.llm-url before telling the customer the assistant is unavailable")
    public static let publicURL = Setting(
        "public-url",
        help: "where people reach Huddle (`https://huddle.example.com`), for links the server renders such as a tournament's QR code; default: the scheme and `Host` of each request")
    public static let publicOrigins = Setting(
        "public-origins",
        help: "origins besides the server's own (`https://huddle.example.com`, comma separated) whose pages may use the session cookie and the WebSocket")
    public static let otlpEndpoint = Setting(
        "otlp-endpoint",
        help: "an OpenTelemetry collector's OTLP/HTTP address (`http://collector:4318`) to send traces to; tracing is off without it or `OTEL_EXPORTER_OTLP_ENDPOINT` ([details](docs/OPERATIONS.md#tracing))")

    public static let all: [Setting] = [
        host, port, dataDir, publicDir, logLevel, store,
        postgresURL, postgresHost, postgresPort, postgresUser, postgresDatabase, postgresPassword, postgresPasswordFile,
        postgresTLS, postgresPoolSize, postgresTimeout,
        redisURL, redisSentinels, redisMasterName, redisUsername, redisPassword, redisPasswordFile, redisSentinelPassword,
        redisSentinelPasswordFile, redisTLS, redisTLSCAFile, redisKeyPrefix, redisWaitReplicas, redisWaitTimeout, allowInsecureRedis,
        wsMaxMessage, wsCommandsPerSecond, wsCommandBurst, wsSendBuffer, wsPingInterval, wsMaxChannels,
        authJWTKey, authJWTKeyFile, authDev, authAccessTTL, authGuestTTL, authGuestPassTTL, authRefreshTTL, authRefreshReuseInterval, authBcryptCost, authHashQueue, authLoginAttempts, authAddressAttempts, authRegistrations,
        authLoginWindow,
        drainDelay, idleTimeout, headerTimeout, bodyTimeout, connectionsPerAddress, trustedProxies, anonymousCreates, publicURL, publicOrigins, chatBot, chatFAQFile, chatLLMURL, chatLLMModel, chatLLMKey, chatLLMKeyFile, chatLLMTimeout,
        otlpEndpoint,
    ]

    /// The setting a flag spells (`--port`), if any.
    public static func setting(forFlag flag: String) -> Setting? {
        Self.all.first { $0.flagSpelling == flag }
    }

    /// The README's configuration table.
    public static var markdownTable: String {
        var rows = ["| flag | environment | default | meaning |", "| --- | --- | --- | --- |"]
        for setting in Self.all {
            let flag = setting.flagSpelling.map { "`\($0)`" } ?? "—"
            let value = setting.defaultValue.map { "`\($0)`" } ?? "—"
            rows.append("| \(flag) | `\(setting.environmentVariable)` | \(value) | \(setting.help) |")
        }
        return rows.joined(separator: "\n")
    }

    /// What `--help` says of the settings.
    public static var helpText: String {
        Self.all.compactMap { setting -> String? in
            guard let flag = setting.flagSpelling else { return nil }
            let value = setting.flag == .value ? " <value>" : ""
            let plain = setting.help.filter { $0 != "`" }
            let suffix = setting.defaultValue.map { ", default: \($0)" } ?? ""
            return "\(flag)\(value)\n      \(plain) [env: \(setting.environmentVariable)\(suffix)]"
        }.joined(separator: "\n")
    }
}
