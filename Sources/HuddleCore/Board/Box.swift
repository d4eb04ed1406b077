/// One box on a board: where it is, how big, what it says, its colour, and its place in
/// the stacking order.
public struct Box: Sendable, Hashable, Codable {
    public var id: String
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    public var text: String
    /// `#rrggbb`.
    public var color: String
    /// Higher is drawn on top; unique on a board.
    public var z: Int
    /// Who moved or edited it last, and when (ms since 1970): the soft lock's memory.
    public var heldBy: String?
    public var heldAt: Int64?

    public init(
        id: String, x: Double, y: Double, width: Double, height: Double, text: String, color: String, z: Int,
        heldBy: String? = nil, heldAt: Int64? = nil
    ) {
        self.id = id
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.text = text
        self.color = color
        self.z = z
        self.heldBy = heldBy
        self.heldAt = heldAt
    }
}

/// The limits every board command is checked against.
public enum BoardLimits {
    /// The canvas is 10,000 × 10,000 (seed 000).
    public static let canvas = 0.0...10_000.0
    public static let size = 20.0...4_000.0
    public static let textLength = 2_000
    /// A box's text in bytes of UTF-8: what protects the store (a character may be one letter
    /// with a million combining marks).
    public static let textBytes = 8_000
    /// A board's name in bytes of UTF-8 (80 characters are what people see).
    public static let nameBytes = 320
    public static let maxBoxes = 2_000
    /// A box moved by someone in the last 2 s cannot be moved or edited by anyone else.
    public static let softLockMilliseconds: Int64 = 2_000
    public static let defaultColor = "#fde68a"
}
