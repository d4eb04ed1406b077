public import NIOCore

/// One complete, validated RESP value: a slice of the bytes the server sent, not a copy.
///
/// Decoding only checks framing and limits; ``value`` walks the slice when asked, so values
/// nobody looks at are never materialised. Attributes (RESP3 `|`) travel with the value they
/// annotate: ``value`` is the annotated value and ``attributes`` the annotation.
public struct RESPToken: Hashable, Sendable, CustomStringConvertible {
    /// The bytes of the value, including its type byte and trailing CRLF.
    public let base: ByteBuffer

    /// Wraps bytes already known to hold exactly one valid value.
    package init(validated: ByteBuffer) {
        self.base = validated
    }

    /// Reads one value from the front of `buffer`, or returns nil (consuming nothing) if the
    /// buffer does not yet hold a complete value.
    public init?(consuming buffer: inout ByteBuffer, limits: RESPDecodingLimits = .default) throws(RESPDecodeError) {
        let parser = RESPParser(limits: limits)
        guard let end = try parser.valueEnd(in: buffer, at: buffer.readerIndex) else { return nil }
        self.base = buffer.readSlice(length: end - buffer.readerIndex)!
    }

    /// Parses exactly one value from `bytes` (for tests and tools); trailing bytes are an error.
    public init(validating bytes: ByteBuffer, limits: RESPDecodingLimits = .default) throws(RESPDecodeError) {
        var buffer = bytes
        guard let token = try RESPToken(consuming: &buffer, limits: limits) else { throw .invalidData }
        guard buffer.readableBytes == 0 else { throw .invalidData }
        self = token
    }

    /// The start of the value proper, after any attributes.
    private var valueStart: Int {
        var index = self.base.readerIndex
        while self.base.getInteger(at: index, as: UInt8.self) == RESPTypeIdentifier.attribute.rawValue {
            let header = self.base.validatedHeader(at: index)
            var element = header.next
            for _ in 0..<(header.count * 2) {
                element = try! RESPParser.trusted.valueEnd(in: self.base, at: element)!
            }
            index = element
        }
        return index
    }

    /// The type of the value (attributes are skipped).
    public var identifier: RESPTypeIdentifier {
        RESPTypeIdentifier(rawValue: self.base.getInteger(at: self.valueStart, as: UInt8.self)!)!
    }

    /// The attributes that came with the value, if any (only the outermost, if chained).
    public var attributes: Map? {
        guard self.base.getInteger(at: self.base.readerIndex, as: UInt8.self) == RESPTypeIdentifier.attribute.rawValue
        else { return nil }
        let header = self.base.validatedHeader(at: self.base.readerIndex)
        return Map(count: header.count, elements: self.base, start: header.next)
    }

    /// The decoded value. Strings stay slices of the received bytes.
    public var value: Value {
        let start = self.valueStart
        let header = self.base.validatedHeader(at: start)
        let line = self.base.getSlice(at: header.lineStart, length: header.lineEnd - header.lineStart)!
        switch header.identifier {
        case .simpleString: return .simpleString(line)
        case .simpleError: return .simpleError(line)
        case .bigNumber: return .bigNumber(line)
        case .null: return .null
        case .boolean: return .boolean(line.getInteger(at: line.readerIndex, as: UInt8.self) == UInt8(ascii: "t"))
        case .integer:
            return .integer(try! RESPParser.integer(in: self.base, from: header.lineStart, to: header.lineEnd))
        case .double:
            return .double(RESPParser.double(in: self.base, from: header.lineStart, to: header.lineEnd)!)
        case .bulkString, .bulkError, .verbatimString:
            if header.count < 0 { return .null }
            let payload = self.base.getSlice(at: header.next, length: header.count)!
            switch header.identifier {
            case .bulkString: return .bulkString(payload)
            case .bulkError: return .bulkError(payload)
            default:
                return .verbatimString(
                    format: payload.getString(at: payload.readerIndex, length: 3) ?? "",
                    payload.getSlice(at: payload.readerIndex + 4, length: payload.readableBytes - 4)!
                )
            }
        case .array, .set, .push, .map, .attribute:
            if header.count < 0 { return .null }
            switch header.identifier {
            case .array: return .array(Array(count: header.count, elements: self.base, start: header.next))
            case .set: return .set(Array(count: header.count, elements: self.base, start: header.next))
            case .push: return .push(Array(count: header.count, elements: self.base, start: header.next))
            default: return .map(Map(count: header.count, elements: self.base, start: header.next))
            }
        }
    }

    /// The server's error, if this token is a simple or bulk error.
    public var serverError: RESPError? {
        switch self.value {
        case .simpleError(let text), .bulkError(let text): RESPError(message: String(buffer: text))
        default: nil
        }
    }

    public var description: String {
        String(decoding: self.base.readableBytesView, as: UTF8.self)
            .replacingCRLF()
    }
}

extension String {
    fileprivate func replacingCRLF() -> String {
        var result = ""
        for character in self {
            switch character {
            case "\r\n": result += "\\r\\n"
            case "\r": result += "\\r"
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }
}

extension ByteBuffer {
    /// The framing of a value already validated by ``RESPParser``.
    struct ValidatedHeader {
        var identifier: RESPTypeIdentifier
        var lineStart: Int
        var lineEnd: Int
        /// Where the payload or first element starts.
        var next: Int
        /// The length (blobs) or entry count (aggregates; pairs for maps); -1 for RESP2 nulls;
        /// 0 for line types.
        var count: Int
    }

    func validatedHeader(at index: Int) -> ValidatedHeader {
        let identifier = RESPTypeIdentifier(rawValue: self.getInteger(at: index, as: UInt8.self)!)!
        let view = self.readableBytesView
        let base = view.startIndex - self.readerIndex
        let cr = view[(base + index + 1)...].firstIndex(of: UInt8(ascii: "\r"))! - base
        var count = 0
        switch identifier {
        case .bulkString, .bulkError, .verbatimString, .array, .set, .push, .map, .attribute:
            count = Int(try! RESPParser.integer(in: self, from: index + 1, to: cr))
        default:
            break
        }
        return ValidatedHeader(identifier: identifier, lineStart: index + 1, lineEnd: cr, next: cr + 2, count: count)
    }
}
