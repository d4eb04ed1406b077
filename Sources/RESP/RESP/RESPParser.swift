import NIOCore

/// Finds where one RESP value ends, validating it on the way, without copying anything.
///
/// Works on absolute indices of a `ByteBuffer` so that a partial value costs nothing but the
/// walk: the decoder calls it again when more bytes arrive. Every length and count is checked
/// against ``RESPDecodingLimits`` before it is trusted, and recursion is bounded by depth.
struct RESPParser {
    let limits: RESPDecodingLimits

    /// Used to walk tokens that were already validated (any limit was checked when decoding).
    static let trusted = RESPParser(
        limits: RESPDecodingLimits(
            maximumDepth: .max,
            maximumBulkLength: .max,
            maximumAggregateCount: .max,
            maximumLineLength: .max,
            maximumMessageSize: .max
        )
    )

    /// The index just past the value that starts at `start`, or nil if more bytes are needed.
    func valueEnd(in buffer: ByteBuffer, at start: Int, depth: Int = 0) throws(RESPDecodeError) -> Int? {
        guard start < buffer.writerIndex, let byte = buffer.getInteger(at: start, as: UInt8.self) else {
            return nil
        }
        guard let identifier = RESPTypeIdentifier(rawValue: byte) else {
            throw .invalidLeadingByte
        }
        guard let lineEnd = try self.lineEnd(in: buffer, from: start + 1) else { return nil }
        let lineStart = start + 1
        let next = lineEnd + 2

        switch identifier {
        case .simpleString, .simpleError:
            return next

        case .integer:
            _ = try Self.integer(in: buffer, from: lineStart, to: lineEnd)
            return next

        case .double:
            try Self.validateDouble(in: buffer, from: lineStart, to: lineEnd)
            return next

        case .bigNumber:
            try Self.validateBigNumber(in: buffer, from: lineStart, to: lineEnd)
            return next

        case .null:
            guard lineEnd == lineStart else { throw .invalidData }
            return next

        case .boolean:
            guard lineEnd == lineStart + 1,
                let flag = buffer.getInteger(at: lineStart, as: UInt8.self),
                flag == UInt8(ascii: "t") || flag == UInt8(ascii: "f")
            else { throw .invalidData }
            return next

        case .bulkString, .bulkError, .verbatimString:
            try Self.rejectStreamed(in: buffer, from: lineStart, to: lineEnd)
            let length = try Self.integer(in: buffer, from: lineStart, to: lineEnd)
            if length == -1, identifier == .bulkString { return next }  // RESP2 null bulk string
            guard length >= 0 else { throw .negativeLength }
            guard length <= Int64(self.limits.maximumBulkLength) else { throw .bulkStringTooLong }
            let payloadEnd = next + Int(length)
            guard payloadEnd + 2 <= buffer.writerIndex else { return nil }
            guard buffer.getInteger(at: payloadEnd, as: UInt16.self) == Self.crlf else { throw .invalidData }
            if identifier == .verbatimString {
                // "txt:" or "mkd:": three bytes of format and a colon before the text.
                guard length >= 4, buffer.getInteger(at: next + 3, as: UInt8.self) == UInt8(ascii: ":") else {
                    throw .invalidData
                }
            }
            return payloadEnd + 2

        case .array, .set, .push, .map, .attribute:
            guard depth < self.limits.maximumDepth else { throw .tooDeeplyNested }
            try Self.rejectStreamed(in: buffer, from: lineStart, to: lineEnd)
            let count = try Self.integer(in: buffer, from: lineStart, to: lineEnd)
            if count == -1, identifier == .array { return next }  // RESP2 null array
            guard count >= 0 else { throw .negativeLength }
            let perEntry: Int64 = identifier == .map || identifier == .attribute ? 2 : 1
            // Compare before multiplying so that a huge count cannot overflow.
            guard count <= Int64(self.limits.maximumAggregateCount) / perEntry else { throw .aggregateTooLarge }
            var index = next
            for _ in 0..<(Int(count) * Int(perEntry)) {
                guard let end = try self.valueEnd(in: buffer, at: index, depth: depth + 1) else { return nil }
                index = end
            }
            if identifier == .attribute {
                // An attribute annotates the value that follows it; both are one token. Chains of
                // attributes count as nesting so that they cannot recurse without bound.
                return try self.valueEnd(in: buffer, at: index, depth: depth + 1)
            }
            return index
        }
    }

