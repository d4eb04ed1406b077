public import NIOCore

/// Frames the server's byte stream into ``RESPToken``s.
///
/// A token is a slice of NIO's cumulation buffer, so nothing is copied. Incomplete values wait
/// for more bytes, but never more than ``RESPDecodingLimits/maximumMessageSize``.
public struct RESPTokenDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = RESPToken

    public let limits: RESPDecodingLimits

    public init(limits: RESPDecodingLimits = .default) {
        self.limits = limits
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> RESPToken? {
        if let token = try RESPToken(consuming: &buffer, limits: self.limits) {
            return token
        }
        if buffer.readableBytes > self.limits.maximumMessageSize {
            throw RESPDecodeError.messageTooLarge
        }
        return nil
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> RESPToken? {
        try self.decode(buffer: &buffer)
    }
}
