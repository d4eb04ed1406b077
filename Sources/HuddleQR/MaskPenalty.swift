/// The penalty score of a finished symbol (7.8.3.1, Table 11): the encoder uses the mask
/// whose symbol scores lowest, the first of equals.
///
/// The standard scores the complete symbol, format and version information included,
/// although masking touches only the data ("the area to be evaluated is the complete
/// symbol"). Where Table 11 is open to reading:
/// - N3 counts each dark-light-dark-dark-dark-light-dark run once, when four light modules
///   precede or follow it, and the quiet zone outside the symbol counts as light (it is
///   light wherever the symbol is printed);
/// - N4's k is the whole number of 5 % steps between the dark proportion and 50 %.
package enum MaskPenalty {
    /// The score of a `size`×`size` symbol whose module in column x, row y is `isDark(x, y)`.
    package static func score(size: Int, isDark: (_ x: Int, _ y: Int) -> Bool) -> Int {
        let rows = (0..<size).map { y in (0..<size).map { x in isDark(x, y) } }
        let columns = (0..<size).map { x in (0..<size).map { y in rows[y][x] } }
        return runs(rows) + runs(columns) + blocks(rows) + finderLikes(rows) + finderLikes(columns) + balance(rows)
    }

    /// N1: 3 for each run of five same-coloured modules in a line, plus 1 per module beyond five.
    package static func runs(_ lines: [[Bool]]) -> Int {
        var score = 0
        for line in lines {
            var length = 0
            for (index, module) in line.enumerated() {
                length = index > 0 && line[index - 1] == module ? length + 1 : 1
                let runEnds = index == line.count - 1 || line[index + 1] != module
                if runEnds && length >= 5 { score += 3 + length - 5 }
            }
        }
        return score
    }

    /// N2: 3 for each 2×2 square of one colour. Counting overlapping squares gives an m×n
    /// block the standard's 3·(m−1)·(n−1).
    package static func blocks(_ rows: [[Bool]]) -> Int {
        var score = 0
        for y in 1..<rows.count {
            for x in 1..<rows[y].count {
                let module = rows[y][x]
                if rows[y][x - 1] == module && rows[y - 1][x] == module && rows[y - 1][x - 1] == module {
                    score += 3
                }
            }
        }
        return score
    }

    /// N3: 40 for each 1:1:3:1:1 pattern (a finder's cross-section) with four light modules
    /// before or after it.
    package static func finderLikes(_ lines: [[Bool]]) -> Int {
        let pattern = [true, false, true, true, true, false, true]
        var score = 0
        for line in lines where line.count >= pattern.count {
            func isLight(_ range: Range<Int>) -> Bool {
                range.allSatisfy { !line.indices.contains($0) || !line[$0] }
            }
            for start in 0...(line.count - pattern.count) where line[start..<start + pattern.count].elementsEqual(pattern) {
                if isLight(start - 4..<start) || isLight(start + 7..<start + 11) { score += 40 }
            }
        }
        return score
    }

    /// N4: 10·k, where the dark modules are between 50 ± 5k % and 50 ± 5(k+1) % of the symbol.
    package static func balance(_ rows: [[Bool]]) -> Int {
        let total = rows.reduce(0) { $0 + $1.count }
        let dark = rows.reduce(0) { $0 + $1.lazy.filter { $0 }.count }
        // |dark/total − 1/2| / 5 %, in integers.
        return 10 * (abs(20 * dark - 10 * total) / total)
    }
}
