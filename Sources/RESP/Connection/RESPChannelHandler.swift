import Logging
import NIOCore

/// Performs what ``RESPConnectionStateMachine`` decides: writes handshake and user commands,
/// completes promises in reply order, arms the timeout timer, hands pushes on.
///
/// Event-loop bound: ``RESPConnection`` reaches it only through its event loop.
final class RESPChannelHandler: ChannelInboundHandler {
    typealias InboundIn = RESPToken
    typealias OutboundOut = ByteBuffer
    typealias StateMachine = RESPConnectionStateMachine<EventLoopPromise<RESPToken>>

    private var stateMachine: StateMachine
    private var context: ChannelHandlerContext?
    private let connectTimeout: TimeAmount
    /// Completed with the negotiated protocol version once the handshake is done.
    let handshakePromise: EventLoopPromise<Int>
    private let onPush: (@Sendable (RESPToken) -> Void)?
    private let logger: Logger
    private var timer: Scheduled<Void>?
    private var armedDeadline: NIODeadline?

    init(
        setup: StateMachine.Setup,
        connectTimeout: TimeAmount,
        handshakePromise: EventLoopPromise<Int>,
        onPush: (@Sendable (RESPToken) -> Void)?,
        logger: Logger
    ) {
        self.stateMachine = StateMachine(setup: setup)
        self.connectTimeout = connectTimeout
        self.handshakePromise = handshakePromise
        self.onPush = onPush
        self.logger = logger
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { self.start(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.perform(self.stateMachine.closed())
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        self.start(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.perform(self.stateMachine.closed())
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.perform(self.stateMachine.received(self.unwrapInboundIn(data)))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is RESPDecodeError || error is ByteToMessageDecoderError {
            self.perform(self.stateMachine.decodeFailed(error))
        } else {
            self.perform(self.stateMachine.errorCaught(error))
        }
    }

    // MARK: Commands (called on the event loop)

    func send(_ bytes: ByteBuffer, promise: EventLoopPromise<RESPToken>, timeout: TimeAmount) {
        let deadline = self.now + timeout
        let action = self.stateMachine.send(promise, deadline: deadline)
        if case .writeCommand = action, let context = self.context {
            context.writeAndFlush(self.wrapOutboundOut(bytes), promise: nil)
            if self.armedDeadline.map({ deadline < $0 }) ?? true { self.arm(at: deadline) }
        } else {
            self.perform(action)
        }
    }

    /// Writes a command whose confirmation arrives as a push; false if the connection is not
    /// ready (closed or still connecting).
    func sendWithoutReply(_ bytes: ByteBuffer) -> Bool {
        guard self.stateMachine.mayWriteWithoutReply(), let context = self.context else { return false }
        context.writeAndFlush(self.wrapOutboundOut(bytes), promise: nil)
        return true
    }

    func close() {
        self.perform(self.stateMachine.close())
    }

    /// The event loop's clock, so that tests on a testing event loop control time.
    private var now: NIODeadline { self.context?.eventLoop.now ?? .now() }

    // MARK: Actions

    private func start(context: ChannelHandlerContext) {
        let deadline = self.now + self.connectTimeout
        self.perform(self.stateMachine.connected(handshakeDeadline: deadline))
        if !self.stateMachine.isClosed { self.arm(at: deadline) }
    }

    private func perform(_ action: StateMachine.Action) {
        switch action {
        case .none, .writeCommand:
            break
        case .sendHandshake(let step):
            guard let context = self.context else { return }
            var encoder = RESPCommandEncoder(buffer: context.channel.allocator.buffer(capacity: 64))
            switch step {
            case .hello(let username, let password, let clientName):
                encoder.encode(HELLO(protocolVersion: 3, username: username, password: password, clientName: clientName))
            case .auth(let username, let password):
                encoder.encode(AUTH(username: username, password: password))
            case .select(let database):
                encoder.encode(SELECT(database: database))
            }
            context.writeAndFlush(self.wrapOutboundOut(encoder.buffer), promise: nil)
        case .handshakeSucceeded(let version):
            self.handshakePromise.succeed(version)
        case .succeed(let promise, let token):
            promise.succeed(token)
        case .fail(let promise, let error):
            promise.fail(error)
        case .deliverPush(let token):
            self.onPush?(token)
        case .close(let error, let failing, let handshakeFailed):
            self.logger.debug("closing Redis connection", metadata: ["reason": "\(error)"])
            self.timer?.cancel()
            self.timer = nil
            if handshakeFailed { self.handshakePromise.fail(error) }
            for promise in failing { promise.fail(error) }
            self.context?.close(promise: nil)
        }
    }

    /// One timer at most, armed no later than the earliest open deadline. Replies do not move
    /// it: when it fires early (its command was answered) it is re-armed at the earliest
    /// deadline still open, so a busy pipeline costs one timer per timeout period, not per
    /// command.
    private func arm(at deadline: NIODeadline?) {
        self.timer?.cancel()
        self.timer = nil
        self.armedDeadline = deadline
        guard let deadline, let context = self.context else { return }
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.timer = nil
            self.armedDeadline = nil
            self.perform(self.stateMachine.timerFired(now: self.now))
            if !self.stateMachine.isClosed { self.arm(at: self.stateMachine.nextDeadline) }
        }
    }
}
