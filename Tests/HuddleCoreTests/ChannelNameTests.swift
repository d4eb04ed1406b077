import HuddleCore
import Testing

@Suite struct ChannelNameTests {
    @Test(arguments: ["counter:visits", "board:42", "a:b", "tournament:7f3a-B_c.d"])
    func acceptsWellFormedNames(_ text: String) throws {
        let name = try #require(ChannelName(text))
        #expect(name.description == text)
    }

    @Test(arguments: [
        "", "counter", ":x", "counter:", "Counter:x", "coun ter:x", "counter:a b", "counter:a:b", "counter:<b>",
        "counter:é", String(repeating: "a", count: 33) + ":x", "counter:" + String(repeating: "x", count: 129),
    ])
    func refusesEverythingElse(_ text: String) {
        #expect(ChannelName(text) == nil)
    }

    @Test func splitsKindAndID() throws {
        let name = try #require(ChannelName("board:42"))
        #expect(name.kind == "board")
        #expect(name.id == "42")
        #expect(ChannelName(kind: "board", id: "42") == name)
    }

    @Test func guestNamesAreAFirstNameAndTwoCharacters() {
        for _ in 0..<50 {
            let parts = GuestName.random().split(separator: " ")
            #expect(parts.count == 2)
            #expect(parts[1].count == 2)
        }
    }
}
