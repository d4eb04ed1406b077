/// Where one subscriber is in one channel's stream, and what to do with the next event.
///
/// Events reach a subscriber from two places, the store (replay, catch-up) and the broker
/// (live, at-most-once, possibly out of order across replicas). The cursor turns both into
/// one gap-free, duplicate-free sequence: it delivers the next offset, drops anything already
/// delivered, and asks for a catch-up read when an offset jumps ahead.
public struct ChannelCursor: Sendable, Hashable {
    /// The last offset delivered to the subscriber.
    public private(set) var delivered: Int64

    public enum Decision: Sendable, Hashable {
        /// Send it; the cursor has moved to its offset.
        case deliver
        /// Already delivered (a replay overlap or a duplicate): drop it.
        case skip
        /// Offsets after ``ChannelCursor/delivered`` are missing: read them from the store first.
        case catchUp(after: Int64)
    }

    public init(delivered: Int64) {
        self.delivered = max(delivered, 0)
    }

    /// Decides what to do with an event at `offset`.
    public mutating func receive(offset: Int64) -> Decision {
        if offset <= self.delivered { return .skip }
        if offset == self.delivered + 1 {
            self.delivered = offset
            return .deliver
        }
        return .catchUp(after: self.delivered)
    }

    /// Moves the cursor after a catch-up read delivered events up to `offset`, or after a
    /// compacted history (such as a counter's latest value) skipped ahead on purpose.
    public mutating func advance(to offset: Int64) {
        self.delivered = max(self.delivered, offset)
    }
}
