import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// A WebSocket client connection as plain NIO channel handlers on the generator's event loops:
/// no Swift task and no `String` per frame, so that at tens of thousands of deliveries a second
/// the generator, not the server, is no longer what a run measures.
enum BenchSocket {
    struct Refused: Error, CustomStringConvertible {
        var description: String { "the server did not upgrade the connection to a WebSocket" }
    }

    /// Connects to `target`'s realtime endpoint and, once upgraded, puts the handler `makeHandler`
    /// returns at the end of the pipeline (it receives whole `WebSocketFrame`s and writes masked
    /// ones). Returns the upgraded channel.
    static func connect(
        to target: BenchTarget, makeHandler: @escaping @Sendable () -> some ChannelHandler & Sendable
    ) async throws -> any Channel {
        let upgraded = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: target.host, port: target.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOTypedWebSocketClientUpgrader<(any Channel)?>(maxFrameSize: 1 << 20) { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(makeHandler())
                            return channel
                        }
                    }
                    var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/api/v1/realtime")
                    head.headers.add(name: "Host", value: "\(target.host):\(target.port)")
                    head.headers.add(name: "Content-Length", value: "0")
                    var configuration = NIOUpgradableHTTPClientPipelineConfiguration(
                        upgradeConfiguration: NIOTypedHTTPClientUpgradeConfiguration(
                            upgradeRequestHead: head, upgraders: [upgrader],
                            notUpgradingCompletionHandler: { $0.eventLoop.makeSucceededFuture(nil) }))
                    // The server's first frame may share a read with its 101 response.
                    configuration.leftOverBytesStrategy = .forwardBytes
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: configuration)
                }
            }
            .get()
        guard let upgraded else { throw Refused() }
        return upgraded
    }

    /// A client frame: masked, as RFC 6455 requires of a client.
    static func frame(_ opcode: WebSocketOpcode, _ data: ByteBuffer) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(), data: data)
    }

    static func text(_ text: String, allocator: ByteBufferAllocator) -> WebSocketFrame {
        self.frame(.text, allocator.buffer(string: text))
    }

    /// A close frame with `code`.
    static func close(_ code: WebSocketErrorCode, allocator: ByteBufferAllocator) -> WebSocketFrame {
        var data = allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: code)
        return self.frame(.connectionClose, data)
    }
}

/// What every bench client handler does besides its own frames: answers pings, and ends the
/// close handshake either side starts.
protocol BenchSocketHandler: ChannelInboundHandler where InboundIn == WebSocketFrame, OutboundOut == WebSocketFrame {
    /// A text frame's payload.
    func textFrame(_ payload: ByteBuffer, context: ChannelHandlerContext)
    /// The server closed with `code` (nil when it gave none).
    func serverClosed(with code: WebSocketErrorCode?)
}

extension BenchSocketHandler {
    func handle(_ frame: WebSocketFrame, context: ChannelHandlerContext) {
        switch frame.opcode {
        case .text:
            self.textFrame(frame.unmaskedData, context: context)
        case .ping:
            context.writeAndFlush(self.wrapOutboundOut(BenchSocket.frame(.pong, frame.unmaskedData)), promise: nil)
        case .connectionClose:
            var data = frame.unmaskedData
            self.serverClosed(with: data.readWebSocketErrorCode())
            // Our own close, if we sent one first, already ended our side; answering twice is harmless.
            let channel = context.channel
            context.writeAndFlush(self.wrapOutboundOut(BenchSocket.close(.normalClosure, allocator: channel.allocator)))
                .whenComplete { _ in channel.close(promise: nil) }
        default:
            break
        }
    }
}

extension Channel {
    /// Starts the close handshake (the handler closes the connection when the server answers).
    func closeWebSocket() {
        _ = self.writeAndFlush(BenchSocket.close(.normalClosure, allocator: self.allocator))
    }
}
