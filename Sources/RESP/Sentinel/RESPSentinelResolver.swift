import Logging
import NIOCore

/// Asks Sentinels, in turn, where the master is.
///
/// Follows the Redis "Sentinel clients" guidance: try each Sentinel with a short timeout,
/// take the first answer, and move the Sentinel that answered to the front of the list so
/// that the next query asks it first.
actor RESPSentinelResolver {
    private var sentinels: [RESPServerAddress]
    private let masterName: String
    private let connection: RESPConnectionConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger

    init(configuration: RESPSentinelConfiguration, tls: RESPConnectionConfiguration.TLS?, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.sentinels = configuration.sentinels
        self.masterName = configuration.masterName
        self.connection = Self.sentinelConnection(configuration, tls: tls)
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// How to talk to a Sentinel: RESP2 (every Sentinel version speaks it), its own password,
    /// and the short query timeout for both connecting and the command.
    static func sentinelConnection(_ configuration: RESPSentinelConfiguration, tls: RESPConnectionConfiguration.TLS?) -> RESPConnectionConfiguration {
        RESPConnectionConfiguration(
            authentication: configuration.authentication,
            protocolVersion: .resp2,
            commandTimeout: configuration.queryTimeout,
            connectTimeout: configuration.queryTimeout,
            tls: tls
        )
    }

    /// The Sentinels in the order they will be asked.
    var order: [RESPServerAddress] { self.sentinels }

    func resolveMaster() async throws -> RESPServerAddress {
        var anyAnswered = false
        for (index, sentinel) in self.sentinels.enumerated() {
            do {
                let connection = try await RESPConnection.connect(
                    to: sentinel,
                    configuration: self.connection,
                    eventLoop: self.eventLoopGroup.any(),
                    logger: self.logger
                )
                let address: RESPServerAddress?
                do {
                    address = try await connection.execute(SENTINEL_GET_MASTER_ADDR_BY_NAME(masterName: self.masterName))
                } catch {
                    await connection.close()
                    throw error
                }
                await connection.close()
                anyAnswered = true
                guard let address else { continue }
                self.promote(index)
                return address
            } catch {
                self.logger.debug("Sentinel did not answer", metadata: ["sentinel": "\(sentinel)", "error": "\(error)"])
            }
        }
        throw anyAnswered ? RESPSentinelError.masterUnknown : RESPSentinelError.noSentinelReachable
    }

    /// Connects to any Sentinel that accepts, in the same order (for `+switch-master`).
    func connectToSentinel(onPush: @escaping @Sendable (RESPToken) -> Void) async throws -> RESPConnection {
        for (index, sentinel) in self.sentinels.enumerated() {
            do {
                let connection = try await RESPConnection.connect(
                    to: sentinel,
                    configuration: self.connection,
                    eventLoop: self.eventLoopGroup.any(),
                    logger: self.logger,
                    subscriberMode: true,
                    onPush: onPush
                )
                self.promote(index)
                return connection
            } catch {
                self.logger.debug("Sentinel unreachable", metadata: ["sentinel": "\(sentinel)", "error": "\(error)"])
            }
        }
        throw RESPSentinelError.noSentinelReachable
    }

    private func promote(_ index: Int) {
        guard index != 0 else { return }
        let sentinel = self.sentinels.remove(at: index)
        self.sentinels.insert(sentinel, at: 0)
    }
}
