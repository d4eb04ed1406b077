import HuddleQR
import Testing

@Suite struct FunctionPatternTests {
    /// The finder's 7×7 rows and its light separator, read outwards from the corner.
    private func expectFinder(_ code: QRCode, cornerX: Int, cornerY: Int, stepX: Int, stepY: Int) {
        let rows = ["1111111", "1000001", "1011101", "1011101", "1011101", "1000001", "1111111"]
        for (dy, row) in rows.enumerated() {
            for (dx, module) in row.enumerated() {
                #expect(code.isDark(x: cornerX + stepX * dx, y: cornerY + stepY * dy) == (module == "1"))
            }
        }
        for i in 0...7 {
            #expect(!code.isDark(x: cornerX + stepX * 7, y: cornerY + stepY * i), "separator")
            #expect(!code.isDark(x: cornerX + stepX * i, y: cornerY + stepY * 7), "separator")
        }
    }

    @Test(arguments: [1, 2, 7, 10, 40])
    func findersSeparatorsTimingAndTheDarkModule(version: Int) throws {
        let code = try QRCode(text: "function patterns", minimumVersion: version)
        let last = code.size - 1
        self.expectFinder(code, cornerX: 0, cornerY: 0, stepX: 1, stepY: 1)
        self.expectFinder(code, cornerX: last, cornerY: 0, stepX: -1, stepY: 1)
        self.expectFinder(code, cornerX: 0, cornerY: last, stepX: 1, stepY: -1)
        for i in 8...(code.size - 9) {
            #expect(code.isDark(x: i, y: 6) == (i % 2 == 0), "horizontal timing at \(i)")
            #expect(code.isDark(x: 6, y: i) == (i % 2 == 0), "vertical timing at \(i)")
        }
        #expect(code.isDark(x: 8, y: code.size - 8), "the dark module")
    }

    @Test(arguments: [2, 7, 14, 40])
    func alignmentPatternsSitAtTableE1sCentres(version: Int) throws {
        let code = try QRCode(text: "alignment", minimumVersion: version)
        let centres = ModuleGrid.alignmentCenters[version - 1]
        let last = centres.last!
        var drawn = 0
        for x in centres {
            for y in centres where ![[6, 6], [6, last], [last, 6]].contains([x, y]) {
                drawn += 1
                for dy in -2...2 {
                    for dx in -2...2 {
                        #expect(code.isDark(x: x + dx, y: y + dy) == (max(abs(dx), abs(dy)) != 1), "(\(x), \(y))")
                    }
                }
            }
        }
        #expect(drawn == centres.count * centres.count - 3)
    }

    @Test func tableE1StepsEvenlyAfterItsFirstAndEndsAtTheFarFinder() {
        #expect(ModuleGrid.alignmentCenters.count == 40 && ModuleGrid.alignmentCenters[0].isEmpty)
        for version in 2...40 {
            let centres = ModuleGrid.alignmentCenters[version - 1]
            #expect(centres.count == version / 7 + 2 && centres.first == 6 && centres.last == 17 + 4 * version - 7)
            let steps = zip(centres.dropFirst(), centres).map { $0 - $1 }
            #expect(Set(steps.dropFirst()).count <= 1 && steps.allSatisfy { $0 % 2 == 0 }, "version \(version)")
        }
    }

    /// Both copies of the format information read back as the symbol's level and mask.
    @Test(arguments: QRCode.ErrorCorrection.allCases)
    func formatInformationIsWrittenTwice(level: QRCode.ErrorCorrection) throws {
        for mask in QRCode.masks {
            let code = try QRCode(text: "format", errorCorrection: level, mask: mask)
            let n = code.size
            var first = 0, second = 0
            for i in 0..<15 {
                let (x, y) = i < 6 ? (8, i) : i < 8 ? (8, i + 1) : i == 8 ? (7, 8) : (14 - i, 8)
                let (x2, y2) = i < 8 ? (n - 1 - i, 8) : (8, n - 15 + i)
                if code.isDark(x: x, y: y) { first |= 1 << i }
                if code.isDark(x: x2, y: y2) { second |= 1 << i }
            }
            #expect(first == FormatInformation.bits(errorCorrection: level, mask: mask))
            #expect(second == first)
        }
    }

    @Test(arguments: [7, 21, 40])
    func versionInformationIsWrittenTwice(version: Int) throws {
        let code = try QRCode(text: "version", minimumVersion: version)
        var aboveLowerLeft = 0, leftOfUpperRight = 0
        for i in 0..<18 {
            if code.isDark(x: i / 3, y: code.size - 11 + i % 3) { aboveLowerLeft |= 1 << i }
            if code.isDark(x: code.size - 11 + i % 3, y: i / 3) { leftOfUpperRight |= 1 << i }
        }
        #expect(aboveLowerLeft == VersionInformation.bits(version: version))
        #expect(leftOfUpperRight == aboveLowerLeft)
    }
}
