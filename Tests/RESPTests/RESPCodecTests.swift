import NIOCore
import NIOEmbedded
import RESP
import Testing

@Suite("RESP codec round trips")
struct RESPCodecTests {
    static let values: [RESPValue] = [
        .simpleString("OK"),
        .simpleString(""),
        .simpleError("ERR unknown command 'FOO'"),
        .integer(0),
        .integer(-42),
        .integer(.max),
        .integer(.min),
        .bulkString(ByteBuffer(string: "hello")),
        .bulkString(ByteBuffer(string: "")),
        .bulkString(ByteBuffer(bytes: [0, 13, 10, 255, 36])),
        .array([]),
        .array([.integer(1), .bulkString(ByteBuffer(string: "two")), .array([.null, .boolean(true)])]),
        .null,
        .boolean(true),
        .boolean(false),
        .double(3.5),
        .double(-0.25),
        .double(1e300),
        .double(.infinity),
        .double(-.infinity),
        .bigNumber("3492890328409238509324850943850943825024385"),
        .bigNumber("-1"),
        .bulkError(ByteBuffer(string: "SYNTAX invalid syntax")),
        .verbatimString(format: "txt", ByteBuffer(string: "Some string")),
        .verbatimString(format: "mkd", ByteBuffer(string: "")),
        .map([.init(.simpleString("first"), .integer(1)), .init(.bulkString(ByteBuffer(string: "second")), .array([]))]),
        .map([]),
        .set([.simpleString("a"), .integer(2)]),
        .push([.bulkString(ByteBuffer(string: "message")), .bulkString(ByteBuffer(string: "ch")), .bulkString(ByteBuffer(string: "hi"))]),
        .attributed([.init(.simpleString("ttl"), .integer(3600))], .integer(7)),
        .array([.attributed([.init(.simpleString("key"), .simpleString("popularity"))], .double(0.5)), .null]),
    ]

    @Test("encode then decode gives the same value", arguments: Self.values)
    func roundTrip(_ value: RESPValue) throws {
        let token = try RESPToken(validating: value.encoded)
        #expect(RESPValue(token) == value)
        #expect(token.base == value.encoded)
    }

    @Test("NaN survives a round trip")
    func nan() throws {
        let token = try RESPToken(validating: ByteBuffer(string: ",nan\r\n"))
        guard case .double(let number) = token.value else {
            Issue.record("not a double: \(token)")
            return
        }
        #expect(number.isNaN)
    }

    @Test("RESP2 nulls decode as null", arguments: ["$-1\r\n", "*-1\r\n", "_\r\n"])
    func resp2Nulls(_ wire: String) throws {
        #expect(try RESPToken(validating: ByteBuffer(string: wire)).value == .null)
    }

    @Test("every value decodes when fed one byte at a time through the channel decoder")
    func byteByByte() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RESPTokenDecoder()))
        var all = ByteBuffer()
        for value in Self.values { value.encode(into: &all) }
        while let byte = all.readSlice(length: 1) {
            try channel.writeInbound(byte)
        }
        var decoded: [RESPValue] = []
        while let token = try channel.readInbound(as: RESPToken.self) {
            decoded.append(RESPValue(token))
        }
        #expect(decoded == Self.values)
        #expect(try channel.finish().isClean)
    }

    @Test("attributes are kept with the value they annotate")
    func attributes() throws {
        let token = try RESPToken(validating: ByteBuffer(string: "|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n:5\r\n"))
        #expect(token.identifier == .integer)
        #expect(token.value == .integer(5))
        let attributes = try #require(token.attributes)
        #expect(attributes.count == 1)
    }

    @Test("conversions accept what RESP2 and RESP3 send for the same reply")
    func conversions() throws {
        let resp3 = try RESPToken(validating: RESPValue.map([.init(.bulkString(ByteBuffer(string: "f")), .bulkString(ByteBuffer(string: "v")))]).encoded)
        let resp2 = try RESPToken(validating: RESPValue.array([.bulkString(ByteBuffer(string: "f")), .bulkString(ByteBuffer(string: "v"))]).encoded)
        #expect(try [String: String](fromRESP: resp3) == ["f": "v"])
        #expect(try [String: String](fromRESP: resp2) == ["f": "v"])
        #expect(try Double(fromRESP: RESPToken(validating: ByteBuffer(string: "$3\r\n1.5\r\n"))) == 1.5)
        #expect(try Double(fromRESP: RESPToken(validating: ByteBuffer(string: ",1.5\r\n"))) == 1.5)
        #expect(try String?(fromRESP: RESPToken(validating: ByteBuffer(string: "$-1\r\n"))) == nil)
        #expect(throws: RESPConversionError.self) { try Int(fromRESP: RESPToken(validating: ByteBuffer(string: "+nope\r\n"))) }
    }
}
