/// Why the bytes from the server are not valid RESP, or exceed ``RESPDecodingLimits``.
///
/// The connection that sees one of these is closed: after a framing error nothing that
/// follows can be attributed to a command.
public struct RESPDecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem; compare errors by it.
    public enum Code: String, Hashable, Sendable {
        /// The first byte is not one of ``RESPTypeIdentifier``.
        case invalidLeadingByte
        /// A line or payload is malformed (missing CRLF, bad boolean, bad verbatim format…).
        case invalidData
        /// A length, count or integer is not a decimal number in range.
        case invalidInteger
        /// A negative length other than the RESP2 null `-1`.
        case negativeLength
        /// A bulk string, bulk error or verbatim string longer than the limit.
        case bulkStringTooLong
        /// An aggregate with more elements than the limit.
        case aggregateTooLarge
        /// Aggregates nested deeper than the limit.
        case tooDeeplyNested
        /// A simple line (simple string, error, number) longer than the limit without CRLF.
        case lineTooLong
        /// More bytes are buffered for one incomplete value than the limit allows.
        case messageTooLarge
        /// RESP3 streamed strings and aggregates (`$?`, `*?`): Redis never sends them.
        case unsupportedStreamedType
    }

    public var code: Code

    public init(_ code: Code) {
        self.code = code
    }

    public static let invalidLeadingByte = RESPDecodeError(.invalidLeadingByte)
    public static let invalidData = RESPDecodeError(.invalidData)
    public static let invalidInteger = RESPDecodeError(.invalidInteger)
    public static let negativeLength = RESPDecodeError(.negativeLength)
    public static let bulkStringTooLong = RESPDecodeError(.bulkStringTooLong)
    public static let aggregateTooLarge = RESPDecodeError(.aggregateTooLarge)
    public static let tooDeeplyNested = RESPDecodeError(.tooDeeplyNested)
    public static let lineTooLong = RESPDecodeError(.lineTooLong)
    public static let messageTooLarge = RESPDecodeError(.messageTooLarge)
    public static let unsupportedStreamedType = RESPDecodeError(.unsupportedStreamedType)

    public var description: String { "RESP decode error: \(self.code.rawValue)" }
}
