import Logging
import NIOCore
import Synchronization

/// Opens data connections to wherever the master is now.
///
/// With Sentinel, every connection starts by asking the Sentinels (so a reconnect always
/// re-resolves) and checks `ROLE` on the answer: right after a failover a Sentinel may still
/// name the old master, or the promoted replica may not have switched role yet.
final class RESPMasterConnector: Sendable {
    private let endpoint: RESPEndpoint
    private let configuration: RESPConnectionConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    let resolver: RESPSentinelResolver?
    /// The master of the last verified connection, and how often it changed.
    private let master = Mutex<(address: RESPServerAddress?, epoch: Int)>((nil, 0))
    /// Told when the master seems to have moved.
    private let masterMoved: @Sendable () -> Void

    init(
        endpoint: RESPEndpoint,
        configuration: RESPConnectionConfiguration,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger,
        masterMoved: @escaping @Sendable () -> Void
    ) {
        self.endpoint = endpoint
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.masterMoved = masterMoved
        if case .sentinel(let sentinel) = endpoint {
            self.resolver = RESPSentinelResolver(configuration: sentinel, tls: configuration.tls, eventLoopGroup: eventLoopGroup, logger: logger)
        } else {
            self.resolver = nil
        }
    }

    var currentMaster: RESPServerAddress? {
        if case .standalone(let address) = self.endpoint { return address }
        return self.master.withLock { $0.address }
    }

    /// Increases every time the master is found somewhere new.
    var masterEpoch: Int { self.master.withLock { $0.epoch } }

    func open(subscriberMode: Bool = false, onPush: (@Sendable (RESPToken) -> Void)? = nil) async throws -> RESPConnection {
        switch self.endpoint {
        case .standalone(let address):
            return try await self.connect(to: address, subscriberMode: subscriberMode, onPush: onPush)
        case .sentinel(let sentinel):
            var lastError: any Error = RESPSentinelError.notMaster
            for attempt in 0..<max(sentinel.roleCheckAttempts, 1) {
                if attempt > 0 { try await Task.sleep(for: sentinel.roleCheckPause) }
                let address = try await self.resolver!.resolveMaster()
                let connection: RESPConnection
                do {
                    connection = try await self.connect(to: address, subscriberMode: subscriberMode, onPush: onPush)
                } catch {
                    // Often the old master, dead, before the Sentinels agreed on a new one.
                    lastError = error
                    continue
                }
                let role = try? await connection.execute(ROLE())
                if role?.isMaster == true {
                    self.noteMaster(address)
                    return connection
                }
                self.logger.info("announced master is not master (yet)", metadata: ["address": "\(address)"])
                lastError = RESPSentinelError.notMaster
                await connection.close()
            }
            throw lastError
        }
    }

    /// Asks the Sentinels again and records the answer; true if the master moved.
    @discardableResult
    func refresh() async -> Bool {
        guard let resolver, let address = try? await resolver.resolveMaster() else { return false }
        return self.noteMaster(address)
    }

    @discardableResult
    private func noteMaster(_ address: RESPServerAddress) -> Bool {
        let previous = self.master.withLock { master in
            defer {
                if let previous = master.address, previous != address { master.epoch += 1 }
                master.address = address
            }
            return master.address
        }
        guard let previous, previous != address else { return false }
        self.logger.notice("Redis master moved", metadata: ["from": "\(previous)", "to": "\(address)"])
        self.masterMoved()
        return true
    }

    private func connect(to address: RESPServerAddress, subscriberMode: Bool, onPush: (@Sendable (RESPToken) -> Void)?) async throws -> RESPConnection {
        try await RESPConnection.connect(
            to: address,
            configuration: self.configuration,
            eventLoop: self.eventLoopGroup.any(),
            logger: self.logger,
            subscriberMode: subscriberMode,
            onPush: onPush
        )
    }
}
