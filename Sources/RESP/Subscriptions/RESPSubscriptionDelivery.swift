public import NIOCore

/// What a subscriber of one channel is told.
public enum RESPSubscriptionDelivery: Sendable, Hashable {
    /// A published message's payload.
    case message(ByteBuffer)
    /// Messages may have been missed: the subscription connection dropped and the channel has
    /// just been subscribed again. Sent after the new `SUBSCRIBE` is confirmed, so that a
    /// catch-up started on receipt cannot miss anything published afterwards.
    case gap
}
