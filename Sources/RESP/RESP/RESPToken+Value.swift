public import NIOCore

extension RESPToken {
    /// A RESP value with its strings and elements still in the received bytes.
    public enum Value: Hashable, Sendable {
        case simpleString(ByteBuffer)
        case simpleError(ByteBuffer)
        case integer(Int64)
        case bulkString(ByteBuffer)
        case array(Array)
        /// RESP3 `_`, and RESP2's null bulk string `$-1` and null array `*-1`.
        case null
        case boolean(Bool)
        case double(Double)
        /// The decimal digits, with an optional sign, as sent.
        case bigNumber(ByteBuffer)
        case bulkError(ByteBuffer)
        /// `format` is the three-letter type (`txt`, `mkd`); the text follows the colon.
        case verbatimString(format: String, ByteBuffer)
        case map(Map)
        case set(Array)
        /// Out-of-band data (pub/sub messages, invalidations), never the reply to a command.
        case push(Array)
    }

    /// The elements of an array, set or push, walked lazily.
    public struct Array: Sequence, Hashable, Sendable {
        public let count: Int
        let elements: ByteBuffer
        let start: Int

        init(count: Int, elements: ByteBuffer, start: Int) {
            self.count = count
            self.elements = elements
            self.start = start
        }

        public func makeIterator() -> Iterator {
            Iterator(buffer: self.elements, index: self.start, remaining: self.count)
        }

        public struct Iterator: IteratorProtocol {
            var buffer: ByteBuffer
            var index: Int
            var remaining: Int

            public mutating func next() -> RESPToken? {
                guard self.remaining > 0 else { return nil }
                self.remaining -= 1
                let end = try! RESPParser.trusted.valueEnd(in: self.buffer, at: self.index)!
                defer { self.index = end }
                return RESPToken(validated: self.buffer.getSlice(at: self.index, length: end - self.index)!)
            }
        }
    }

    /// The entries of a map or attribute, in the order sent.
    public struct Map: Sequence, Hashable, Sendable {
        /// The number of key-value pairs.
        public let count: Int
        let elements: ByteBuffer
        let start: Int

        init(count: Int, elements: ByteBuffer, start: Int) {
            self.count = count
            self.elements = elements
            self.start = start
        }

        public func makeIterator() -> Iterator {
            Iterator(underlying: Array(count: self.count * 2, elements: self.elements, start: self.start).makeIterator())
        }

        public struct Iterator: IteratorProtocol {
            var underlying: Array.Iterator

            public mutating func next() -> (key: RESPToken, value: RESPToken)? {
                guard let key = self.underlying.next(), let value = self.underlying.next() else { return nil }
                return (key, value)
            }
        }
    }
}
