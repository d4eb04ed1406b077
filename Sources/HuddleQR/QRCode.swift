/// A QR code symbol (ISO/IEC 18004) of bytes in byte mode: versions 1 to 40, the four
/// error-correction levels, the mask the standard's penalty rules choose unless one is given.
///
/// Text goes in as its UTF-8 bytes with no ECI header, as most encoders write it. Readers
/// then guess the encoding: UTF-8 for most text, but a short one with a single accent can
/// pass for Shift JIS (zbar reads "héllo" so). Join links are ASCII, which every guess reads.
///
/// ```swift
/// let code = try QRCode(text: "https://huddle.example/teams/join/3k9x2a")
/// let svg = code.svg(moduleSize: 8)
/// ```
public struct QRCode: Sendable, Hashable {
    /// 1 to 40; the symbol is 17 + 4 × version modules wide.
    public let version: Int
    public let errorCorrection: ErrorCorrection
    /// The data mask, 0 to 7.
    public let mask: Int
    private let modules: [Bool]

    public static let versions = 1...40
    public static let masks = 0...7

    /// Encodes `bytes` in the smallest version from `minimumVersion` on that holds them,
    /// with `mask`, or when it is nil the mask of lowest penalty.
    public init(
        bytes: [UInt8], errorCorrection: ErrorCorrection = .medium, minimumVersion: Int = 1, mask: Int? = nil
    ) throws(QRCode.Error) {
        guard Self.versions.contains(minimumVersion) else { throw .versionOutOfRange(minimumVersion) }
        if let mask, !Self.masks.contains(mask) { throw .maskOutOfRange(mask) }
        guard
            let version = (minimumVersion...Self.versions.upperBound).first(where: {
                bytes.count <= Self.capacity(version: $0, errorCorrection: errorCorrection)
            })
        else {
            throw .dataTooLong(byteCount: bytes.count, capacity: Self.capacity(version: 40, errorCorrection: errorCorrection))
        }

        let layout = BlockLayout(version: version, errorCorrection: errorCorrection)
        let data = DataCodewords.data(bytes, version: version, layout: layout)
        var unmasked = ModuleGrid(version: version)
        unmasked.place(DataCodewords.interleaved(data, layout: layout))

        func penalty(_ grid: ModuleGrid) -> Int { MaskPenalty.score(size: grid.size) { grid[$0, $1] } }
        func masked(_ mask: Int) -> ModuleGrid {
            var grid = unmasked
            grid.applyMask(mask)
            grid.drawFormatInformation(FormatInformation.bits(errorCorrection: errorCorrection, mask: mask))
            return grid
        }
        var chosen = (mask: mask ?? 0, grid: masked(mask ?? 0))
        if mask == nil {
            var lowest = penalty(chosen.grid)
            for candidate in Self.masks.dropFirst() {
                let grid = masked(candidate)
                let score = penalty(grid)
                // Only a strictly lower score wins: of equals, the lowest mask number stays.
                if score < lowest { (chosen, lowest) = ((candidate, grid), score) }
            }
        }
        self.version = version
        self.errorCorrection = errorCorrection
        self.mask = chosen.mask
        self.modules = chosen.grid.modules
    }

    /// Encodes the UTF-8 bytes of `text`; see ``init(bytes:errorCorrection:minimumVersion:mask:)``.
    public init(
        text: String, errorCorrection: ErrorCorrection = .medium, minimumVersion: Int = 1, mask: Int? = nil
    ) throws(QRCode.Error) {
        try self.init(bytes: Array(text.utf8), errorCorrection: errorCorrection, minimumVersion: minimumVersion, mask: mask)
    }

    /// Modules per side, without the quiet zone.
    public var size: Int { Self.size(version: self.version) }

    /// Whether the module in column `x`, row `y` (from the top-left corner) is dark.
    public func isDark(x: Int, y: Int) -> Bool {
        precondition((0..<self.size).contains(x) && (0..<self.size).contains(y), "(\(x), \(y)) is outside the symbol")
        return self.modules[y * self.size + x]
    }

    /// The most bytes a symbol of `version` holds at `errorCorrection`.
    public static func capacity(version: Int, errorCorrection: ErrorCorrection) -> Int {
        DataCodewords.byteCapacity(BlockLayout(version: version, errorCorrection: errorCorrection), version: version)
    }

    static func size(version: Int) -> Int { 17 + 4 * version }

    /// Why a symbol could not be made.
    public enum Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        /// More bytes than version 40 holds at the level (`capacity`).
        case dataTooLong(byteCount: Int, capacity: Int)
        case versionOutOfRange(Int)
        case maskOutOfRange(Int)

        public var description: String {
            switch self {
            case .dataTooLong(let count, let capacity):
                "\(count) bytes do not fit a QR code at this error-correction level (at most \(capacity))"
            case .versionOutOfRange(let version): "version \(version) is not 1 to 40"
            case .maskOutOfRange(let mask): "mask \(mask) is not 0 to 7"
            }
        }
    }
}
