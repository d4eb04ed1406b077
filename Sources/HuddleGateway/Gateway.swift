public import HuddleCore
import CoreMetrics
public import Logging
public import NIOCore
import NIOWebSocket
import Synchronization

/// The realtime gateway: every WebSocket connection of this replica, and the shared hub.
public final class Gateway: Sendable {
    let dependencies: GatewayDependencies
    private let sessions = Mutex<[String: Session]>([:])
    /// Fired when the last connection has gone, for drains waiting on that.
    private let drained = Mutex<[FirstSignal]>([])

    public init(
        directory: ChannelDirectory,
        broker: any Broker,
        presence: any Presence,
        configuration: GatewayConfiguration,
        logger: Logger,
        authenticate: @escaping @Sendable (_ accessToken: String) async -> Identity? = { _ in nil },
        lookUp: @escaping @Sendable (_ userID: String) async throws -> Identity? = { _ in nil }
    ) {
        self.dependencies = GatewayDependencies(
            hub: LocalHub(broker: broker),
            directory: directory,
            presence: presence,
            broker: broker,
            configuration: configuration,
            metrics: GatewayMetrics(),
            logger: logger,
            authenticate: authenticate,
            lookUp: lookUp
        )
    }

    /// Whether the connection `id` is still one of this replica's (until its end has left its channels).
    func isOpen(_ id: String) -> Bool { self.sessions.withLock { $0[id] != nil } }

    /// Open connections on this replica.
    public var connectionCount: Int { self.sessions.withLock { $0.count } }

    /// The members this replica's connections hold on each channel: what it keeps alive.
    public func localMembers() -> [String: [PresenceMember]] {
        var members: [String: [PresenceMember]] = [:]
        for session in self.sessions.withLock({ Array($0.values) }) {
            for channel in session.snapshot.withLock({ $0.joined }) {
                members[channel, default: []].append(session.member)
            }
        }
        return members
    }

    /// The limits every connection is held to.
    public var configuration: GatewayConfiguration { self.dependencies.configuration }

    /// Channels this replica subscribes to upstream.
    public var upstreamChannelCount: Int { self.dependencies.hub.channelCount }

    /// Takes over an upgraded channel: NIO's frame decoder, the mask check and NIO's fragment aggregator, then the
    /// transport (``RealtimeChannelHandler``), then the session's first frames. Call on the
    /// channel's event loop, once the 101 response is out. `name` is the display name a guest
    /// asked for; `identity` who authenticated at the upgrade, if anyone.
    public func open(channel: any Channel, name: String?, identity: Identity?) throws {
        let configuration = self.configuration
        let transport = RealtimeChannelHandler(configuration: configuration)
        let maxSize = configuration.maxMessageSize
        try channel.pipeline.syncOperations.addHandlers([
            // A frame whose header announces more than the limit is refused before its payload
            // is read (close 1009), so memory stays bounded whatever the client sends.
            ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: maxSize)),
            ClientMaskCheck(),
            NIOWebSocketFrameAggregator(minNonFinalFragmentSize: 1, maxAccumulatedFrameCount: 256, maxAccumulatedFrameSize: maxSize),
            transport,
        ])
        let output = NIOLoopBound<any SessionOutput>(transport, eventLoop: channel.eventLoop)
        let session = self.connect(output: output, on: channel.eventLoop, name: name, identity: identity)
        transport.session = session
        session.assumeIsolated { $0.start() }
    }

    /// A session writing to `output` on `loop`; ``open(channel:name:identity:)`` and tests
    /// (which drive it with their own output) start it.
    func connect(output: NIOLoopBound<any SessionOutput>, on loop: any EventLoop, name: String?, identity: Identity?) -> Session {
        let id = Self.makeConnectionID()
        // A signed-in user appears under their display name; a guest under the name they asked
        // for or a random one.
        let member = PresenceMember(id: id, name: identity?.name ?? name ?? GuestName.random())
        let session = Session(
            id: id, member: member, identity: identity ?? .guest(id: "guest-" + id, name: member.name),
            dependencies: self.dependencies, output: output, eventLoop: loop,
            onEnd: { [weak self] session in self?.remove(session) })
        self.sessions.withLock { $0[id] = session }
        self.dependencies.metrics.connections.record(self.connectionCount)
        return session
    }

    private func remove(_ session: Session) {
        let empty = self.sessions.withLock { sessions in
            sessions[session.id] = nil
            return sessions.isEmpty
        }
        self.dependencies.metrics.connections.record(self.connectionCount)
        if empty {
            for waiter in self.drained.withLock({ waiters in defer { waiters = [] }; return waiters }) {
                waiter.fire()
            }
        }
    }

    /// A user's account changed (deactivated, demoted, sessions ended, password changed): each of
    /// their connections on this replica takes on who they are now, or is closed with 4001 when
    /// they no longer may be here. Commands are decided with the identity as it is then.
    public func accountChanged(_ userID: String) async {
        let affected = self.sessions.withLock { Array($0.values) }.filter { $0.identity.id == userID && !$0.identity.isGuest }
        guard !affected.isEmpty else { return }
        await self.reidentify(affected)
    }

    /// Every signed-in connection looks its user up again (account changes may have been missed
    /// while the broker was reconnecting).
    public func revalidateAccounts() async {
        await self.reidentify(self.sessions.withLock { Array($0.values) }.filter { !$0.identity.isGuest })
    }

    /// Looks each user up once, however many connections they have here.
    private func reidentify(_ sessions: [Session]) async {
        for (userID, connections) in Dictionary(grouping: sessions, by: { $0.identity.id }) {
            do {
                let now = try await self.dependencies.lookUp(userID)
                for session in connections {
                    if let now { await session.reidentify(as: now) } else { await session.close(.revoked) }
                }
            } catch {
                self.dependencies.logger.warning(
                    "Could not check an account change; the connections keep their identity",
                    metadata: ["user": .string(userID), "error": "\(error)"])
            }
        }
    }

    /// Closes every connection with 1012 so clients reconnect elsewhere, and waits (at most
    /// `timeout`) for them to go.
    public func drain(timeout: Duration) async {
        let open = self.sessions.withLock { Array($0.values) }
        self.dependencies.logger.info("Draining realtime connections", metadata: ["connections": .stringConvertible(open.count)])
        for session in open {
            await session.close(.serviceRestart)
        }
        // Not a task group: its child waiting for the last connection would ignore the
        // cancellation at the timeout, and a client that never answers the close would hold
        // the SIGTERM for ever.
        let empty = FirstSignal()
        let alreadyEmpty = self.sessions.withLock { sessions in
            if sessions.isEmpty { return true }
            self.drained.withLock { $0.append(empty) }
            return false
        }
        if alreadyEmpty { return }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            empty.fire()
        }
        await empty.wait()
        timer.cancel()
        if self.connectionCount > 0 {
            self.dependencies.logger.warning(
                "Drain timed out; connections left open", metadata: ["connections": .stringConvertible(self.connectionCount)])
        }
    }

    private static func makeConnectionID() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = String(generator.next() as UInt64, radix: 36)
        let low = String(generator.next() as UInt32, radix: 36)
        return high + low
    }
}
