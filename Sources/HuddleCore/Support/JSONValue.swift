/// Any JSON value: what command and signal bodies are before an app gives them a type.
///
/// Whole numbers are kept exactly, so that a client's 64-bit ids and timestamps pass through
/// unchanged (a Double holds integers exactly only up to 2^53): parsing makes a number whose
/// value is whole and fits in `Int64` an ``integer(_:)`` (however it is written: `7`, `7.0`,
/// `7e0`), one above `Int64.max` that fits in `UInt64` an ``unsignedInteger(_:)``, and any
/// other number a ``double(_:)``. Negative zero stays a double, so that its sign survives.
/// Code that reads a number reads ``doubleValue`` or ``integerValue``, which accept every form.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    /// Only for values above `Int64.max` (parsing never makes one below it).
    case unsignedInteger(UInt64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// Any number, as the nearest Double (integers beyond 2^53 are rounded).
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .unsignedInteger(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    /// A number that is exactly a whole number in `Int64`'s range (`3`, or a double `3.0`).
    public var integerValue: Int64? {
        switch self {
        case .integer(let value): value
        case .unsignedInteger(let value): Int64(exactly: value)
        case .double(let value): Int64(exactly: value)
        default: nil
        }
    }

    /// Compact JSON text, object keys sorted so that equal values encode equally.
    public var jsonText: String {
        var text = ""
        self.write(into: &text)
        return text
    }

    private func write(into text: inout String) {
        switch self {
        case .null: text += "null"
        case .bool(let value): text += value ? "true" : "false"
        case .integer(let value): text += String(value)
        case .unsignedInteger(let value): text += String(value)
        case .double(let value): JSONText.appendNumber(value, to: &text)
        case .string(let value): JSONText.appendString(value, to: &text)
        case .array(let values):
            text += "["
            for (index, value) in values.enumerated() {
                if index > 0 { text += "," }
                value.write(into: &text)
            }
            text += "]"
        case .object(let members):
            text += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                JSONText.appendString(key, to: &text)
                text += ":"
                members[key]!.write(into: &text)
            }
            text += "}"
        }
    }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            // Foundation reads any whole number as an integer, `-0.0` as 0: keep that sign.
            if value == 0, let double = try? container.decode(Double.self), double.sign == .minus {
                self = .double(double)
            } else {
                self = .integer(value)
            }
        } else if let value = try? container.decode(UInt64.self) {
            self = .unsignedInteger(value)
        } else if let value = try? container.decode(Double.self) {
            self = Self.number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// A double whose value is whole (a literal with more digits than a Double keeps, such as
    /// `9007199254740992.5`) is that integer, so that rendering it and reading it back changes
    /// nothing. Negative zero stays a double.
    private static func number(_ value: Double) -> JSONValue {
        if value == 0, value.sign == .minus { return .double(value) }
        if let integer = Int64(exactly: value) { return .integer(integer) }
        if let integer = UInt64(exactly: value) { return .unsignedInteger(integer) }
        return .double(value)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .unsignedInteger(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

/// Writing JSON text by hand, for frames built on the hot path.
public enum JSONText {
    /// Appends `value` as a quoted JSON string, escaping what RFC 8259 requires.
    public static func appendString(_ value: String, to text: inout String) {
        text += "\""
        // Most strings (ids, names, counts) need no escape: one append, not a scalar at a time.
        if !value.utf8.contains(where: Self.mayNeedEscape) {
            text += value
            text += "\""
            return
        }
        var start = value.unicodeScalars.startIndex
        var index = start
        let scalars = value.unicodeScalars
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let escape: String? =
                switch scalar {
                case "\"": "\\\""
                case "\\": "\\\\"
                case "\n": "\\n"
                case "\r": "\\r"
                case "\t": "\\t"
                case _ where scalar.value < 0x20: Self.unicodeEscape(scalar.value)
                // Keeps the text safe to embed in a <script> and for JavaScript's line terminators.
                case "\u{2028}", "\u{2029}": Self.unicodeEscape(scalar.value)
                default: nil
                }
            if let escape {
                text.unicodeScalars.append(contentsOf: scalars[start..<index])
                text += escape
                start = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        text.unicodeScalars.append(contentsOf: scalars[start..<scalars.endIndex])
        text += "\""
    }

    public static func quoted(_ value: String) -> String {
        var text = ""
        Self.appendString(value, to: &text)
        return text
    }

    /// Appends a number; integral values print without a fraction, but negative zero keeps its
    /// sign (`-0.0`). Non-finite values are not JSON and print as `null`.
    public static func appendNumber(_ value: Double, to text: inout String) {
        guard value.isFinite else {
            text += "null"
            return
        }
        if value == 0, value.sign == .minus {
            text += "-0.0"
        } else if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
            text += String(Int64(value))
        } else {
            text += "\(value)"
        }
    }

    /// A byte that is, or starts, something ``appendString(_:to:)`` escapes: a control
    /// character, a quote, a backslash, or the first byte of U+2028 and U+2029 (0xE2).
    private static func mayNeedEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0xE2
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
