/// One element of a closure-scoped subscription's sequence.
public struct RESPSubscriptionMessage: Sendable, Hashable {
    /// The channel it was published on (or whose subscription had a gap).
    public var channel: String
    public var delivery: RESPSubscriptionDelivery

    public init(channel: String, delivery: RESPSubscriptionDelivery) {
        self.channel = channel
        self.delivery = delivery
    }
}
