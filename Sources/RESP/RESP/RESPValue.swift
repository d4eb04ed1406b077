public import NIOCore

/// A RESP value that owns its contents: for building replies (tests, fake servers) and for
/// keeping a reply beyond the buffer it came in.
public indirect enum RESPValue: Hashable, Sendable {
    case simpleString(String)
    case simpleError(String)
    case integer(Int64)
    case bulkString(ByteBuffer)
    case array([RESPValue])
    case null
    case boolean(Bool)
    case double(Double)
    case bigNumber(String)
    case bulkError(ByteBuffer)
    case verbatimString(format: String, ByteBuffer)
    case map([Entry])
    case set([RESPValue])
    case push([RESPValue])
    /// A value annotated with RESP3 attributes.
    case attributed([Entry], RESPValue)

    /// A key-value pair of a map or attribute (maps keep their order on the wire).
    public struct Entry: Hashable, Sendable {
        public var key: RESPValue
        public var value: RESPValue

        public init(_ key: RESPValue, _ value: RESPValue) {
            self.key = key
            self.value = value
        }
    }

    /// Copies a token's value out of its buffer, recursively.
    public init(_ token: RESPToken) {
        let bare = RESPValue(bare: token.value)
        if let attributes = token.attributes {
            self = .attributed(attributes.map { Entry(RESPValue($0.key), RESPValue($0.value)) }, bare)
        } else {
            self = bare
        }
    }

    private init(bare value: RESPToken.Value) {
        switch value {
        case .simpleString(let text): self = .simpleString(String(buffer: text))
        case .simpleError(let text): self = .simpleError(String(buffer: text))
        case .integer(let number): self = .integer(number)
        case .bulkString(let bytes): self = .bulkString(bytes)
        case .array(let elements): self = .array(elements.map { RESPValue($0) })
        case .null: self = .null
        case .boolean(let flag): self = .boolean(flag)
        case .double(let number): self = .double(number)
        case .bigNumber(let digits): self = .bigNumber(String(buffer: digits))
        case .bulkError(let bytes): self = .bulkError(bytes)
        case .verbatimString(let format, let text): self = .verbatimString(format: format, text)
        case .map(let entries): self = .map(entries.map { Entry(RESPValue($0.key), RESPValue($0.value)) })
        case .set(let elements): self = .set(elements.map { RESPValue($0) })
        case .push(let elements): self = .push(elements.map { RESPValue($0) })
        }
    }

    /// Writes the value in RESP3 (a RESP2 peer understands the RESP2 subset of it).
    public func encode(into buffer: inout ByteBuffer) {
        switch self {
        case .simpleString(let text): Self.line(.simpleString, text, &buffer)
        case .simpleError(let text): Self.line(.simpleError, text, &buffer)
        case .integer(let number): Self.line(.integer, String(number), &buffer)
        case .bulkString(let bytes): Self.blob(.bulkString, bytes, &buffer)
        case .array(let elements): Self.aggregate(.array, elements, &buffer)
        case .null: Self.line(.null, "", &buffer)
        case .boolean(let flag): Self.line(.boolean, flag ? "t" : "f", &buffer)
        case .double(let number): Self.line(.double, Self.text(of: number), &buffer)
        case .bigNumber(let digits): Self.line(.bigNumber, digits, &buffer)
        case .bulkError(let bytes): Self.blob(.bulkError, bytes, &buffer)
        case .verbatimString(let format, let text):
            var payload = ByteBuffer(string: format + ":")
            payload.writeImmutableBuffer(text)
            Self.blob(.verbatimString, payload, &buffer)
        case .map(let entries): Self.entries(.map, entries, &buffer)
        case .set(let elements): Self.aggregate(.set, elements, &buffer)
        case .push(let elements): Self.aggregate(.push, elements, &buffer)
        case .attributed(let attributes, let value):
            Self.entries(.attribute, attributes, &buffer)
            value.encode(into: &buffer)
        }
    }

    /// The value's bytes, in a new buffer.
    public var encoded: ByteBuffer {
        var buffer = ByteBuffer()
        self.encode(into: &buffer)
        return buffer
    }

    private static func text(of number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        return "\(number)"
    }

    private static func line(_ type: RESPTypeIdentifier, _ text: String, _ buffer: inout ByteBuffer) {
        buffer.writeInteger(type.rawValue)
        buffer.writeString(text)
        buffer.writeStaticString("\r\n")
    }

    private static func blob(_ type: RESPTypeIdentifier, _ bytes: ByteBuffer, _ buffer: inout ByteBuffer) {
        Self.line(type, String(bytes.readableBytes), &buffer)
        buffer.writeImmutableBuffer(bytes)
        buffer.writeStaticString("\r\n")
    }

    private static func aggregate(_ type: RESPTypeIdentifier, _ elements: [RESPValue], _ buffer: inout ByteBuffer) {
        Self.line(type, String(elements.count), &buffer)
        for element in elements { element.encode(into: &buffer) }
    }

    private static func entries(_ type: RESPTypeIdentifier, _ entries: [Entry], _ buffer: inout ByteBuffer) {
        Self.line(type, String(entries.count), &buffer)
        for entry in entries {
            entry.key.encode(into: &buffer)
            entry.value.encode(into: &buffer)
        }
    }
}
