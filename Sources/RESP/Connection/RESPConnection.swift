public import Logging
public import NIOCore
public import NIOPosix
import NIOSSL
import Tracing

/// One connection to a Redis server, after `HELLO`/`AUTH`/`SELECT`.
///
/// Commands may be sent concurrently: they are pipelined on the wire and each caller gets the
/// reply that matches its command. A command without a reply within its timeout closes the
/// connection (and fails every command still waiting on it).
public final class RESPConnection: Sendable {
    /// The server this connection talks to.
    public let address: RESPServerAddress?
    /// 3 when `HELLO 3` succeeded, else 2.
    public let protocolVersion: Int
    let channel: any Channel
    private let handler: NIOLoopBound<RESPChannelHandler>
    private let commandTimeout: TimeAmount

    private init(
        channel: any Channel,
        handler: NIOLoopBound<RESPChannelHandler>,
        protocolVersion: Int,
        address: RESPServerAddress?,
        commandTimeout: TimeAmount
    ) {
        self.channel = channel
        self.handler = handler
        self.protocolVersion = protocolVersion
        self.address = address
        self.commandTimeout = commandTimeout
    }

    /// Opens a connection and runs the handshake.
    ///
    /// - Parameter onPush: called on the connection's event loop with every out-of-band value
    ///   (RESP3 pushes; in RESP2 with `subscriberMode`, every array). Must not block.
    public static func connect(
        to address: RESPServerAddress,
        configuration: RESPConnectionConfiguration,
        eventLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.any(),
        logger: Logger = Logger(label: "resp"),
        subscriberMode: Bool = false,
        onPush: (@Sendable (RESPToken) -> Void)? = nil
    ) async throws -> RESPConnection {
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelOption(.socketOption(.so_keepalive), value: 1)
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: address.host, port: address.port).get()
        } catch {
            throw RESPConnectionError(.connectFailed, underlying: error)
        }
        do {
            return try await Self.setUp(
                channel: channel,
                address: address,
                configuration: configuration,
                logger: logger,
                subscriberMode: subscriberMode,
                onPush: onPush
            )
        } catch {
            try? await channel.close()
            throw error
        }
    }

    /// Installs the handlers on an open (or about to open) channel and waits for the
    /// handshake. Tests call it with a testing channel.
    package static func setUp(
        channel: any Channel,
        address: RESPServerAddress?,
        configuration: RESPConnectionConfiguration,
        logger: Logger,
        subscriberMode: Bool = false,
        onPush: (@Sendable (RESPToken) -> Void)? = nil
    ) async throws -> RESPConnection {
        let handshake = channel.eventLoop.makePromise(of: Int.self)
        let setup = RESPChannelHandler.StateMachine.Setup(
            authentication: configuration.authentication,
            database: configuration.database,
            preferRESP3: configuration.protocolVersion == .resp3,
            clientName: configuration.clientName,
            subscriberMode: subscriberMode
        )
        let limits = configuration.decodingLimits
        let tls = configuration.tls
        let host = address?.host
        let handler = try await channel.eventLoop.submit {
            let handler = RESPChannelHandler(
                setup: setup,
                connectTimeout: TimeAmount(configuration.connectTimeout),
                handshakePromise: handshake,
                onPush: onPush,
                logger: logger
            )
            let sync = channel.pipeline.syncOperations
            if let tls {
                // SNI and certificate names are host names, never IP literals.
                let name = tls.serverHostname ?? host.flatMap { $0.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" } ? nil : $0 }
                try sync.addHandler(NIOSSLClientHandler(context: tls.context, serverHostname: name))
            }
            try sync.addHandler(ByteToMessageHandler(RESPTokenDecoder(limits: limits), maximumBufferSize: limits.maximumMessageSize))
            try sync.addHandler(handler)
            return NIOLoopBound(handler, eventLoop: channel.eventLoop)
        }.get()
        let version = try await handshake.futureResult.get()
        return RESPConnection(
            channel: channel,
            handler: handler,
            protocolVersion: version,
            address: address,
            commandTimeout: TimeAmount(configuration.commandTimeout)
        )
    }

    /// Sends `command` and decodes its reply.
    ///
    /// - Throws: ``RESPError`` for an error reply, ``RESPConnectionError`` if the connection
    ///   failed or timed out, ``RESPConversionError`` if the reply has an unexpected shape.
    public func execute<Command: RESPCommand>(_ command: Command, timeout: Duration? = nil) async throws -> Command.Response {
        let bytes = command.encoded
        // A client span per command, child of whatever the caller is doing (a no-op without a tracer).
        return try await withSpan(RESPCommandEncoder.commandName(in: bytes), ofKind: .client) { span in
            span.attributes["db.system.name"] = "redis"
            span.attributes["db.operation.name"] = span.operationName
            if let address = self.address {
                span.attributes["server.address"] = address.host
                span.attributes["server.port"] = address.port
            }
            let token = try await self.send(bytes, timeout: timeout.map(TimeAmount.init) ?? self.commandTimeout)
            return try Command.Response(fromRESP: token)
        }
    }

    /// Sends already-encoded bytes holding one command, and returns its raw reply.
    package func send(_ bytes: ByteBuffer, timeout: TimeAmount) async throws -> RESPToken {
        let promise = self.channel.eventLoop.makePromise(of: RESPToken.self)
        let handler = self.handler
        self.channel.eventLoop.execute {
            handler.value.send(bytes, promise: promise, timeout: timeout)
        }
        return try await promise.futureResult.get()
    }

    /// Queues a command that has no reply of its own (SUBSCRIBE, UNSUBSCRIBE). Writes issued
    /// from one thread reach the wire in the order of the calls.
    package func sendWithoutReply(_ command: some RESPCommand) {
        let handler = self.handler
        let bytes = command.encoded
        self.channel.eventLoop.execute {
            _ = handler.value.sendWithoutReply(bytes)
        }
    }

    /// Closes the connection; commands still waiting fail with `connectionClosed`.
    public func close() async {
        let handler = self.handler
        self.channel.eventLoop.execute { handler.value.close() }
        try? await self.channel.closeFuture.get()
    }

    /// Closes without waiting.
    package func closeSoon() {
        let handler = self.handler
        self.channel.eventLoop.execute { handler.value.close() }
    }

    /// Completes when the connection is closed, by either side.
    public var closeFuture: EventLoopFuture<Void> { self.channel.closeFuture }

    /// Whether the connection is still open.
    public var isOpen: Bool { self.channel.isActive }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
