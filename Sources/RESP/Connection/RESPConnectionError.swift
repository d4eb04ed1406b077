/// Why a command or a connection failed, other than an error reply from the server.
public struct RESPConnectionError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; compare errors by it.
    public enum Code: String, Sendable, Hashable {
        /// The connection is closed (by either side); the command's outcome is unknown if it
        /// was already written.
        case connectionClosed
        /// A command got no reply within its timeout. The connection was closed, because
        /// a late reply would otherwise be taken for the next command's.
        case timeout
        /// AUTH, HELLO or SELECT failed while connecting; ``underlying`` holds the reply.
        case handshakeFailed
        /// The server sent a reply nobody asked for: the stream cannot be trusted any more.
        case unexpectedReply
        /// The server's bytes are not valid RESP; ``underlying`` is the ``RESPDecodeError``.
        case decodeFailed
        /// Connecting failed (refused, unreachable, TLS); ``underlying`` says why.
        case connectFailed
        /// The command was sent before the connection was ready or after it closed.
        case notReady
    }

    public var code: Code
    /// The error behind this one, if any.
    public var underlying: (any Error)?

    public init(_ code: Code, underlying: (any Error)? = nil) {
        self.code = code
        self.underlying = underlying
    }

    public var description: String {
        if let underlying { "RESP connection \(self.code.rawValue): \(underlying)" } else { "RESP connection \(self.code.rawValue)" }
    }
}
