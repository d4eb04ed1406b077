public import NIOCore

/// A type a reply can be turned into.
///
/// Conversions accept what both protocol versions send for the same reply: an `HGETALL` is a
/// map in RESP3 and a flat array of pairs in RESP2, a score is a double in RESP3 and a bulk
/// string in RESP2.
public protocol RESPTokenDecodable: Sendable {
    init(fromRESP token: RESPToken) throws(RESPConversionError)
}

extension RESPToken: RESPTokenDecodable {
    public init(fromRESP token: RESPToken) throws(RESPConversionError) {
        self = token
    }
}

extension RESPValue: RESPTokenDecodable {
    public init(fromRESP token: RESPToken) throws(RESPConversionError) {
        self.init(token)
    }
}

extension ByteBuffer: RESPTokenDecodable {
    public init(fromRESP token: RESPToken) throws(RESPConversionError) {
        switch token.value {
        case .simpleString(let bytes), .bulkString(let bytes), .verbatimString(_, let bytes), .bigNumber(let bytes):
            self = bytes
        default:
            throw RESPConversionError(expected: "string", token: token)
        }
    }
}

extension String: RESPTokenDecodable {
    public init(fromRESP token: RESPToken) throws(RESPConversionError) {
        switch token.value {
        case .integer(let number): self = String(number)
        case .double(let number): self = String(number)
        default: self = String(buffer: try ByteBuffer(fromRESP: token))
        }
    }
}

extension Int64: RESPTokenDecodable {
    public init(fromRESP token: RESPToken) throws(RESPConversionError) {
        switch token.value {
        case .integer(let number):
            self = number
        case .simpleString(let text), .bulkString(let text):
            guard let number = Int64(String(buffer: text)) else {
                throw RESPConversionError(expected: "integer", token: token)
            }
            self = number
        default:
            throw RESPConversionError(expected: "integer", token: token)
        }
    }
}

extension Int: RESPTokenDecodable {
    public init(fromRESP token: RESPToken) throws(RESPConversionError) {
        guard let number = Int(exactly: try Int64(fromRESP: token)) else {
            throw RESPConversionError(expected: "integer", token: token)
        }
        self = number
    }
}

extension Double: RESPTokenDecodable {
    public init(fromRESP token: RESPToken) throws(RESPConversionError) {
        switch token.value {
        case .double(let number):
            self = number
        case .integer(let number):
            self = Double(number)
        case .simpleString(let text), .bulkString(let text):
            // RESP2 sends scores as text, including "inf" and "-inf".
            guard let number = Double(String(buffer: text)) else {
                throw RESPConversionError(expected: "double", token: token)
            }
            self = number
        default:
            throw RESPConversionError(expected: "double", token: token)
        }
    }
}

extension Bool: RESPTokenDecodable {
    public init(fromRESP token: RESPToken) throws(RESPConversionError) {
        switch token.value {
        case .boolean(let flag): self = flag
        case .integer(let number): self = number != 0
        // A status reply is a success and an absent one a refusal: `SET … NX` answers `OK`
        // when it set the key and null when it did not.
        case .simpleString: self = true
        case .null: self = false
        default: throw RESPConversionError(expected: "boolean", token: token)
        }
    }
}

extension Optional: RESPTokenDecodable where Wrapped: RESPTokenDecodable {
    public init(fromRESP token: RESPToken) throws(RESPConversionError) {
        if case .null = token.value {
            self = .none
        } else {
            self = .some(try Wrapped(fromRESP: token))
        }
    }
}

extension Array: RESPTokenDecodable where Element: RESPTokenDecodable {
    public init(fromRESP token: RESPToken) throws(RESPConversionError) {
        switch token.value {
        case .array(let elements), .set(let elements), .push(let elements):
            var result: [Element] = []
            result.reserveCapacity(elements.count)
            for element in elements { result.append(try Element(fromRESP: element)) }
            self = result
        default:
            throw RESPConversionError(expected: "array", token: token)
        }
    }
}

extension Dictionary: RESPTokenDecodable where Key: RESPTokenDecodable, Value: RESPTokenDecodable {
    public init(fromRESP token: RESPToken) throws(RESPConversionError) {
        var result: [Key: Value] = [:]
        switch token.value {
        case .map(let entries):
            for entry in entries {
                result[try Key(fromRESP: entry.key)] = try Value(fromRESP: entry.value)
            }
        case .array(let elements):
            // RESP2: key, value, key, value…
            guard elements.count % 2 == 0 else { throw RESPConversionError(expected: "map", token: token) }
            var iterator = elements.makeIterator()
            while let key = iterator.next(), let value = iterator.next() {
                result[try Key(fromRESP: key)] = try Value(fromRESP: value)
            }
        default:
            throw RESPConversionError(expected: "map", token: token)
        }
        self = result
    }
}
