import NIOCore

/// The logic of one connection, without I/O: the handler feeds it events and performs the
/// actions it returns, so that every path can be tested without a socket.
///
/// Replies come back in the order commands were written, so pending commands form a FIFO. A
/// command that gets no reply by its deadline closes the connection: a late reply would
/// otherwise be taken for the next command's.
struct RESPConnectionStateMachine<Promise> {
    /// One step of the handshake, sent and answered before any user command.
    enum HandshakeStep: Hashable {
        case hello(username: String?, password: String?, clientName: String?)
        case auth(username: String?, password: String)
        case select(database: Int)
    }

    /// What the handshake needs.
    struct Setup {
        var authentication: RESPAuthentication?
        var database: Int
        var preferRESP3: Bool
        var clientName: String?
        /// RESP2 has no push type: a subscribed connection's messages arrive as arrays.
        var subscriberMode: Bool
    }

    enum Action {
        case none
        /// Write this handshake command.
        case sendHandshake(HandshakeStep)
        /// The connection is ready; user commands may follow.
        case handshakeSucceeded(protocolVersion: Int)
        /// Write the command just submitted.
        case writeCommand
        case succeed(Promise, RESPToken)
        case fail(Promise, any Error)
        /// Out-of-band data (pub/sub), for the push handler.
        case deliverPush(RESPToken)
        /// Close the channel, failing these commands (and the handshake, if it was running).
        case close(RESPConnectionError, failing: [Promise], handshakeFailed: Bool)
    }

    private enum State {
        case initialized
        case handshaking(HandshakeStep, protocolVersion: Int)
        case active(protocolVersion: Int)
        case closed
    }

    private struct Pending {
        var promise: Promise
        var deadline: NIODeadline
    }

    private let setup: Setup
    private var state: State = .initialized
    private var pending = CircularBuffer<Pending>()
    private var handshakeDeadline: NIODeadline?

    init(setup: Setup) {
        self.setup = setup
    }

    var isActive: Bool {
        if case .active = self.state { true } else { false }
    }

    var isClosed: Bool {
        if case .closed = self.state { true } else { false }
    }

    var pendingCount: Int { self.pending.count }

    /// When the handler must call ``timerFired(now:)``: the earliest deadline still open.
    var nextDeadline: NIODeadline? {
        switch self.state {
        case .handshaking: return self.handshakeDeadline
        case .active: return self.pending.lazy.map(\.deadline).min()
        case .initialized, .closed: return nil
        }
    }

    // MARK: Events

    mutating func connected(handshakeDeadline: NIODeadline) -> Action {
        guard case .initialized = self.state else { return .none }
        self.handshakeDeadline = handshakeDeadline
        if self.setup.preferRESP3 {
            let auth = self.setup.authentication
            return self.begin(.hello(username: auth?.username, password: auth?.password, clientName: self.setup.clientName), protocolVersion: 2)
        }
        return self.next(after: nil, protocolVersion: 2)
    }

    mutating func received(_ token: RESPToken) -> Action {
        switch self.state {
        case .initialized, .closed:
            return .none

        case .handshaking(let step, let version):
            if token.identifier == .push { return .none }
            if let error = token.serverError {
                if case .hello = step, Self.helloUnsupported(error) {
                    // A server older than 6.0: stay on RESP2 and authenticate the old way.
                    return self.next(after: .hello(username: nil, password: nil, clientName: nil), protocolVersion: 2, fallback: true)
                }
                return self.closeNow(RESPConnectionError(.handshakeFailed, underlying: error))
            }
            if case .hello = step { return self.next(after: step, protocolVersion: 3) }
            return self.next(after: step, protocolVersion: version)

        case .active(let version):
            if token.identifier == .push || (version == 2 && self.setup.subscriberMode && token.identifier == .array) {
                return .deliverPush(token)
            }
            guard let first = self.pending.popFirst() else {
                return self.closeNow(RESPConnectionError(.unexpectedReply))
            }
            if let error = token.serverError { return .fail(first.promise, error) }
            return .succeed(first.promise, token)
        }
    }

    /// A command is about to be written; its reply is due by `deadline`.
    mutating func send(_ promise: Promise, deadline: NIODeadline) -> Action {
        guard case .active = self.state else {
            return .fail(promise, RESPConnectionError(self.isClosed ? .connectionClosed : .notReady))
        }
        self.pending.append(Pending(promise: promise, deadline: deadline))
        return .writeCommand
    }

    /// A command with no reply of its own (SUBSCRIBE: confirmed by pushes) may be written.
    func mayWriteWithoutReply() -> Bool {
        self.isActive
    }

    mutating func timerFired(now: NIODeadline) -> Action {
        guard let deadline = self.nextDeadline, deadline <= now else { return .none }
        return self.closeNow(RESPConnectionError(.timeout))
    }

    mutating func decodeFailed(_ error: any Error) -> Action {
        self.closeNow(RESPConnectionError(.decodeFailed, underlying: error))
    }

    mutating func errorCaught(_ error: any Error) -> Action {
        self.closeNow(RESPConnectionError(.connectionClosed, underlying: error))
    }

    mutating func closed() -> Action {
        self.closeNow(RESPConnectionError(.connectionClosed))
    }

    /// Closing on our side, e.g. the pool discarding the connection.
    mutating func close() -> Action {
        self.closeNow(RESPConnectionError(.connectionClosed))
    }

    // MARK: Helpers

    private static func helloUnsupported(_ error: RESPError) -> Bool {
        error.prefix == "NOPROTO" || (error.prefix == "ERR" && error.message.lowercased().contains("unknown command"))
    }

    private mutating func begin(_ step: HandshakeStep, protocolVersion: Int) -> Action {
        self.state = .handshaking(step, protocolVersion: protocolVersion)
        return .sendHandshake(step)
    }

    /// The step after `step` (nil: before the first), or the end of the handshake.
    private mutating func next(after step: HandshakeStep?, protocolVersion: Int, fallback: Bool = false) -> Action {
        let auth = self.setup.authentication
        // HELLO authenticates in the same round trip, unless it was refused and we fell back.
        let authenticated: Bool
        switch step {
        case nil: authenticated = false
        case .hello: authenticated = !fallback
        case .auth, .select: authenticated = true
        }
        let selected: Bool
        if case .select = step { selected = true } else { selected = false }

        if !authenticated, let auth {
            return self.begin(.auth(username: auth.username, password: auth.password), protocolVersion: protocolVersion)
        }
        if !selected, self.setup.database != 0 {
            return self.begin(.select(database: self.setup.database), protocolVersion: protocolVersion)
        }
        self.state = .active(protocolVersion: protocolVersion)
        self.handshakeDeadline = nil
        return .handshakeSucceeded(protocolVersion: protocolVersion)
    }

    private mutating func closeNow(_ error: RESPConnectionError) -> Action {
        let wasHandshaking: Bool
        switch self.state {
        case .closed: return .none
        case .initialized, .handshaking: wasHandshaking = true
        case .active: wasHandshaking = false
        }
        self.state = .closed
        let failing = self.pending.map(\.promise)
        self.pending.removeAll()
        return .close(error, failing: failing, handshakeFailed: wasHandshaking)
    }
}
