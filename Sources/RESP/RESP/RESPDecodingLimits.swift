/// Bounds on what the decoder accepts, so that a hostile or broken peer cannot make us
/// allocate without limit or recurse off the stack.
public struct RESPDecodingLimits: Sendable, Hashable {
    /// Deepest nesting of aggregates (arrays, maps, sets, pushes, attributes).
    public var maximumDepth: Int
    /// Longest bulk string, bulk error or verbatim string, in bytes.
    public var maximumBulkLength: Int
    /// Most elements in one aggregate (a map of n pairs counts 2n).
    public var maximumAggregateCount: Int
    /// Longest line of a simple string, error, integer, double or big number, in bytes.
    public var maximumLineLength: Int
    /// Most bytes buffered while waiting for one value to complete.
    public var maximumMessageSize: Int

    public init(
        maximumDepth: Int = 64,
        maximumBulkLength: Int = 64 * 1024 * 1024,
        maximumAggregateCount: Int = 16 * 1024 * 1024,
        maximumLineLength: Int = 64 * 1024,
        maximumMessageSize: Int = 128 * 1024 * 1024
    ) {
        self.maximumDepth = maximumDepth
        self.maximumBulkLength = maximumBulkLength
        self.maximumAggregateCount = maximumAggregateCount
        self.maximumLineLength = maximumLineLength
        self.maximumMessageSize = maximumMessageSize
    }

    /// Redis's own defaults are higher (512 MB strings); ours suit Huddle's small values.
    public static let `default` = RESPDecodingLimits()
}
