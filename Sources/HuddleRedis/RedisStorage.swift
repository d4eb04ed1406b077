import HuddleCore
public import Logging
import RESP

/// The cluster's Redis: one ``RESPClient`` (a pool, one subscription connection, Sentinel
/// discovery) shared by the Redis backends.
public final class RedisStorage: Sendable {
    let client: RESPClient
    let settings: RedisSettings
    let logger: Logger

    public init(settings: RedisSettings, logger: Logger) {
        var connection = RESPConnectionConfiguration()
        if let password = settings.password {
            connection.authentication = RESPAuthentication(username: settings.username, password: password)
        }
        connection.database = settings.database
        connection.commandTimeout = settings.commandTimeout
        connection.clientName = "huddle"
        // The same TLS towards the Sentinels: RESPMasterConnector hands it to the resolver.
        connection.tls = settings.tls
        let endpoint: RESPEndpoint
        switch settings.endpoint {
        case .standalone(let host, let port):
            endpoint = .standalone(RESPServerAddress(host: host, port: port))
        case .sentinel(let sentinels, let masterName):
            endpoint = .sentinel(
                RESPSentinelConfiguration(
                    sentinels: sentinels, masterName: masterName,
                    authentication: settings.sentinelPassword.map { RESPAuthentication(password: $0) }))
        }
        self.client = RESPClient(endpoint: endpoint, configuration: RESPClientConfiguration(connection: connection), logger: logger)
        self.settings = settings
        self.logger = logger
    }

    /// Keeps subscriptions and the Sentinel watch alive until cancelled.
    public func run() async {
        await self.client.run()
    }

    /// Whether Redis answers a `PING` within a second: the readiness probe.
    public func isReachable() async -> Bool {
        await (try? withDeadline(.seconds(1)) { try await self.client.execute(PING()) }) != nil
    }

    func key(_ parts: String...) -> String {
        self.settings.keyPrefix + parts.joined(separator: ":")
    }

    /// Runs `body`, reporting Redis trouble as ``EventStoreError/unavailable(_:)`` (HTTP 503).
    func unavailableOnFailure<T: Sendable>(_ what: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as EventStoreError {
            throw error
        } catch {
            self.logger.warning("Redis \(what) failed", metadata: ["error": "\(error)"])
            throw EventStoreError.unavailable("Redis is unavailable")
        }
    }
}
