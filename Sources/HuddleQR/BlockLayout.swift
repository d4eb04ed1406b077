/// How a symbol's codewords divide into Reed–Solomon blocks, for one version and level
/// (ISO/IEC 18004, 7.5.1 and Table 9).
///
/// Every block of a symbol has the same number of error-correction codewords. When the data
/// codewords do not divide evenly, the first blocks are one data codeword shorter than the
/// rest (the standard's two groups).
package struct BlockLayout: Sendable, Equatable {
    package let totalCodewords: Int
    package let blockCount: Int
    package let ecCodewordsPerBlock: Int

    package init(version: Int, errorCorrection: QRCode.ErrorCorrection) {
        precondition(QRCode.versions.contains(version), "version \(version) is not 1...40")
        let level = errorCorrection.tableIndex
        self.totalCodewords = Self.totalCodewords[version - 1]
        self.blockCount = Self.blockCounts[version - 1][level]
        self.ecCodewordsPerBlock = Self.ecCodewordsPerBlock[version - 1][level]
    }

    package var dataCodewords: Int { self.totalCodewords - self.blockCount * self.ecCodewordsPerBlock }

    /// Blocks that carry one data codeword fewer than the others.
    package var shortBlockCount: Int { self.blockCount - self.totalCodewords % self.blockCount }

    /// Data codewords in a short block; a long block has one more.
    package var shortBlockDataCodewords: Int { self.totalCodewords / self.blockCount - self.ecCodewordsPerBlock }

    /// Codewords (data and error correction) of each version (Table 1), 1 to 40. The matrix's
    /// free modules must hold exactly these plus `remainderBits`: the unit tests check
    /// the table against the drawn function patterns.
    package static let totalCodewords = [
        26, 44, 70, 100, 134, 172, 196, 242, 292, 346,
        404, 466, 532, 581, 655, 733, 815, 901, 991, 1085,
        1156, 1258, 1364, 1474, 1588, 1706, 1828, 1921, 2051, 2185,
        2323, 2465, 2611, 2761, 2876, 3034, 3196, 3362, 3532, 3706,
    ]

    /// Modules left over after the last codeword (Table 1), 1 to 40; they stay light before masking.
    package static let remainderBits = [
        0, 7, 7, 7, 7, 7, 0, 0, 0, 0,
        0, 0, 0, 3, 3, 3, 3, 3, 3, 3,
        4, 4, 4, 4, 4, 4, 4, 3, 3, 3,
        3, 3, 3, 3, 0, 0, 0, 0, 0, 0,
    ]

    /// Error-correction blocks per version (rows 1 to 40), columns L, M, Q, H (Table 9).
    static let blockCounts: [[Int]] = [
        [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 2, 2], [1, 2, 2, 4], [1, 2, 4, 4],
        [2, 4, 4, 4], [2, 4, 6, 5], [2, 4, 6, 6], [2, 5, 8, 8], [4, 5, 8, 8],
        [4, 5, 8, 11], [4, 8, 10, 11], [4, 9, 12, 16], [4, 9, 16, 16], [6, 10, 12, 18],
        [6, 10, 17, 16], [6, 11, 16, 19], [6, 13, 18, 21], [7, 14, 21, 25], [8, 16, 20, 25],
        [8, 17, 23, 25], [9, 17, 23, 34], [9, 18, 25, 30], [10, 20, 27, 32], [12, 21, 29, 35],
        [12, 23, 34, 37], [12, 25, 34, 40], [13, 26, 35, 42], [14, 28, 38, 45], [15, 29, 40, 48],
        [16, 31, 43, 51], [17, 33, 45, 54], [18, 35, 48, 57], [19, 37, 51, 60], [19, 38, 53, 63],
        [20, 40, 56, 66], [21, 43, 59, 70], [22, 45, 62, 74], [24, 47, 65, 77], [25, 49, 68, 81],
    ]

    /// Error-correction codewords in each block (rows 1 to 40), columns L, M, Q, H (Table 9).
    static let ecCodewordsPerBlock: [[Int]] = [
        [7, 10, 13, 17], [10, 16, 22, 28], [15, 26, 18, 22], [20, 18, 26, 16], [26, 24, 18, 22],
        [18, 16, 24, 28], [20, 18, 18, 26], [24, 22, 22, 26], [30, 22, 20, 24], [18, 26, 24, 28],
        [20, 30, 28, 24], [24, 22, 26, 28], [26, 22, 24, 22], [30, 24, 20, 24], [22, 24, 30, 24],
        [24, 28, 24, 30], [28, 28, 28, 28], [30, 26, 28, 28], [28, 26, 26, 26], [28, 26, 30, 28],
        [28, 26, 28, 30], [28, 28, 30, 24], [30, 28, 30, 30], [30, 28, 30, 30], [26, 28, 30, 30],
        [28, 28, 28, 30], [30, 28, 30, 30], [30, 28, 30, 30], [30, 28, 30, 30], [30, 28, 30, 30],
        [30, 28, 30, 30], [30, 28, 30, 30], [30, 28, 30, 30], [30, 28, 30, 30], [30, 28, 30, 30],
        [30, 28, 30, 30], [30, 28, 30, 30], [30, 28, 30, 30], [30, 28, 30, 30], [30, 28, 30, 30],
    ]
}
