import ArgumentParser
import Configuration
import HuddleServer

/// The configuration flags shared by `serve`, `migrate` and `bench`.
///
/// Each flag is also an environment variable: `HUDDLE_` and the key upper-cased, dots and
/// dashes as underscores. Passwords and keys have no flag (a command line is visible to every
/// user of the machine): use `HUDDLE_POSTGRES_PASSWORD` or `--postgres-password-file`, and
/// `HUDDLE_AUTH_JWT_KEY` or `--auth-jwt-key-file`.
struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on. [env: HUDDLE_HOST, default: 127.0.0.1]")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one. [env: HUDDLE_PORT, default: 8080]")
    var port: Int?

    @Option(help: "Directory of the embedded database, created on first run. [env: HUDDLE_DATA_DIR, default: ./data]")
    var dataDir: String?

    @Option(help: "Directory of the web front end. [env: HUDDLE_PUBLIC_DIR, default: Public]")
    var publicDir: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical. [env: HUDDLE_LOG_LEVEL, default: info]")
    var logLevel: String?

    @Option(
        help: "sqlite (embedded), postgres, or memory (lost on exit). [env: HUDDLE_STORE, default: postgres when PostgreSQL is configured, else sqlite]"
    )
    var store: String?

    @Option(help: "postgres://user:password@host:5432/database?sslmode=prefer. [env: HUDDLE_POSTGRES_URL]")
    var postgresURL: String?

    @Option(help: "PostgreSQL host (instead of a URL). [env: HUDDLE_POSTGRES_HOST]")
    var postgresHost: String?

    @Option(help: "PostgreSQL port. [env: HUDDLE_POSTGRES_PORT, default: 5432]")
    var postgresPort: Int?

    @Option(help: "PostgreSQL user. [env: HUDDLE_POSTGRES_USER, default: huddle]")
    var postgresUser: String?

    @Option(help: "PostgreSQL database. [env: HUDDLE_POSTGRES_DATABASE, default: huddle]")
    var postgresDatabase: String?

    @Option(help: "File holding the PostgreSQL password (or set HUDDLE_POSTGRES_PASSWORD). [env: HUDDLE_POSTGRES_PASSWORD_FILE]")
    var postgresPasswordFile: String?

    @Option(help: "disable, prefer or require. [env: HUDDLE_POSTGRES_TLS, default: prefer]")
    var postgresTLS: String?

    @Option(help: "PostgreSQL connections per replica. [env: HUDDLE_POSTGRES_POOL_SIZE, default: 10]")
    var postgresPoolSize: Int?

    @Option(help: "Seconds a database statement may take before requests fail with 503. [env: HUDDLE_POSTGRES_TIMEOUT, default: 5]")
    var postgresTimeout: Int?

    @Option(help: "One Redis: redis://:password@host:6379/0 (cluster mode). [env: HUDDLE_REDIS_URL]")
    var redisURL: String?

    @Option(help: "Sentinels host:port,host:port,… (cluster mode with failover). [env: HUDDLE_REDIS_SENTINELS]")
    var redisSentinels: String?

    @Option(help: "The master's name in Sentinel. [env: HUDDLE_REDIS_MASTER_NAME, default: huddle]")
    var redisMasterName: String?

    @Option(help: "Redis ACL user. [env: HUDDLE_REDIS_USERNAME]")
    var redisUsername: String?

    @Option(help: "File holding the Redis password (or set HUDDLE_REDIS_PASSWORD). [env: HUDDLE_REDIS_PASSWORD_FILE]")
    var redisPasswordFile: String?

    @Option(
        help: "File holding the Sentinels' password (or set HUDDLE_REDIS_SENTINEL_PASSWORD). [env: HUDDLE_REDIS_SENTINEL_PASSWORD_FILE]")
    var redisSentinelPasswordFile: String?

    @Option(help: "Prefix of Huddle's Redis keys and channels. [env: HUDDLE_REDIS_KEY_PREFIX, default: huddle:]")
    var redisKeyPrefix: String?

    @Option(help: "Replicas that must have an increment before it is acknowledged (WAIT). [env: HUDDLE_REDIS_WAIT_REPLICAS, default: 1]")
    var redisWaitReplicas: Int?

    @Option(help: "Milliseconds to wait for those replicas. [env: HUDDLE_REDIS_WAIT_TIMEOUT, default: 1000]")
    var redisWaitTimeout: Int?

    @Flag(help: "Allow Redis without a password (never in production). [env: HUDDLE_ALLOW_INSECURE_REDIS]")
    var allowInsecureRedis = false

    @Option(help: "Largest WebSocket message a client may send, in bytes. [env: HUDDLE_WS_MAX_MESSAGE, default: 65536]")
    var wsMaxMessage: Int?

    @Option(help: "Commands (and signals) per second per connection. [env: HUDDLE_WS_COMMANDS_PER_SECOND, default: 50]")
    var wsCommandsPerSecond: Int?

    @Option(help: "Commands a connection may send in a burst. [env: HUDDLE_WS_COMMAND_BURST, default: 100]")
    var wsCommandBurst: Int?

    @Option(help: "Frames queued for a client before it is closed as a slow consumer. [env: HUDDLE_WS_SEND_QUEUE, default: 1024]")
    var wsSendQueue: Int?

    @Option(help: "Channels one connection may subscribe to. [env: HUDDLE_WS_MAX_CHANNELS, default: 100]")
    var wsMaxChannels: Int?
    @Flag(help: "Development mode: without a signing key, make a random one at start (restarts sign everyone out). [env: HUDDLE_AUTH_DEV]")
    var dev = false
    @Option(help: "File holding the access-token signing key, at least 32 bytes (or set HUDDLE_AUTH_JWT_KEY). [env: HUDDLE_AUTH_JWT_KEY_FILE]")
    var authJwtKeyFile: String?
    @Option(help: "Seconds an access token is valid. [env: HUDDLE_AUTH_ACCESS_TTL, default: 900]")
    var authAccessTTL: Int?
    @Option(help: "Days a session lasts after its last refresh. [env: HUDDLE_AUTH_REFRESH_TTL, default: 30]")
    var authRefreshTTL: Int?
    @Option(help: "bcrypt work factor of password hashes, 4 to 16. [env: HUDDLE_AUTH_BCRYPT_COST, default: 12]")
    var authBcryptCost: Int?
    @Option(help: "Failed logins per login name and address before 429. [env: HUDDLE_AUTH_LOGIN_ATTEMPTS, default: 5]")
    var authLoginAttempts: Int?
    @Option(help: "Seconds the failed-login count is kept. [env: HUDDLE_AUTH_LOGIN_WINDOW, default: 900]")
    var authLoginWindow: Int?
    @Option(help: "Seconds a SIGTERM keeps serving, not ready, before closing connections (for the load balancer to notice). [env: HUDDLE_DRAIN_DELAY, default: 0]")
    var drainDelay: Int?
    @Option(help: "Load balancers whose X-Forwarded-For names the client: addresses or CIDR ranges, comma separated. [env: HUDDLE_TRUSTED_PROXIES, default: none]")
    var trustedProxies: String?

    /// The configuration these flags and the environment describe.
    func configuration() throws -> HuddleConfiguration {
        do {
            return try HuddleConfiguration(reader: self.reader())
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }

    /// Flags first, then `HUDDLE_*` environment variables.
    private func reader() -> ConfigReader {
        var flags: [AbsoluteConfigKey: ConfigValue] = [:]
        func set(_ key: AbsoluteConfigKey, _ value: (any CustomStringConvertible)?, secret: Bool = false) {
            if let value { flags[key] = ConfigValue(.string(value.description), isSecret: secret) }
        }
        set("host", self.host)
        set("port", self.port)
        set("data-dir", self.dataDir)
        set("public-dir", self.publicDir)
        set("log-level", self.logLevel)
        set("store", self.store)
        set("postgres.url", self.postgresURL, secret: true)
        set("postgres.host", self.postgresHost)
        set("postgres.port", self.postgresPort)
        set("postgres.user", self.postgresUser)
        set("postgres.database", self.postgresDatabase)
        set("postgres.password-file", self.postgresPasswordFile)
        set("postgres.tls", self.postgresTLS)
        set("postgres.pool-size", self.postgresPoolSize)
        set("postgres.timeout", self.postgresTimeout)
        set("redis.url", self.redisURL, secret: true)
        set("redis.sentinels", self.redisSentinels)
        set("redis.master-name", self.redisMasterName)
        set("redis.username", self.redisUsername)
        set("redis.password-file", self.redisPasswordFile)
        set("redis.sentinel-password-file", self.redisSentinelPasswordFile)
        set("redis.key-prefix", self.redisKeyPrefix)
        set("redis.wait-replicas", self.redisWaitReplicas)
        set("redis.wait-timeout", self.redisWaitTimeout)
        if self.allowInsecureRedis { set("allow-insecure-redis", "true") }
        set("ws.max-message", self.wsMaxMessage)
        set("ws.commands-per-second", self.wsCommandsPerSecond)
        set("ws.command-burst", self.wsCommandBurst)
        set("ws.send-queue", self.wsSendQueue)
        set("ws.max-channels", self.wsMaxChannels)
        if self.dev { set("auth.dev", "true") }
        set("auth.jwt-key-file", self.authJwtKeyFile)
        set("auth.access-ttl", self.authAccessTTL)
        set("auth.refresh-ttl", self.authRefreshTTL)
        set("auth.bcrypt-cost", self.authBcryptCost)
        set("auth.login-attempts", self.authLoginAttempts)
        set("auth.login-window", self.authLoginWindow)
        set("trusted-proxies", self.trustedProxies)
        set("drain-delay", self.drainDelay)
        return ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: flags),
            EnvironmentVariablesProvider(
                secretsSpecifier: .specific([
                    "HUDDLE_POSTGRES_URL", "HUDDLE_POSTGRES_PASSWORD", "HUDDLE_REDIS_URL", "HUDDLE_REDIS_PASSWORD",
                    "HUDDLE_REDIS_SENTINEL_PASSWORD", "HUDDLE_AUTH_JWT_KEY",
                ])
            ).prefixKeys(with: "huddle"),
        ])
    }
}
