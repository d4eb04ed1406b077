// The transport seam: what a connection's transport gives a session (whole messages, on
// the connection's event loop) and what it takes (encoded frames to write, a close with a
// code). The production transport is ``RealtimeChannelHandler``, a NIO handler on the
// upgraded channel; tests put a recorder in its place.

public import NIOCore

/// A message as it comes off the socket, reassembled from its fragments.
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

/// Where a session writes. Every call comes on the connection's event loop.
public protocol SessionOutput: AnyObject {
    /// Queues one encoded WebSocket frame (``ServerFrameEncoder``); nothing is sent before ``flush()``.
    func write(_ frame: ByteBuffer)
    /// Sends what was queued.
    func flush()
    /// True while the bytes queued and not yet taken by the socket are under the send limit.
    var isWritable: Bool { get }
    /// Starts the closing handshake with `reason`'s code; the connection is dropped if the
    /// client does not answer it.
    func close(_ reason: CloseReason)
    /// The session has a frame in hand and wants no more for now (the socket is not read).
    func pauseReading()
    func resumeReading()
}

/// How the gateway ends a connection, as WebSocket close codes.
public enum CloseReason: Sendable, Hashable {
    /// 1002: a frame that breaks RFC 6455 (unmasked, a reserved opcode, bad fragments).
    case protocolError
    /// 1007: a text message that is not UTF-8.
    case invalidText
    /// 1008: too many malformed or rate-limited frames in a row.
    case policyViolation
    /// 1009: a message over the size limit.
    case messageTooLarge
    /// 1012: the server is shutting down; reconnect (to another replica).
    case serviceRestart
    /// 1013: the store could not be read to catch up; reconnect later and resume.
    case tryAgainLater
    /// 4000: the client did not read fast enough: its unsent bytes passed the send limit.
    case slowConsumer
    /// 4001: the account behind the connection was deactivated or its sessions were ended.
    case revoked

    public var code: UInt16 {
        switch self {
        case .protocolError: 1002
        case .invalidText: 1007
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
        case .protocolError: "protocol error"
        case .invalidText: "text is not UTF-8"
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
        case .protocolError: "protocol"
        case .invalidText: "invalid_text"
        case .policyViolation: "policy"
        case .messageTooLarge: "too_large"
        case .serviceRestart: "restart"
        case .tryAgainLater: "unavailable"
        case .slowConsumer: "slow_consumer"
        case .revoked: "revoked"
        }
    }
}
