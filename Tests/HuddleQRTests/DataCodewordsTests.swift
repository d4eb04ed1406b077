import HuddleQR
import Testing

@Suite struct DataCodewordsTests {
    /// Mode 0100, count 5, five 'a', terminator 0000: exactly seven bytes, so no padding
    /// bits, and the pad codewords follow at once (segno 1.6 inserts a 0x00 here).
    @Test func byteModeStreamWithTerminatorAndPadCodewords() {
        let layout = BlockLayout(version: 1, errorCorrection: .medium)
        let data = DataCodewords.data(Array("aaaaa".utf8), version: 1, layout: layout)
        #expect(data == [0x40, 0x56, 0x16, 0x16, 0x16, 0x16, 0x10] + [0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC])
    }

    @Test func aFullSymbolEndsWithTheTerminatorAndNoPadCodewords() {
        let layout = BlockLayout(version: 1, errorCorrection: .medium)
        let data = DataCodewords.data(Array(repeating: 0xFF, count: 14), version: 1, layout: layout)
        #expect(data.count == 16 && data.first == 0x40 && data[1] == 0xEF && data.last == 0xF0)
    }

    @Test func versionsFromTenCountInSixteenBits() {
        let layout = BlockLayout(version: 10, errorCorrection: .medium)
        let data = DataCodewords.data([0xAB], version: 10, layout: layout)
        #expect(Array(data.prefix(4)) == [0x40, 0x00, 0x1A, 0xB0])
    }

    /// 5-Q: two blocks of 15 data codewords, then two of 16; data interleaved column by
    /// column (the last column only in the long blocks), then the error correction likewise.
    @Test func blocksAreInterleaved() {
        let layout = BlockLayout(version: 5, errorCorrection: .quartile)
        #expect(layout.blockCount == 4 && layout.shortBlockCount == 2 && layout.shortBlockDataCodewords == 15)
        let data = (0..<62).map(UInt8.init)
        let message = DataCodewords.interleaved(data, layout: layout)
        #expect(message.count == 134)
        #expect(Array(message.prefix(8)) == [0, 15, 30, 46, 1, 16, 31, 47])
        #expect(Array(message[56..<62]) == [14, 29, 44, 60, 45, 61])
        let generator = ReedSolomon.generator(degree: 18)
        let firstEC = ReedSolomon.remainder(of: Array(data[0..<15]), generator: generator)
        let lastEC = ReedSolomon.remainder(of: Array(data[46..<62]), generator: generator)
        #expect(message[62] == firstEC[0] && message[65] == lastEC[0] && message[133] == lastEC[17])
    }
}
