public import NIOCore

/// Server-to-client WebSocket frames (RFC 6455 §5.2), encoded whole: header and payload in one
/// buffer, so that a broker delivery is encoded once and the same bytes go to every subscriber.
/// Server frames are never masked, and the server never fragments.
public enum ServerFrameEncoder {
    public static func text(_ text: String, allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        let length = text.utf8.count
        var buffer = allocator.buffer(capacity: Self.headerSize(length) + length)
        Self.writeHeader(opcode: 0x1, length: length, into: &buffer)
        buffer.writeString(text)
        return buffer
    }

    /// A close frame with `code` and a reason cut to the 123 bytes a control frame leaves for it.
    public static func close(code: UInt16, reason: String) -> ByteBuffer {
        let reasonBytes = reason.utf8.prefix(123)
        var buffer = ByteBufferAllocator().buffer(capacity: 4 + reasonBytes.count)
        Self.writeHeader(opcode: 0x8, length: 2 + reasonBytes.count, into: &buffer)
        buffer.writeInteger(code)
        buffer.writeBytes(reasonBytes)
        return buffer
    }

    /// The answer to a client's close frame: its status code (or nothing) sent back.
    static func closeEcho(_ payload: ByteBuffer) -> ByteBuffer {
        self.control(opcode: 0x8, payload: payload)
    }

    public static func ping(payload: ByteBuffer = ByteBuffer()) -> ByteBuffer {
        self.control(opcode: 0x9, payload: payload)
    }

    public static func pong(payload: ByteBuffer) -> ByteBuffer {
        self.control(opcode: 0xA, payload: payload)
    }

    private static func control(opcode: UInt8, payload: ByteBuffer) -> ByteBuffer {
        // A control frame carries at most 125 bytes.
        let body = payload.getSlice(at: payload.readerIndex, length: min(payload.readableBytes, 125)) ?? ByteBuffer()
        var buffer = ByteBufferAllocator().buffer(capacity: 2 + body.readableBytes)
        Self.writeHeader(opcode: opcode, length: body.readableBytes, into: &buffer)
        buffer.writeImmutableBuffer(body)
        return buffer
    }

    private static func headerSize(_ length: Int) -> Int {
        length < 126 ? 2 : length <= 0xFFFF ? 4 : 10
    }

    private static func writeHeader(opcode: UInt8, length: Int, into buffer: inout ByteBuffer) {
        buffer.writeInteger(0x80 | opcode)  // FIN, no extensions
        switch length {
        case ..<126:
            buffer.writeInteger(UInt8(length))
        case ...0xFFFF:
            buffer.writeInteger(UInt8(126))
            buffer.writeInteger(UInt16(length))
        default:
            buffer.writeInteger(UInt8(127))
            buffer.writeInteger(UInt64(length))
        }
    }
}
