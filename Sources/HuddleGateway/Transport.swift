// The transport seam: what a WebSocket transport gives the gateway (inbound messages) and
// what it takes (frames to write, a close with a code, an abort). `Gateway.serve` is the
// whole contract; the gateway never sees a socket, so transports can be swapped and
// measured on their own.

/// A message as it comes off the socket.
public enum InboundMessage: Sendable {
    case text(String)
    /// Binary messages are refused; only their size matters.
    case binary(size: Int)

    public var size: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .binary(let size): size
        }
    }
}

/// Where a session writes: the WebSocket in production, a recorder in tests.
public protocol FrameWriter: Sendable {
    /// Writes one text frame; throws once the connection is gone.
    func write(_ text: String) async throws
    /// Starts the closing handshake with `reason`'s code.
    func close(_ reason: CloseReason) async
    /// Drops the connection without a handshake (a client that stopped reading never answers one).
    func abort()
}

/// How the gateway ends a connection, as WebSocket close codes.
public enum CloseReason: Sendable, Hashable {
    /// 1008: too many malformed or rate-limited frames in a row.
    case policyViolation
    /// 1009: a message over the size limit.
    case messageTooLarge
    /// 1012: the server is shutting down; reconnect (to another replica).
    case serviceRestart
    /// 1013: the store could not be read to catch up; reconnect later and resume.
    case tryAgainLater
    /// 4000: the client did not read fast enough and its send queue filled up.
    case slowConsumer
    /// 4001: the account behind the connection was deactivated or its sessions were ended.
    case revoked

    public var code: UInt16 {
        switch self {
        case .policyViolation: 1008
        case .messageTooLarge: 1009
        case .serviceRestart: 1012
        case .tryAgainLater: 1013
        case .slowConsumer: 4000
        case .revoked: 4001
        }
    }

    public var reason: String {
        switch self {
        case .policyViolation: "too many bad or rate-limited frames"
        case .messageTooLarge: "message too large"
        case .serviceRestart: "server restarting"
        case .tryAgainLater: "store unavailable, reconnect later"
        case .slowConsumer: "slow consumer"
        case .revoked: "access revoked"
        }
    }

    /// The `reason` label of the disconnect metric.
    var metricLabel: String {
        switch self {
        case .policyViolation: "policy"
        case .messageTooLarge: "too_large"
        case .serviceRestart: "restart"
        case .tryAgainLater: "unavailable"
        case .slowConsumer: "slow_consumer"
        case .revoked: "revoked"
        }
    }
}
