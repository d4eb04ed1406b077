import NIOCore
import NIOEmbedded
import RESP
import Testing

@Suite("RESP decoder against hostile input")
struct RESPDecoderHostileInputTests {
    private func decode(_ wire: String, limits: RESPDecodingLimits = .default) throws(RESPDecodeError) -> RESPToken? {
        var buffer = ByteBuffer(string: wire)
        return try RESPToken(consuming: &buffer, limits: limits)
    }

    @Test(
        "truncated values wait for more bytes and consume nothing",
        arguments: ["", "+OK", "+OK\r", "$5\r\nhel", "$5\r\nhello\r", "*2\r\n:1\r\n", "%1\r\n+a\r\n", "|1\r\n+a\r\n+b\r\n", ">3\r\n$7\r\nmessage\r\n"]
    )
    func truncated(_ wire: String) throws {
        var buffer = ByteBuffer(string: wire)
        #expect(try RESPToken(consuming: &buffer) == nil)
        #expect(buffer.readableBytes == wire.utf8.count)
    }

    @Test("nesting deeper than the limit is refused")
    func tooDeep() {
        let wire = String(repeating: "*1\r\n", count: 65) + ":1\r\n"
        #expect(throws: RESPDecodeError.tooDeeplyNested) { try self.decode(wire) }
        let attributes = String(repeating: "|0\r\n", count: 100) + ":1\r\n"
        #expect(throws: RESPDecodeError.tooDeeplyNested) { try self.decode(attributes) }
    }

    @Test("nesting up to the limit is fine")
    func deepButAllowed() throws {
        let wire = String(repeating: "*1\r\n", count: 64) + ":1\r\n"
        #expect(try self.decode(wire) != nil)
    }

    @Test("a million nested arrays fail fast without exhausting the stack")
    func millionDeep() {
        let wire = String(repeating: "*1\r\n", count: 1_000_000)
        #expect(throws: RESPDecodeError.tooDeeplyNested) { try self.decode(wire) }
    }

    @Test("huge bulk lengths are refused before any buffering", arguments: ["$9223372036854775807\r\n", "$100000000\r\n", "=99999999999\r\n", "!2147483648\r\n"])
    func hugeBulk(_ wire: String) {
        #expect(throws: RESPDecodeError.bulkStringTooLong) { try self.decode(wire) }
    }

    @Test("huge aggregate counts are refused", arguments: ["*9223372036854775807\r\n", "%9223372036854775807\r\n", "~20000000\r\n", ">16777217\r\n"])
    func hugeAggregate(_ wire: String) {
        #expect(throws: RESPDecodeError.aggregateTooLarge) { try self.decode(wire) }
    }

    @Test("negative lengths other than RESP2's null are refused", arguments: ["$-2\r\n", "*-5\r\n", "%-1\r\n", "~-1\r\n", "!-1\r\n", "=-1\r\n"])
    func negative(_ wire: String) {
        #expect(throws: RESPDecodeError.negativeLength) { try self.decode(wire) }
    }

    @Test("lengths that are not numbers are refused", arguments: ["$abc\r\n", "*\r\n", ":12a\r\n", ":99999999999999999999\r\n", ":-\r\n", "$1.5\r\n"])
    func notNumbers(_ wire: String) {
        #expect(throws: RESPDecodeError.invalidInteger) { try self.decode(wire) }
    }

    @Test("malformed payloads are refused", arguments: ["#x\r\n", "#tt\r\n", "_x\r\n", ",abc\r\n", ",0x1p3\r\n", "(12a\r\n", "(\r\n", "$3\r\nabcde\r\n", "=3\r\nabc\r\n", "+a\rb\r\n"])
    func malformed(_ wire: String) {
        #expect(throws: RESPDecodeError.invalidData) { try self.decode(wire) }
    }

    @Test("unknown type bytes are refused", arguments: ["x\r\n", "\0", "HTTP/1.1 200 OK\r\n"])
    func leadingByte(_ wire: String) {
        #expect(throws: RESPDecodeError.invalidLeadingByte) { try self.decode(wire) }
    }

    @Test("streamed strings and aggregates are refused", arguments: ["$?\r\n", "*?\r\n", "%?\r\n"])
    func streamed(_ wire: String) {
        #expect(throws: RESPDecodeError.unsupportedStreamedType) { try self.decode(wire) }
    }

    @Test("a line without CRLF may not grow past the limit")
    func longLine() {
        let limits = RESPDecodingLimits(maximumLineLength: 16)
        #expect(throws: RESPDecodeError.lineTooLong) { try self.decode("+" + String(repeating: "a", count: 100), limits: limits) }
        #expect(throws: RESPDecodeError.lineTooLong) { try self.decode("+" + String(repeating: "a", count: 20) + "\r\n", limits: limits) }
    }

    @Test("the channel decoder refuses to buffer more than the message limit")
    func messageTooLarge() throws {
        let limits = RESPDecodingLimits(maximumBulkLength: 1000, maximumMessageSize: 64)
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RESPTokenDecoder(limits: limits)))
        try channel.writeInbound(ByteBuffer(string: "$1000\r\n"))
        #expect(throws: RESPDecodeError.messageTooLarge) {
            try channel.writeInbound(ByteBuffer(string: String(repeating: "x", count: 100)))
        }
        _ = try? channel.finish()
    }

    @Test("random bytes never crash the decoder")
    func randomBytes() {
        var generator = SplitMix64(seed: 42)
        let alphabet = Array("+-:$*_#,(!=%~|>\r\n0123456789-?tfa".utf8)
        for _ in 0..<20_000 {
            let length = Int(generator.next() % 40)
            var buffer = ByteBuffer()
            for _ in 0..<length { buffer.writeInteger(alphabet[Int(generator.next() % UInt64(alphabet.count))]) }
            while let token = try? RESPToken(consuming: &buffer) {
                _ = RESPValue(token)  // walking a validated token must not trap either
            }
        }
    }
}

/// Deterministic, so a failure can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