    static let crlf: UInt16 = 0x0D0A

    /// The index of the CR that ends the line starting at `start`, or nil if it is not complete.
    private func lineEnd(in buffer: ByteBuffer, from start: Int) throws(RESPDecodeError) -> Int? {
        let available = buffer.writerIndex - start
        guard available > 0 else { return nil }
        let scan = min(available, self.limits.maximumLineLength == .max ? available : self.limits.maximumLineLength + 2)
        let view = buffer.readableBytesView
        let base = view.startIndex - buffer.readerIndex
        let from = base + start
        guard let cr = view[from..<(from + scan)].firstIndex(of: UInt8(ascii: "\r")) else {
            if available > self.limits.maximumLineLength { throw .lineTooLong }
            return nil
        }
        let absolute = cr - base
        guard absolute + 1 < buffer.writerIndex else { return nil }
        guard buffer.getInteger(at: absolute + 1, as: UInt8.self) == UInt8(ascii: "\n") else {
            throw .invalidData
        }
        guard absolute - start <= self.limits.maximumLineLength else { throw .lineTooLong }
        return absolute
    }

    private static func rejectStreamed(in buffer: ByteBuffer, from start: Int, to end: Int) throws(RESPDecodeError) {
        if end - start == 1, buffer.getInteger(at: start, as: UInt8.self) == UInt8(ascii: "?") {
            throw .unsupportedStreamedType
        }
    }

    /// A decimal integer with an optional sign, without going through `String`.
    static func integer(in buffer: ByteBuffer, from start: Int, to end: Int) throws(RESPDecodeError) -> Int64 {
        guard end > start, end - start <= 20 else { throw .invalidInteger }
        var index = start
        var negative = false
        let first = buffer.getInteger(at: index, as: UInt8.self)!
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            index += 1
            guard index < end else { throw .invalidInteger }
        }
        var value: Int64 = 0
        while index < end {
            let byte = buffer.getInteger(at: index, as: UInt8.self)!
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .invalidInteger }
            let digit = Int64(byte - UInt8(ascii: "0"))
            // Accumulate negatively so that Int64.min parses too.
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.subtractingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { throw .invalidInteger }
            value = sum
            index += 1
        }
        if negative { return value }
        guard value != .min else { throw .invalidInteger }
        return -value
    }

    static func double(in buffer: ByteBuffer, from start: Int, to end: Int) -> Double? {
        guard end > start, let text = buffer.getString(at: start, length: end - start) else { return nil }
        // RESP3 spells them inf, -inf and nan; Swift's parser also takes hex and other forms,
        // which we refuse so that only what the spec allows gets through.
        let allowed = text.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        }
        guard allowed || text == "inf" || text == "-inf" || text == "nan" || text == "-nan" else { return nil }
        return Double(text)
    }

    private static func validateDouble(in buffer: ByteBuffer, from start: Int, to end: Int) throws(RESPDecodeError) {
        guard Self.double(in: buffer, from: start, to: end) != nil else { throw .invalidData }
    }

    private static func validateBigNumber(in buffer: ByteBuffer, from start: Int, to end: Int) throws(RESPDecodeError) {
        var index = start
        if let sign = buffer.getInteger(at: index, as: UInt8.self), sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            index += 1
        }
        guard index < end else { throw .invalidData }
        while index < end {
            let byte = buffer.getInteger(at: index, as: UInt8.self)!
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .invalidData }
            index += 1
        }
    }
}
