import Foundation
import HuddleCore
import Testing

@Suite struct JSONValueTests {
    func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// What a client sends is what the others receive: parsed, then rendered by hand (frames)
    /// and by `JSONEncoder` (HTTP bodies), inside an object as signals and commands carry it.
    @Test(arguments: [
        ("9007199254740993", "9007199254740993"),  // 2^53 + 1: the first integer a Double cannot hold
        ("-9223372036854775808", "-9223372036854775808"),  // -2^63
        ("9223372036854775807", "9223372036854775807"),  // 2^63 - 1
        ("18446744073709551615", "18446744073709551615"),  // UInt64.max
        ("0", "0"),
        ("-0.0", "-0.0"),
        ("1.5", "1.5"),
        ("1e300", "1e+300"),
    ])
    func numbersRoundTripExactly(_ text: String, _ rendered: String) throws {
        let value = try self.parse(#"{"t":\#(text)}"#)
        #expect(value.jsonText == #"{"t":\#(rendered)}"#)
        let encoded = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        #expect(try self.parse(encoded) == value, "JSONEncoder keeps \(text) too: \(encoded)")
    }

    @Test func wholeNumbersParseAsIntegersAndTheRestAsDoubles() throws {
        #expect(try self.parse("9007199254740993") == .integer(9_007_199_254_740_993))
        #expect(try self.parse("-9223372036854775808") == .integer(.min))
        #expect(try self.parse("9223372036854775807") == .integer(.max))
        #expect(try self.parse("9223372036854775808") == .unsignedInteger(9_223_372_036_854_775_808))
        #expect(try self.parse("0") == .integer(0))
        #expect(try self.parse("2.0") == .integer(2), "a whole number is an integer however it is written")
        #expect(try self.parse("1.5") == .double(1.5))
        #expect(try self.parse("1e300") == .double(1e300))
        #expect(try self.parse("18446744073709551616") == .double(18_446_744_073_709_551_616), "beyond 64 bits")
        // More digits than a Double keeps: the value is the Double's, a whole number, so an integer.
        #expect(try self.parse("9007199254740992.5") == .integer(9_007_199_254_740_992))
        let negativeZero = try self.parse("-0.0")
        #expect(negativeZero.doubleValue?.sign == .minus, "negative zero keeps its sign")
        #expect(try self.parse("-0").doubleValue?.sign == .minus)
    }

    @Test func numberAccessorsAcceptEveryForm() {
        #expect(JSONValue.integer(3).doubleValue == 3)
        #expect(JSONValue.double(3).integerValue == 3)
        #expect(JSONValue.double(3.5).integerValue == nil)
        #expect(JSONValue.double(1e300).integerValue == nil)
        #expect(JSONValue.integer(.min).integerValue == .min)
        #expect(JSONValue.unsignedInteger(.max).integerValue == nil)
        #expect(JSONValue.unsignedInteger(.max).doubleValue == Double(UInt64.max))
        #expect(JSONValue.string("3").doubleValue == nil)
        #expect(JSONValue.string("3").integerValue == nil)
    }

    /// Strings with nothing to escape take the fast path; its bytes (0xE2 starts U+2028, but
    /// also "€") must not decide wrongly either way.
    @Test func quotesStringsWithAndWithoutEscapes() {
        #expect(JSONText.quoted("counter-1_a.b") == #""counter-1_a.b""#)
        #expect(JSONText.quoted("€ Zoë 😀 </script>") == "\"€ Zoë 😀 </script>\"")
        #expect(JSONText.quoted("a\u{2028}b\u{2029}") == #""a\u2028b\u2029""#)
        #expect(JSONText.quoted("€\"\\\n\u{01}") == #""€\"\\\n\u0001""#)
        #expect(JSONText.quoted("") == #""""#)
    }
}
