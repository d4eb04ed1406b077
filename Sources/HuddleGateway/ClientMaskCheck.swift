import NIOCore
import NIOWebSocket

/// Refuses an unmasked client frame (RFC 6455 §5.1: a server must close on one).
///
/// It sits between the frame decoder and the fragment aggregator, because an aggregated message
/// no longer carries its fragments' masks; the transport answers the error with close 1002.
final class ClientMaskCheck: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame

    struct UnmaskedFrame: Error {}

    private var failed = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.failed else { return }
        guard Self.unwrapInboundIn(data).maskKey != nil else {
            self.failed = true
            context.fireErrorCaught(UnmaskedFrame())
            return
        }
        context.fireChannelRead(data)
    }
}
