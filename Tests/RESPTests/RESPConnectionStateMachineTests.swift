import NIOCore
@testable import RESP
import Testing

@Suite("Connection state machine, without sockets")
struct RESPConnectionStateMachineTests {
    typealias Machine = RESPConnectionStateMachine<Int>

    private func token(_ value: RESPValue) -> RESPToken {
        try! RESPToken(validating: value.encoded)
    }

    private func machine(
        password: String? = nil,
        username: String? = nil,
        database: Int = 0,
        resp3: Bool = true,
        subscriberMode: Bool = false
    ) -> Machine {
        Machine(
            setup: .init(
                authentication: password.map { RESPAuthentication(username: username, password: $0) },
                database: database,
                preferRESP3: resp3,
                clientName: nil,
                subscriberMode: subscriberMode
            )
        )
    }

    private let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @Test("HELLO 3 with AUTH, then SELECT, then ready on RESP3")
    func fullHandshake() {
        var machine = self.machine(password: "pw", username: "huddle", database: 2)
        guard case .sendHandshake(.hello(username: "huddle", password: "pw", clientName: nil)) = machine.connected(handshakeDeadline: self.start)
        else { Issue.record("expected HELLO"); return }
        guard case .sendHandshake(.select(database: 2)) = machine.received(self.token(.map([]))) else {
            Issue.record("expected SELECT"); return
        }
        guard case .handshakeSucceeded(protocolVersion: 3) = machine.received(self.token(.simpleString("OK"))) else {
            Issue.record("expected ready"); return
        }
        #expect(machine.isActive)
    }

    @Test("an old server without HELLO falls back to AUTH on RESP2")
    func helloUnknown() {
        var machine = self.machine(password: "pw")
        _ = machine.connected(handshakeDeadline: self.start)
        guard case .sendHandshake(.auth(username: nil, password: "pw")) = machine.received(self.token(.simpleError("ERR unknown command 'HELLO'")))
        else { Issue.record("expected AUTH"); return }
        guard case .handshakeSucceeded(protocolVersion: 2) = machine.received(self.token(.simpleString("OK"))) else {
            Issue.record("expected ready on RESP2"); return
        }
    }

    @Test("a wrong password fails the handshake and closes")
    func wrongPassword() {
        var machine = self.machine(password: "nope")
        _ = machine.connected(handshakeDeadline: self.start)
        guard case .close(let error, let failing, handshakeFailed: true) = machine.received(self.token(.simpleError("WRONGPASS invalid username-password pair")))
        else { Issue.record("expected close"); return }
        #expect(error.code == .handshakeFailed)
        #expect((error.underlying as? RESPError)?.prefix == "WRONGPASS")
        #expect(failing.isEmpty)
        #expect(machine.isClosed)
    }

    @Test("RESP2 without password or database is ready at once")
    func nothingToDo() {
        var machine = self.machine(resp3: false)
        guard case .handshakeSucceeded(protocolVersion: 2) = machine.connected(handshakeDeadline: self.start) else {
            Issue.record("expected ready"); return
        }
    }

    private func active(subscriberMode: Bool = false, resp3: Bool = false) -> Machine {
        var machine = self.machine(resp3: resp3, subscriberMode: subscriberMode)
        if resp3 {
            _ = machine.connected(handshakeDeadline: self.start)
            _ = machine.received(self.token(.map([])))
        } else {
            _ = machine.connected(handshakeDeadline: self.start)
        }
        return machine
    }

    @Test("pipelined replies complete commands in the order they were sent")
    func fifo() {
        var machine = self.active()
        for id in 1...3 {
            guard case .writeCommand = machine.send(id, deadline: self.start + .seconds(5)) else { Issue.record("not written"); return }
        }
        var completed: [Int] = []
        for value in [RESPValue.integer(1), .simpleError("ERR boom"), .bulkString(ByteBuffer(string: "x"))] {
            switch machine.received(self.token(value)) {
            case .succeed(let id, _): completed.append(id)
            case .fail(let id, let error):
                completed.append(-id)
                #expect((error as? RESPError) == RESPError(prefix: "ERR", message: "boom"))
            default: Issue.record("unexpected action")
            }
        }
        #expect(completed == [1, -2, 3])
        #expect(machine.pendingCount == 0)
    }

    @Test("pushes do not consume a pending reply")
    func pushes() {
        var machine = self.active(resp3: true)
        _ = machine.send(1, deadline: self.start + .seconds(5))
        guard case .deliverPush = machine.received(self.token(.push([.bulkString(ByteBuffer(string: "message"))]))) else {
            Issue.record("expected push"); return
        }
        guard case .succeed(1, _) = machine.received(self.token(.simpleString("PONG"))) else { Issue.record("expected reply"); return }
    }

    @Test("in RESP2 subscriber mode arrays are pushes")
    func resp2Subscriber() {
        var machine = self.active(subscriberMode: true)
        guard case .deliverPush = machine.received(self.token(.array([.bulkString(ByteBuffer(string: "subscribe"))]))) else {
            Issue.record("expected push"); return
        }
    }

    @Test("a reply nobody asked for closes the connection")
    func unexpected() {
        var machine = self.active()
        guard case .close(let error, _, handshakeFailed: false) = machine.received(self.token(.integer(1))) else {
            Issue.record("expected close"); return
        }
        #expect(error.code == .unexpectedReply)
    }

    @Test("a timeout closes the connection and fails every pending command")
    func timeout() {
        var machine = self.active()
        _ = machine.send(1, deadline: self.start + .seconds(1))
        _ = machine.send(2, deadline: self.start + .seconds(5))
        #expect(machine.nextDeadline == self.start + .seconds(1))
        guard case .none = machine.timerFired(now: self.start + .milliseconds(500)) else { Issue.record("too early"); return }
        guard case .close(let error, let failing, handshakeFailed: false) = machine.timerFired(now: self.start + .seconds(1)) else {
            Issue.record("expected close"); return
        }
        #expect(error.code == .timeout)
        #expect(failing == [1, 2])
        // A late reply after the close is ignored, never matched to anything.
        guard case .none = machine.received(self.token(.integer(1))) else { Issue.record("late reply used"); return }
        guard case .fail(3, _) = machine.send(3, deadline: self.start + .seconds(9)) else { Issue.record("sent on closed"); return }
    }

    @Test("a handshake that takes too long fails the connect")
    func handshakeTimeout() {
        var machine = self.machine(password: "pw")
        _ = machine.connected(handshakeDeadline: self.start)
        guard case .close(let error, _, handshakeFailed: true) = machine.timerFired(now: self.start) else {
            Issue.record("expected close"); return
        }
        #expect(error.code == .timeout)
    }

    @Test("commands before the handshake finished are refused, not queued")
    func notReady() {
        var machine = self.machine(password: "pw")
        _ = machine.connected(handshakeDeadline: self.start)
        guard case .fail(1, let error) = machine.send(1, deadline: self.start) else { Issue.record("expected fail"); return }
        #expect((error as? RESPConnectionError)?.code == .notReady)
    }
}
