extension QRCode {
    /// How much damage a symbol survives: about 7 % (L), 15 % (M), 25 % (Q) or 30 % (H) of
    /// its codewords can be wrong and it still reads. More correction means fewer data bytes
    /// per version. The raw values are the standard's letters.
    public enum ErrorCorrection: String, Sendable, Hashable, CaseIterable {
        case low = "L"
        case medium = "M"
        case quartile = "Q"
        case high = "H"

        /// The two bits that stand for the level in the format information (7.9.1, Table 12):
        /// not in the order of strength, so they are spelt out.
        var formatBits: Int {
            switch self {
            case .low: 0b01
            case .medium: 0b00
            case .quartile: 0b11
            case .high: 0b10
            }
        }

        /// The level's column in the per-version tables of `BlockLayout`.
        var tableIndex: Int {
            switch self {
            case .low: 0
            case .medium: 1
            case .quartile: 2
            case .high: 3
            }
        }
    }
}
