/// How a batch of appends committed together comes out exactly as one at a time would: each
/// append, in arrival order, is decided against its stream's head as the earlier appends of
/// the batch left it. Shared by the stores that group-commit appends.
public enum AppendBatch {
    public enum Decision: Sendable, Hashable {
        /// Stored at this offset.
        case append(offset: Int64)
        /// Expected another head: this one, as the batch left it.
        case conflict(actual: Int64)
    }

    /// The decisions for appends to `streams` expecting `expected` (nil: any offset), in
    /// order, given the heads before the batch (a stream not in `heads` is empty).
    public static func decide(streams: [String], expected: [Int64?], heads: [String: Int64]) -> [Decision] {
        precondition(streams.count == expected.count, "one expectation per append")
        var heads = heads
        return zip(streams, expected).map { stream, expected in
            let head = heads[stream, default: 0]
            if let expected, expected != head { return .conflict(actual: head) }
            heads[stream] = head + 1
            return .append(offset: head + 1)
        }
    }
}
