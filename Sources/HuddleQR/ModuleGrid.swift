/// A symbol's modules while it is built: which are dark, and which belong to function
/// patterns (finders and their separators, timing, alignment, the dark module, format and
/// version information). Function modules carry no data and are never masked.
///
/// x is the column and y the row, both from the top-left corner.
package struct ModuleGrid: Sendable, Equatable {
    package let size: Int
    package private(set) var modules: [Bool]
    private var isFunctionModule: [Bool]

    /// The function patterns of `version`, with its version information drawn (7 and up)
    /// and the format information's modules reserved, light, until the mask is chosen.
    package init(version: Int) {
        precondition(QRCode.versions.contains(version), "version \(version) is not 1...40")
        self.size = QRCode.size(version: version)
        self.modules = Array(repeating: false, count: self.size * self.size)
        self.isFunctionModule = self.modules

        // Timing first: the finders drawn next overwrite its ends, so it runs only between them.
        for i in 0..<self.size {
            self.setFunction(x: 6, y: i, dark: i % 2 == 0)
            self.setFunction(x: i, y: 6, dark: i % 2 == 0)
        }
        let far = self.size - 4
        for (x, y) in [(3, 3), (far, 3), (3, far)] { self.drawFinder(centerX: x, centerY: y) }
        let centers = Self.alignmentCenters[version - 1]
        let first = centers.first ?? 0, last = centers.last ?? 0
        for x in centers {
            for y in centers {
                // The three corners that would overlap a finder get no alignment pattern.
                let onFinder = (x == first && y == first) || (x == first && y == last) || (x == last && y == first)
                if !onFinder { self.drawAlignment(centerX: x, centerY: y) }
            }
        }
        // The dark module beside the lower-left finder (7.9.1), always dark.
        self.setFunction(x: 8, y: self.size - 8, dark: true)
        self.drawFormatInformation(0)
        if version >= 7 { self.drawVersionInformation(VersionInformation.bits(version: version)) }
    }

    package subscript(x: Int, y: Int) -> Bool {
        self.modules[y * self.size + x]
    }

    package func isFunction(x: Int, y: Int) -> Bool {
        self.isFunctionModule[y * self.size + x]
    }

    /// Modules free for codewords: the data capacity of the version, in bits.
    package var dataModuleCount: Int {
        self.isFunctionModule.lazy.filter { !$0 }.count
    }

    private mutating func setFunction(x: Int, y: Int, dark: Bool) {
        self.modules[y * self.size + x] = dark
        self.isFunctionModule[y * self.size + x] = true
    }

    /// A 7×7 finder (dark ring, light ring, 3×3 dark core) with its one-module light
    /// separator, clipped where the separator would leave the symbol.
    private mutating func drawFinder(centerX: Int, centerY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centerX + dx, y = centerY + dy
                guard (0..<self.size).contains(x), (0..<self.size).contains(y) else { continue }
                let ring = max(abs(dx), abs(dy))
                self.setFunction(x: x, y: y, dark: ring != 2 && ring != 4)
            }
        }
    }

    /// A 5×5 alignment pattern: dark ring, light ring, one dark module in the middle.
    private mutating func drawAlignment(centerX: Int, centerY: Int) {
        for dy in -2...2 {
            for dx in -2...2 {
                self.setFunction(x: centerX + dx, y: centerY + dy, dark: max(abs(dx), abs(dy)) != 1)
            }
        }
    }

    /// Both copies of the 15 format bits (7.9.1, Figure 25), so that either survives damage
    /// to the other.
    package mutating func drawFormatInformation(_ bits: Int) {
        for i in 0..<15 {
            let dark = (bits >> i) & 1 == 1
            // Around the top-left finder: bits 0–7 down column 8, 8–14 leftwards along row 8,
            // stepping over the timing patterns.
            switch i {
            case 0..<6: self.setFunction(x: 8, y: i, dark: dark)
            case 6..<8: self.setFunction(x: 8, y: i + 1, dark: dark)
            case 8: self.setFunction(x: 7, y: 8, dark: dark)
            default: self.setFunction(x: 14 - i, y: 8, dark: dark)
            }
            // Split between the other two finders: bits 0–7 leftwards under the top-right one,
            // 8–14 down column 8 beside the lower-left one.
            if i < 8 {
                self.setFunction(x: self.size - 1 - i, y: 8, dark: dark)
            } else {
                self.setFunction(x: 8, y: self.size - 15 + i, dark: dark)
            }
        }
    }

    /// Both copies of the 18 version bits (7.10, Figure 27): a 6×3 block above the
    /// lower-left finder and its transpose, 3×6, left of the top-right finder.
    private mutating func drawVersionInformation(_ bits: Int) {
        for i in 0..<18 {
            let dark = (bits >> i) & 1 == 1
            let long = i / 3, short = self.size - 11 + i % 3
            self.setFunction(x: short, y: long, dark: dark)
            self.setFunction(x: long, y: short, dark: dark)
        }
    }

    /// Places the codewords' bits, most significant first, in the free modules (7.7.3): in
    /// two-module-wide columns from the right edge, going up then down in turn, the right
    /// module of a pair before the left. Modules left over (the remainder bits) stay light.
    package mutating func place(_ codewords: [UInt8]) {
        let bitCount = codewords.count * 8
        var bit = 0
        var upward = true
        var right = self.size - 1
        while right >= 1 {
            // Column 6 is the vertical timing pattern: the pairs left of it shift by one.
            if right == 6 { right = 5 }
            for step in 0..<self.size {
                let y = upward ? self.size - 1 - step : step
                for x in [right, right - 1] where !self.isFunction(x: x, y: y) {
                    if bit < bitCount {
                        self.modules[y * self.size + x] = (codewords[bit / 8] >> (7 - bit % 8)) & 1 == 1
                    }
                    bit += 1
                }
            }
            upward.toggle()
            right -= 2
        }
        precondition(bit >= bitCount, "more codewords than the symbol holds")
    }

    /// Inverts the data modules that `mask` selects (function modules never change).
    package mutating func applyMask(_ mask: Int) {
        for y in 0..<self.size {
            for x in 0..<self.size where !self.isFunction(x: x, y: y) && DataMask.inverts(mask, row: y, column: x) {
                self.modules[y * self.size + x].toggle()
            }
        }
    }

    /// The row and column coordinates of alignment pattern centres per version (Annex E,
    /// Table E.1): every combination of them gets a pattern except those at the finders.
    package static let alignmentCenters: [[Int]] = [
        [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34],
        [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50], [6, 30, 54], [6, 32, 58], [6, 34, 62],
        [6, 26, 46, 66], [6, 26, 48, 70], [6, 26, 50, 74], [6, 30, 54, 78], [6, 30, 56, 82], [6, 30, 58, 86],
        [6, 34, 62, 90],
        [6, 28, 50, 72, 94], [6, 26, 50, 74, 98], [6, 30, 54, 78, 102], [6, 28, 54, 80, 106],
        [6, 32, 58, 84, 110], [6, 30, 58, 86, 114], [6, 34, 62, 90, 118],
        [6, 26, 50, 74, 98, 122], [6, 30, 54, 78, 102, 126], [6, 26, 52, 78, 104, 130],
        [6, 30, 56, 82, 108, 134], [6, 34, 60, 86, 112, 138], [6, 30, 58, 86, 114, 142],
        [6, 34, 62, 90, 118, 146],
        [6, 30, 54, 78, 102, 126, 150], [6, 24, 50, 76, 102, 128, 154], [6, 28, 54, 80, 106, 132, 158],
        [6, 32, 58, 84, 110, 136, 162], [6, 26, 54, 82, 110, 138, 166], [6, 30, 58, 86, 114, 142, 170],
    ]
}
