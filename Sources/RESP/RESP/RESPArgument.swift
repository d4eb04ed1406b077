public import NIOCore

/// One argument of a command; every argument goes on the wire as a bulk string.
public enum RESPArgument: Hashable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case string(String)
    case bytes(ByteBuffer)
    case integer(Int64)
    case double(Double)

    public init(stringLiteral value: String) {
        self = .string(value)
    }

    public init(integerLiteral value: Int64) {
        self = .integer(value)
    }

    public init(_ bytes: [UInt8]) {
        self = .bytes(ByteBuffer(bytes: bytes))
    }

    /// The length of the bulk string's payload.
    var byteCount: Int {
        switch self {
        case .string(let text): text.utf8.count
        case .bytes(let bytes): bytes.readableBytes
        case .integer(let number): String(number).utf8.count
        case .double(let number): Self.text(of: number).utf8.count
        }
    }

    func write(into buffer: inout ByteBuffer) {
        switch self {
        case .string(let text): buffer.writeString(text)
        case .bytes(let bytes): buffer.writeImmutableBuffer(bytes)
        case .integer(let number): buffer.writeString(String(number))
        case .double(let number): buffer.writeString(Self.text(of: number))
        }
    }

    /// Redis reads `inf`, `-inf` and plain decimals; Swift's `description` matches them.
    static func text(of number: Double) -> String {
        if number.isInfinite { return number < 0 ? "-inf" : "+inf" }
        return "\(number)"
    }
}
