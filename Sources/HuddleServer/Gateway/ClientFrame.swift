import HuddleCore

/// A frame a client sends (see `docs/PROTOCOL.md`). Fields not used by a type are ignored.
struct ClientFrame: Decodable {
    var type: String
    var id: String?
    var channel: String?
    var since: Int64?
    var name: String?
    var data: JSONValue?
    /// An `auth` frame's access token.
    var token: String?
}

/// A message as it comes off the socket.
enum InboundMessage: Sendable {
    case text(String)
    case binary(size: Int)

    var size: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .binary(let size): size
        }
    }
}

/// How the gateway ends a connection, as WebSocket close codes.
enum CloseReason: Sendable, Hashable {
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

    var code: UInt16 {
        switch self {
        case .policyViolation: 1008
        case .messageTooLarge: 1009
        case .serviceRestart: 1012
        case .tryAgainLater: 1013
        case .slowConsumer: 4000
        }
    }

    var reason: String {
        switch self {
        case .policyViolation: "too many bad or rate-limited frames"
        case .messageTooLarge: "message too large"
        case .serviceRestart: "server restarting"
        case .tryAgainLater: "store unavailable, reconnect later"
        case .slowConsumer: "slow consumer"
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
        }
    }
}

/// Where a session writes: the WebSocket in production, a recorder in tests.
protocol FrameWriter: Sendable {
    func write(_ text: String) async throws
    /// Starts the closing handshake with `reason`'s code.
    func close(_ reason: CloseReason) async
    /// Drops the connection without a handshake (a client that stopped reading never answers one).
    func abort()
}
