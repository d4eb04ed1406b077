import HuddleQR
import Testing

@Suite struct MaskPenaltyTests {
    private func line(_ text: String) -> [Bool] { text.map { $0 == "1" } }

    @Test func n1ScoresRunsOfFiveOrMore() {
        #expect(MaskPenalty.runs([self.line("1111")]) == 0)
        #expect(MaskPenalty.runs([self.line("11111")]) == 3)
        #expect(MaskPenalty.runs([self.line("0000001111111")]) == 4 + 5)
        #expect(MaskPenalty.runs([self.line("10101"), self.line("00000")]) == 3)
    }

    @Test func n2ScoresEveryTwoByTwoSquareOfOneColour() {
        // A 3×3 block of one colour is 3·(3−1)·(3−1).
        #expect(MaskPenalty.blocks([self.line("000"), self.line("000"), self.line("000")]) == 12)
        #expect(MaskPenalty.blocks([self.line("0110"), self.line("0110")]) == 3)
        #expect(MaskPenalty.blocks([self.line("01"), self.line("10")]) == 0)
    }

    @Test func n3ScoresFinderLikePatternsWithFourLightModulesOnOneSide() {
        #expect(MaskPenalty.finderLikes([self.line("000010111010")]) == 40, "light before")
        #expect(MaskPenalty.finderLikes([self.line("110111010000")]) == 40, "light after")
        #expect(MaskPenalty.finderLikes([self.line("00001011101000011")]) == 40, "light on both sides counts once")
        #expect(MaskPenalty.finderLikes([self.line("1000101110100011")]) == 0, "three light modules are not enough")
        #expect(MaskPenalty.finderLikes([self.line("1011101111")]) == 40, "outside the symbol is light")
        #expect(MaskPenalty.finderLikes([self.line("1110111011101111")]) == 0)
        // Two patterns sharing their middle "101": each is a pattern, and each has its light side.
        #expect(MaskPenalty.finderLikes([self.line("0000101110111010000")]) == 80)
    }

    @Test func n4ScoresEachFivePercentStepAwayFromHalfDark() {
        func rows(dark: Int, of total: Int) -> [[Bool]] { [(0..<total).map { $0 < dark }] }
        #expect(MaskPenalty.balance(rows(dark: 50, of: 100)) == 0)
        #expect(MaskPenalty.balance(rows(dark: 54, of: 100)) == 0)
        #expect(MaskPenalty.balance(rows(dark: 55, of: 100)) == 10)
        #expect(MaskPenalty.balance(rows(dark: 41, of: 100)) == 10)
        #expect(MaskPenalty.balance(rows(dark: 40, of: 100)) == 20)
        #expect(MaskPenalty.balance(rows(dark: 0, of: 100)) == 100)
    }

    /// The chosen mask scores lowest of the eight, counting the format information that
    /// the standard includes in the evaluation; of equal scores the lowest mask wins.
    @Test(arguments: ["https://huddle.example/teams/join/3k9x2a?code=7QX-44B", "aaaaa", "Grüße, 世界", String(repeating: "0123456789", count: 30)])
    func theChosenMaskScoresLowest(text: String) throws {
        let chosen = try QRCode(text: text)
        let scores = try QRCode.masks.map { mask in
            let code = try QRCode(text: text, mask: mask)
            return MaskPenalty.score(size: code.size, isDark: code.isDark)
        }
        #expect(chosen.mask == scores.firstIndex(of: scores.min()!))
    }
}
