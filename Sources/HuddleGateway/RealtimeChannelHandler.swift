import NIOCore
import NIOWebSocket

/// The transport of an upgraded connection: the last handler of its pipeline, after NIO's
/// frame decoder, ``ClientMaskCheck`` and NIO's fragment aggregator, on the connection's event loop.
///
/// It turns whole client messages into ``Session/received(_:)`` calls and writes the session's
/// already encoded frames (there is no frame encoder in the pipeline, so that a broker delivery
/// encoded once is written as is). It answers pings, runs the closing handshake, pings the
/// client every `pingInterval` and drops one that has sent nothing since the last ping (a
/// half-open socket), and stops reading while the session is busy with a frame. An idle
/// connection costs this object, its pipeline and its session: no task, no buffer.
final class RealtimeChannelHandler: ChannelDuplexHandler, RemovableChannelHandler, SessionOutput {
    typealias InboundIn = WebSocketFrame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let configuration: GatewayConfiguration
    private var context: ChannelHandlerContext?
    /// Set once the session exists; released when the socket goes (the two refer to each other).
    var session: Session?
    private var readingPaused = false
    private var readPending = false
    /// Anything arrived since the last ping.
    private var heard = true
    private var pinger: Scheduled<Void>?
    /// Our close frame is written: what follows is the client's answer, or the timer.
    private var closeSent = false
    private var closeTimer: Scheduled<Void>?
    /// The frame decoder failed: nothing more can be read, so the socket goes once our close frame is out.
    private var inputBroken = false

    init(configuration: GatewayConfiguration) {
        self.configuration = configuration
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        // The socket's own buffer accounting decides when a client is too slow (``isWritable``).
        let limit = max(self.configuration.sendBufferLimit, 1024)
        try? context.channel.syncOptions?.setOption(
            ChannelOptions.writeBufferWaterMark, value: .init(low: limit / 2, high: limit))
        self.schedulePing()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.stopTimers()
        self.context = nil
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        self.heard = true
        switch frame.opcode {
        case .text:
            let payload = frame.unmaskedData
            guard let text = String(validating: payload.readableBytesView, as: UTF8.self) else {
                return self.fail(.invalidText)
            }
            self.session?.assumeIsolated { $0.received(.text(text)) }
        case .binary:
            self.session?.assumeIsolated { $0.received(.binary(size: frame.length)) }
        case .ping:
            context.writeAndFlush(Self.wrapOutboundOut(ServerFrameEncoder.pong(payload: frame.unmaskedData)), promise: nil)
        case .pong:
            break
        case .connectionClose:
            self.clientClosed(frame, context: context)
        default:
            self.fail(.protocolError)
        }
    }

    /// The client's close frame: the answer to ours, or its own, which is echoed (RFC 6455 §5.5.1).
    private func clientClosed(_ frame: WebSocketFrame, context: ChannelHandlerContext) {
        if self.closeSent {
            context.close(promise: nil)
            return
        }
        self.closeSent = true
        var payload = frame.unmaskedData
        let code = payload.readInteger(as: UInt16.self)
        var echo = ByteBuffer()
        if let code { echo.writeInteger(code) }
        context.writeAndFlush(Self.wrapOutboundOut(ServerFrameEncoder.closeEcho(echo)))
            .assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.stopTimers()
        self.session?.assumeIsolated { $0.ended() }
        self.session = nil
        context.fireChannelInactive()
    }

    /// The client shut its side (the HTTP server allows half-closed sockets): it will send
    /// nothing more, not even the answer to a close or a ping, so the connection is over now,
    /// not when the next ping finds it silent.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .some(ChannelEvent.inputClosed) = event as? ChannelEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            self.session?.assumeIsolated { $0.becameWritable() }
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case NIOWebSocketError.invalidFrameLength,
            NIOWebSocketFrameAggregator.Error.accumulatedFrameSizeIsTooLarge,
            NIOWebSocketFrameAggregator.Error.tooManyFragments:
            self.fail(.messageTooLarge)
        case is NIOWebSocketError, is NIOWebSocketFrameAggregator.Error, is ClientMaskCheck.UnmaskedFrame:
            self.fail(.protocolError)
        default:
            // The socket itself failed (a reset): nothing more can be said on it.
            context.close(promise: nil)
        }
    }

    /// The client broke the protocol: the frames after this one cannot be trusted or parsed.
    private func fail(_ reason: CloseReason) {
        self.inputBroken = true
        if let session = self.session {
            session.assumeIsolated { $0.close(reason) }
        } else {
            self.close(reason)
        }
    }

    // MARK: Reading on demand

    func read(context: ChannelHandlerContext) {
        if self.readingPaused {
            self.readPending = true
        } else {
            context.read()
        }
    }

    func pauseReading() {
        self.readingPaused = true
    }

    func resumeReading() {
        guard self.readingPaused else { return }
        self.readingPaused = false
        if self.readPending, let context = self.context {
            self.readPending = false
            context.read()
        }
    }

    // MARK: SessionOutput

    func write(_ frame: ByteBuffer) {
        guard !self.closeSent, let context = self.context else { return }
        context.write(Self.wrapOutboundOut(frame), promise: nil)
    }

    func flush() {
        self.context?.flush()
    }

    var isWritable: Bool {
        self.context?.channel.isWritable ?? false
    }

    func close(_ reason: CloseReason) {
        guard !self.closeSent, let context = self.context else { return }
        self.closeSent = true
        let written = context.writeAndFlush(Self.wrapOutboundOut(ServerFrameEncoder.close(code: reason.code, reason: reason.reason)))
        if self.inputBroken {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            return
        }
        // A client that does not answer (or does not read: the frame may sit behind a full
        // send buffer) is dropped after the close timeout.
        let timeout = TimeAmount.nanoseconds(Int64(self.configuration.closeTimeout * 1e9))
        self.closeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            context.close(promise: nil)
        }
    }

    // MARK: Liveness

    private func schedulePing() {
        guard let context = self.context else { return }
        let interval = TimeAmount.nanoseconds(Int64(self.configuration.pingInterval * 1e9))
        self.pinger = context.eventLoop.assumeIsolated().scheduleTask(in: interval) {
            self.pingOrDrop()
            self.schedulePing()
        }
    }

    /// Every `pingInterval`: a client that sent nothing since the previous ping (not even the
    /// pong) is gone without saying so, and its socket is closed; otherwise ping it again.
    private func pingOrDrop() {
        guard let context = self.context else { return }
        guard self.heard else {
            context.close(promise: nil)
            return
        }
        self.heard = false
        guard !self.closeSent else { return }
        context.writeAndFlush(Self.wrapOutboundOut(ServerFrameEncoder.ping()), promise: nil)
    }

    private func stopTimers() {
        self.pinger?.cancel()
        self.pinger = nil
        self.closeTimer?.cancel()
        self.closeTimer = nil
    }
}
