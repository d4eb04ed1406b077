/// A live subscription of one callback to one channel; ``cancel()`` ends it.
public final class RESPSubscription: Sendable {
    public let channel: String
    private let onCancel: @Sendable () -> Void

    init(channel: String, onCancel: @escaping @Sendable () -> Void) {
        self.channel = channel
        self.onCancel = onCancel
    }

    /// Stops deliveries; the last subscriber of a channel unsubscribes it upstream.
    public func cancel() {
        self.onCancel()
    }
}
