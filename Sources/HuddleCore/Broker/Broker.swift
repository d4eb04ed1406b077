/// The doorbell between replicas: fast, at-most-once, per channel.
///
/// A message that is lost is recovered from the ``EventStore`` by offset, so a broker never
/// needs to be durable. One upstream subscription per channel per replica is enough: the
/// server's hub fans a delivery out to its local connections.
public protocol Broker: Sendable {
    /// Sends `message` to every current subscriber of `channel`, on every replica.
    func publish(_ message: BrokerMessage, to channel: String) async throws
    /// Whether ``publish(_:to:)`` returns without waiting on anything outside the process (an
    /// in-process broker): then ``ring(_:on:patience:)`` publishes inline, with no task and no
    /// timer. False unless a broker says otherwise.
    var publishesImmediately: Bool { get }
    /// Delivers `channel`'s messages to `deliver` until the subscription is cancelled.
    ///
    /// Returns once the subscription is active upstream, so that anything published after the
    /// return is delivered. `deliver` must not block: it is called on the broker's own context.
    func subscribe(
        to channel: String,
        _ deliver: @escaping @Sendable (BrokerDelivery) -> Void
    ) async throws -> any BrokerSubscription
}

extension Broker {
    public var publishesImmediately: Bool { false }
}

/// A live subscription; cancel it to stop deliveries.
public protocol BrokerSubscription: Sendable {
    func cancel() async
}

/// What a subscriber is told.
public enum BrokerDelivery: Sendable, Hashable {
    case message(BrokerMessage)
    /// Messages may have been lost (the upstream connection dropped and was re-established):
    /// subscribers catch up from the store.
    case gap
}

/// A message on a channel, with the client-facing frame already rendered so that fan-out
/// writes the same text to every connection without encoding it again.
public struct BrokerMessage: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// A stored event: has an offset; subscribers deduplicate and fill gaps by it.
        case event
        /// Ephemeral (cursors, typing): never stored, not echoed to its origin.
        case signal
        /// Someone joined or left the channel.
        case presence
    }

    public var kind: Kind
    /// The event's offset (events only; 0 otherwise).
    public var offset: Int64
    /// The connection that caused it, so signals are not echoed back; empty if none.
    public var origin: String
    /// The JSON text frame exactly as clients receive it.
    public var frame: String

    public init(kind: Kind, offset: Int64 = 0, origin: String = "", frame: String) {
        self.kind = kind
        self.offset = offset
        self.origin = origin
        self.frame = frame
    }
}
