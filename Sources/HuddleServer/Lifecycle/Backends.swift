#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HuddleCore
import HuddleRedis
import HuddleStorage
import Logging

/// The port implementations this replica runs on, chosen by configuration.
struct Backends: Sendable {
    let events: any EventStore
    let counters: any Counters
    let broker: any Broker
    let presence: any Presence
    let accounts: any Accounts
    /// Whether the backends were ready when made (SQLite migrates on open); otherwise
    /// ``prepare`` must succeed first.
    let preparedAtOpen: Bool
    /// Brings the schema up to date (PostgreSQL); safe to retry.
    let prepare: @Sendable () async throws -> Void
    /// Runs what the backends need running (a connection pool) until cancelled.
    let run: @Sendable () async -> Void
    /// Whether the backends answer now: the readiness probe.
    let isHealthy: @Sendable () async -> Bool
    /// Releases what the backends hold (the database file), at shutdown.
    let close: @Sendable () async -> Void

    static func make(_ configuration: HuddleConfiguration, logger: Logger) async throws -> Backends {
        let stores = try await Self.stores(configuration, logger: logger)
        guard let settings = configuration.redis else { return stores }
        // Cluster mode: the broker, presence and counters move to Redis.
        let redis = RedisStorage(settings: settings, logger: logger)
        logger.info("Using Redis", metadata: ["redis": .string(settings.description)])
        return Backends(
            events: stores.events,
            counters: RedisCounters(redis: redis),
            broker: InstrumentedBroker(RedisBroker(redis: redis)),
            presence: RedisPresence(redis: redis, timeToLive: configuration.presenceInterval * 3),
            accounts: stores.accounts,
            preparedAtOpen: stores.preparedAtOpen,
            prepare: stores.prepare,
            run: {
                async let storeRun: Void = stores.run()
                async let redisRun: Void = redis.run()
                _ = await (storeRun, redisRun)
            },
            isHealthy: {
                async let store = stores.isHealthy()
                async let broker = redis.isReachable()
                let (storeUp, brokerUp) = await (store, broker)
                return storeUp && brokerUp
            },
            close: stores.close
        )
    }

    /// The event store and counters, with the in-process broker and presence.
    private static func stores(_ configuration: HuddleConfiguration, logger: Logger) async throws -> Backends {
        let broker = InstrumentedBroker(InProcessBroker())
        let presence = InProcessPresence()
        switch configuration.store {
        case .memory:
            logger.warning("Using the in-memory store: nothing survives a restart")
            return Backends(
                events: InMemoryEventStore(), counters: InMemoryCounters(), broker: broker, presence: presence,
                accounts: InMemoryAccounts(), preparedAtOpen: true, prepare: {}, run: {}, isHealthy: { true }, close: {})
        case .sqlite:
            let path = try Self.prepareDataDirectory(configuration.dataDirectory) + "/huddle.sqlite"
            // Readable by this user only; SQLite gives its -wal and -shm files the same mode.
            if !FileManager.default.fileExists(atPath: path) {
                FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            let database = try await SQLiteStorage.open(path: path, logger: logger)
            logger.info("Opened the embedded database", metadata: ["path": .string(path)])
            return Backends(
                events: SQLiteEventStore(database: database), counters: SQLiteCounters(database: database),
                broker: broker, presence: presence, accounts: SQLiteAccounts(database: database), preparedAtOpen: true,
                prepare: {}, run: {}, isHealthy: { true },
                close: { try? await database.close() })
        case .postgres:
            guard let settings = configuration.postgres else {
                throw ConfigurationError(description: "store postgres needs postgres.url or postgres.host")
            }
            let database = PostgresStorage(settings: settings, logger: logger)
            logger.info("Using PostgreSQL", metadata: ["database": .string(settings.description)])
            return Backends(
                events: PostgresEventStore(database: database), counters: PostgresCounters(database: database),
                broker: broker, presence: presence, accounts: PostgresAccounts(database: database), preparedAtOpen: false,
                prepare: { try await database.migrate() }, run: { await database.run() },
                isHealthy: { await database.isReachable() }, close: {})
        }
    }

    /// Creates the data directory on first run (for this user only: it holds every account's
    /// password hash) and returns its path.
    private static func prepareDataDirectory(_ path: String) throws -> String {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ConfigurationError(description: "cannot create the data directory \(path): \(error)")
        }
        return path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}
