import HuddleQR
import Testing

@Suite struct FormatAndVersionInformationTests {
    /// Annex C, Table C.1: the masked format information of every level and mask.
    @Test(arguments: [
        (QRCode.ErrorCorrection.low, [0x77C4, 0x72F3, 0x7DAA, 0x789D, 0x662F, 0x6318, 0x6C41, 0x6976]),
        (.medium, [0x5412, 0x5125, 0x5E7C, 0x5B4B, 0x45F9, 0x40CE, 0x4F97, 0x4AA0]),
        (.quartile, [0x355F, 0x3068, 0x3F31, 0x3A06, 0x24B4, 0x2183, 0x2EDA, 0x2BED]),
        (.high, [0x1689, 0x13BE, 0x1CE7, 0x19D0, 0x0762, 0x0255, 0x0D0C, 0x083B]),
    ])
    func formatBitsMatchTableC1(level: QRCode.ErrorCorrection, expected: [Int]) {
        #expect(QRCode.masks.map { FormatInformation.bits(errorCorrection: level, mask: $0) } == expected)
    }

    @Test func anyTwoFormatWordsDifferInAtLeastSevenBits() {
        let words = QRCode.ErrorCorrection.allCases.flatMap { level in
            QRCode.masks.map { FormatInformation.bits(errorCorrection: level, mask: $0) }
        }
        for (i, a) in words.enumerated() {
            for b in words[(i + 1)...] { #expect((a ^ b).nonzeroBitCount >= 7) }
        }
    }

    /// Annex D, Table D.1.
    @Test func versionBitsMatchTableD1() {
        #expect(VersionInformation.bits(version: 7) == 0x07C94)
        #expect(VersionInformation.bits(version: 8) == 0x085BC)
        #expect(VersionInformation.bits(version: 40) == 0x28C69)
    }
}
