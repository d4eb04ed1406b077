/// Why a subscription ended or could not start.
public struct RESPSubscriptionError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        /// `SUBSCRIBE` was not confirmed in time (Redis unreachable).
        case timeout
        /// The consumer fell behind its bounded buffer; the subscription was ended rather than
        /// letting memory grow.
        case consumerTooSlow
        /// The client was shut down.
        case shutDown
    }

    public var code: Code

    public init(_ code: Code) {
        self.code = code
    }

    public static let timeout = RESPSubscriptionError(.timeout)
    public static let consumerTooSlow = RESPSubscriptionError(.consumerTooSlow)
    public static let shutDown = RESPSubscriptionError(.shutDown)

    public var description: String { "RESP subscription \(self.code.rawValue)" }
}
