import HuddleCore
import HuddleGateway
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket

extension Gateway {
    /// Serves one WebSocket upgraded by hummingbird-websocket: its transport behind the seam.
    func handle(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, channel: any Channel, name: String?,
        identity: Identity? = nil
    ) async throws {
        let maxSize = self.configuration.maxMessageSize
        let messages = inbound.messages(maxSize: maxSize).map { message -> InboundMessage in
            switch message {
            case .text(let text): .text(text)
            case .binary(let buffer): .binary(size: buffer.readableBytes)
            }
        }
        try await self.serve(
            messages: messages, writer: WebSocketFrameWriter(outbound: outbound, channel: channel), name: name,
            identity: identity)
    }
}

/// ``FrameWriter`` over a hummingbird-websocket connection.
struct WebSocketFrameWriter: FrameWriter {
    let outbound: WebSocketOutboundWriter
    let channel: any Channel

    func write(_ text: String) async throws {
        try await self.outbound.write(.text(text))
    }

    func close(_ reason: CloseReason) async {
        try? await self.outbound.close(.init(codeNumber: Int(reason.code)), reason: reason.reason)
    }

    func abort() {
        self.channel.close(promise: nil)
    }
}
