import NIOCore
@testable import RESP
import Testing

@Suite("Commands on the wire")
struct RESPCommandEncodingTests {
    private func wire(_ command: some RESPCommand) -> String {
        String(buffer: command.encoded)
    }

    @Test("a command's name is read back from its bytes, for spans")
    func commandName() {
        #expect(RESPCommandEncoder.commandName(in: INCRBY("n", by: 2).encoded) == "INCRBY")
        #expect(RESPCommandEncoder.commandName(in: RawCommand(["client", "setname", "x"]).encoded) == "CLIENT")
        #expect(RESPCommandEncoder.commandName(in: ByteBuffer(string: "PING\r\n")) == "COMMAND")
        #expect(RESPCommandEncoder.commandName(in: ByteBuffer(string: "*1\r\n$99\r\nPING\r\n")) == "COMMAND")
        #expect(RESPCommandEncoder.commandName(in: ByteBuffer()) == "COMMAND")
    }

    @Test("commands are arrays of bulk strings")
    func encoding() {
        #expect(self.wire(PING()) == "*1\r\n$4\r\nPING\r\n")
        #expect(self.wire(AUTH(password: "pw")) == "*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n")
        #expect(self.wire(AUTH(username: "u", password: "pw")) == "*3\r\n$4\r\nAUTH\r\n$1\r\nu\r\n$2\r\npw\r\n")
        #expect(self.wire(INCRBY("n", by: -5)) == "*3\r\n$6\r\nINCRBY\r\n$1\r\nn\r\n$2\r\n-5\r\n")
        #expect(self.wire(DEL("a", "b")) == "*3\r\n$3\r\nDEL\r\n$1\r\na\r\n$1\r\nb\r\n")
        #expect(self.wire(PEXPIRE("k", milliseconds: 250)) == "*3\r\n$7\r\nPEXPIRE\r\n$1\r\nk\r\n$3\r\n250\r\n")
        #expect(self.wire(WAIT(replicas: 1, timeoutMilliseconds: 100)) == "*3\r\n$4\r\nWAIT\r\n$1\r\n1\r\n$3\r\n100\r\n")
        #expect(self.wire(PUBLISH(channel: "c", message: ByteBuffer(bytes: [0, 1]))) == "*3\r\n$7\r\nPUBLISH\r\n$1\r\nc\r\n$2\r\n\u{0}\u{1}\r\n")
        #expect(self.wire(HSET("h", fields: [("f", "v")])) == "*4\r\n$4\r\nHSET\r\n$1\r\nh\r\n$1\r\nf\r\n$1\r\nv\r\n")
        #expect(self.wire(ZADD("z", members: [(1.5, "m")], condition: .onlyGreater, countChanged: true)) == "*6\r\n$4\r\nZADD\r\n$1\r\nz\r\n$2\r\nGT\r\n$2\r\nCH\r\n$3\r\n1.5\r\n$1\r\nm\r\n")
        #expect(self.wire(ZRANGEBYSCORE("z", from: .exclusive(1), to: .positiveInfinity, limit: (0, 10))) == "*7\r\n$13\r\nZRANGEBYSCORE\r\n$1\r\nz\r\n$4\r\n(1.0\r\n$4\r\n+inf\r\n$5\r\nLIMIT\r\n$1\r\n0\r\n$2\r\n10\r\n")
        #expect(self.wire(ZREMRANGEBYSCORE("z", from: .negativeInfinity, to: .inclusive(99))) == "*4\r\n$16\r\nZREMRANGEBYSCORE\r\n$1\r\nz\r\n$4\r\n-inf\r\n$4\r\n99.0\r\n")
        #expect(self.wire(SENTINEL_GET_MASTER_ADDR_BY_NAME(masterName: "m")) == "*3\r\n$8\r\nSENTINEL\r\n$23\r\nGET-MASTER-ADDR-BY-NAME\r\n$1\r\nm\r\n")
        #expect(self.wire(EVALSHA("abc", keys: ["k"], arguments: [5])) == "*5\r\n$7\r\nEVALSHA\r\n$3\r\nabc\r\n$1\r\n1\r\n$1\r\nk\r\n$1\r\n5\r\n")
        #expect(self.wire(SUBSCRIBE(channels: ["a", "b"])) == "*3\r\n$9\r\nSUBSCRIBE\r\n$1\r\na\r\n$1\r\nb\r\n")
        #expect(self.wire(SET("k", value: "v", expiration: .seconds(9))) == "*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n$2\r\nEX\r\n$1\r\n9\r\n")
    }

