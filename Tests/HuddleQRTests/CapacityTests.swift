import HuddleQR
import Testing

@Suite struct CapacityTests {
    /// Table 7, byte mode.
    @Test func byteCapacitiesMatchTable7() {
        let expected: [Int: [Int]] = [
            1: [17, 14, 11, 7], 2: [32, 26, 20, 14], 5: [106, 84, 60, 44], 7: [154, 122, 86, 64],
            9: [230, 180, 130, 98], 10: [271, 213, 151, 119], 27: [1465, 1125, 805, 625],
            40: [2953, 2331, 1663, 1273],
        ]
        for (version, capacities) in expected {
            #expect(QRCode.ErrorCorrection.allCases.map { QRCode.capacity(version: version, errorCorrection: $0) } == capacities,
                    "version \(version)")
        }
    }

    /// The largest payload of each version fits it; one byte more needs the next version.
    /// (A given mask skips the penalty scoring, which this does not test.)
    @Test(arguments: QRCode.ErrorCorrection.allCases)
    func theLargestPayloadFitsAndOneMoreMovesUp(level: QRCode.ErrorCorrection) throws {
        for version in QRCode.versions {
            let capacity = QRCode.capacity(version: version, errorCorrection: level)
            let full = try QRCode(bytes: Array(repeating: 0x41, count: capacity), errorCorrection: level, mask: 0)
            #expect(full.version == version && full.size == 17 + 4 * version)
            if version < 40 {
                let over = try QRCode(bytes: Array(repeating: 0x41, count: capacity + 1), errorCorrection: level, mask: 0)
                #expect(over.version == version + 1)
            }
        }
    }

    @Test func tooMuchDataThrows() {
        #expect(throws: QRCode.Error.dataTooLong(byteCount: 2332, capacity: 2331)) {
            try QRCode(bytes: Array(repeating: 0, count: 2332))
        }
        #expect(throws: QRCode.Error.dataTooLong(byteCount: 1274, capacity: 1273)) {
            try QRCode(bytes: Array(repeating: 0, count: 1274), errorCorrection: .high)
        }
    }

    @Test func aMinimumVersionIsHonouredAndOutOfRangeArgumentsThrow() throws {
        #expect(try QRCode(text: "hi", minimumVersion: 12).version == 12)
        #expect(try QRCode(text: "hi", minimumVersion: 40).version == 40)
        #expect(try QRCode(bytes: Array(repeating: 1, count: 100), minimumVersion: 2).version == 6)
        #expect(throws: QRCode.Error.versionOutOfRange(0)) { try QRCode(text: "hi", minimumVersion: 0) }
        #expect(throws: QRCode.Error.versionOutOfRange(41)) { try QRCode(text: "hi", minimumVersion: 41) }
        #expect(throws: QRCode.Error.maskOutOfRange(8)) { try QRCode(text: "hi", mask: 8) }
        #expect(throws: QRCode.Error.maskOutOfRange(-1)) { try QRCode(text: "hi", mask: -1) }
    }

    @Test func textIsEncodedAsItsUTF8Bytes() throws {
        let text = "Café ☕️ 👋🏽"
        #expect(try QRCode(text: text) == QRCode(bytes: Array(text.utf8)))
        #expect(try QRCode(text: "").version == 1)
        for mask in QRCode.masks { #expect(try QRCode(text: text, mask: mask).mask == mask) }
    }

    /// Table 1's codeword counts must be what the drawn function patterns leave free.
    @Test(arguments: QRCode.versions)
    func tableOneMatchesTheFreeModulesOfEachVersion(version: Int) {
        let free = ModuleGrid(version: version).dataModuleCount
        #expect(free == BlockLayout.totalCodewords[version - 1] * 8 + BlockLayout.remainderBits[version - 1])
        for level in QRCode.ErrorCorrection.allCases {
            let layout = BlockLayout(version: version, errorCorrection: level)
            let longBlocks = layout.blockCount - layout.shortBlockCount
            #expect(
                layout.shortBlockCount * layout.shortBlockDataCodewords
                    + longBlocks * (layout.shortBlockDataCodewords + 1) == layout.dataCodewords)
        }
    }
}