    @Test("error replies are split into prefix and message")
    func errors() {
        #expect(RESPError(message: "READONLY You can't write against a read only replica.") == RESPError(prefix: "READONLY", message: "You can't write against a read only replica."))
        #expect(RESPError(message: "MOVED 3999 127.0.0.1:6381").prefix == "MOVED")
        #expect(RESPError(message: "NOAUTH Authentication required.").isAuthenticationError)
        #expect(RESPError(message: "something odd") == RESPError(prefix: "", message: "something odd"))
    }

    @Test("ROLE replies decode for master, replica and sentinel")
    func role() throws {
        let master = try RESPToken(validating: RESPValue.array([
            .bulkString(ByteBuffer(string: "master")), .integer(3129659),
            .array([.array([.bulkString(ByteBuffer(string: "127.0.0.1")), .bulkString(ByteBuffer(string: "9001")), .bulkString(ByteBuffer(string: "3129242"))])]),
        ]).encoded)
        #expect(try RESPRole(fromRESP: master) == .master(replicationOffset: 3129659, replicas: [RESPServerAddress(host: "127.0.0.1", port: 9001)]))
        let replica = try RESPToken(validating: RESPValue.array([
            .bulkString(ByteBuffer(string: "slave")), .bulkString(ByteBuffer(string: "127.0.0.1")), .integer(9000),
            .bulkString(ByteBuffer(string: "connected")), .integer(3167038),
        ]).encoded)
        #expect(try RESPRole(fromRESP: replica) == .replica(master: RESPServerAddress(host: "127.0.0.1", port: 9000), state: "connected"))
        let sentinel = try RESPToken(validating: RESPValue.array([.bulkString(ByteBuffer(string: "sentinel")), .array([.bulkString(ByteBuffer(string: "huddle"))])]).encoded)
        #expect(try RESPRole(fromRESP: sentinel) == .sentinel(masterNames: ["huddle"]))
    }

    @Test("addresses, switch-master events and backoff")
    func helpers() {
        #expect(RESPServerAddress("127.0.0.1:26379") == RESPServerAddress(host: "127.0.0.1", port: 26379))
        #expect(RESPServerAddress("[::1]:6379") == RESPServerAddress(host: "::1", port: 6379))
        #expect(RESPServerAddress("nohost") == nil)
        #expect(RESPServerAddress("h:0") == nil)
        let event = RESPSwitchMasterEvent(ByteBuffer(string: "huddle 127.0.0.1 7000 127.0.0.1 7001"))
        #expect(event?.new == RESPServerAddress(host: "127.0.0.1", port: 7001))
        #expect(event?.masterName == "huddle")
        let backoff = RESPBackoff(initial: .milliseconds(100), maximum: .seconds(1))
        #expect(backoff.ceiling(attempt: 0) == .milliseconds(100))
        #expect(backoff.ceiling(attempt: 3) == .milliseconds(800))
        #expect(backoff.ceiling(attempt: 60) == .seconds(1))
        var generator = SplitMix64(seed: 7)
        for attempt in 0..<20 {
            let delay = backoff.delay(attempt: attempt, using: &generator)
            #expect(delay >= .zero && delay <= backoff.ceiling(attempt: attempt))
        }
    }
}
