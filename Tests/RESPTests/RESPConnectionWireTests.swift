import Logging
import NIOCore
import NIOEmbedded
@testable import RESP
import Testing

@Suite("What a connection writes and how replies are matched")
struct RESPConnectionWireTests {
    private func connect(
        _ channel: NIOAsyncTestingChannel,
        configuration: RESPConnectionConfiguration,
        onPush: (@Sendable (RESPToken) -> Void)? = nil,
        handshake: (NIOAsyncTestingChannel) async throws -> Void
    ) async throws -> RESPConnection {
        try await channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 6379))
        async let connection = RESPConnection.setUp(
            channel: channel,
            address: nil,
            configuration: configuration,
            logger: Logger(label: "test"),
            onPush: onPush
        )
        try await handshake(channel)
        return try await connection
    }

    private func written(_ channel: NIOAsyncTestingChannel) async throws -> String {
        String(buffer: try await channel.waitForOutboundWrite(as: ByteBuffer.self))
    }

    @Test("HELLO 3 with AUTH, then SELECT, byte for byte")
    func handshake() async throws {
        let channel = NIOAsyncTestingChannel()
        let connection = try await self.connect(
            channel,
            configuration: .init(authentication: .init(username: "huddle", password: "s3cret"), database: 3)
        ) { channel in
            #expect(try await self.written(channel) == "*5\r\n$5\r\nHELLO\r\n$1\r\n3\r\n$4\r\nAUTH\r\n$6\r\nhuddle\r\n$6\r\ns3cret\r\n")
            try await channel.writeInbound(RESPValue.map([.init(.simpleString("proto"), .integer(3))]).encoded)
            #expect(try await self.written(channel) == "*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n")
            try await channel.writeInbound(ByteBuffer(string: "+OK\r\n"))
        }
        #expect(connection.protocolVersion == 3)
    }

    @Test("a password alone authenticates as the default user")
    func passwordOnly() async throws {
        let channel = NIOAsyncTestingChannel()
        _ = try await self.connect(channel, configuration: .init(authentication: .init(password: "pw"))) { channel in
            #expect(try await self.written(channel) == "*5\r\n$5\r\nHELLO\r\n$1\r\n3\r\n$4\r\nAUTH\r\n$7\r\ndefault\r\n$2\r\npw\r\n")
            try await channel.writeInbound(ByteBuffer(string: "%0\r\n"))
        }
    }

    @Test("a server without HELLO gets AUTH and stays on RESP2")
    func fallback() async throws {
        let channel = NIOAsyncTestingChannel()
        let connection = try await self.connect(channel, configuration: .init(authentication: .init(password: "pw"))) { channel in
            _ = try await self.written(channel)
            try await channel.writeInbound(ByteBuffer(string: "-ERR unknown command 'HELLO'\r\n"))
            #expect(try await self.written(channel) == "*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n")
            try await channel.writeInbound(ByteBuffer(string: "+OK\r\n"))
        }
        #expect(connection.protocolVersion == 2)
    }

    @Test("a refused password fails connecting with the server's error")
    func refused() async throws {
        let channel = NIOAsyncTestingChannel()
        await #expect {
            _ = try await self.connect(channel, configuration: .init(authentication: .init(password: "bad"))) { channel in
                _ = try await self.written(channel)
                try await channel.writeInbound(ByteBuffer(string: "-WRONGPASS invalid username-password pair or user is disabled.\r\n"))
            }
        } throws: { error in
            let error = error as? RESPConnectionError
            return error?.code == .handshakeFailed && (error?.underlying as? RESPError)?.prefix == "WRONGPASS"
        }
        #expect(!channel.isActive)
    }

    private func plain(_ channel: NIOAsyncTestingChannel, commandTimeout: Duration = .seconds(5)) async throws -> RESPConnection {
        try await self.connect(channel, configuration: .init(protocolVersion: .resp2, commandTimeout: commandTimeout)) { _ in }
    }

    @Test("pipelined commands are written at once and replies matched in order")
    func pipelining() async throws {
        let channel = NIOAsyncTestingChannel()
        let connection = try await self.plain(channel)
        let first = Task { try await connection.execute(INCR("a")) }
        #expect(try await self.written(channel) == "*2\r\n$4\r\nINCR\r\n$1\r\na\r\n")
        let second = Task { try await connection.execute(GET("b")) }
        #expect(try await self.written(channel) == "*2\r\n$3\r\nGET\r\n$1\r\nb\r\n")
        let third = Task { try await connection.execute(SET("c", value: "v", condition: .ifNotExists, expiration: .milliseconds(1500))) }
        #expect(try await self.written(channel) == "*6\r\n$3\r\nSET\r\n$1\r\nc\r\n$1\r\nv\r\n$2\r\nNX\r\n$2\r\nPX\r\n$4\r\n1500\r\n")
        // All three replies arrive in one read.
        try await channel.writeInbound(ByteBuffer(string: ":7\r\n$5\r\nhello\r\n$-1\r\n"))
        #expect(try await first.value == 7)
        #expect(try await second.value.map { String(buffer: $0) } == "hello")
        #expect(try await third.value == false)
    }

    @Test("an error reply fails only its own command, with the prefix split off")
    func errorReply() async throws {
        let channel = NIOAsyncTestingChannel()
        let connection = try await self.plain(channel)
        let write = Task { try await connection.execute(INCR("k")) }
        _ = try await self.written(channel)
        let read = Task { try await connection.execute(PING()) }
        _ = try await self.written(channel)
        try await channel.writeInbound(ByteBuffer(string: "-READONLY You can't write against a read only replica.\r\n+PONG\r\n"))
        await #expect(throws: RESPError(prefix: "READONLY", message: "You can't write against a read only replica.")) { try await write.value }
        #expect(try await read.value == "PONG")
        #expect(channel.isActive)
    }

    @Test("a command without a reply in time closes the connection and fails everything pending")
    func timeout() async throws {
        let channel = NIOAsyncTestingChannel()
        let connection = try await self.plain(channel, commandTimeout: .seconds(2))
        let first = Task { try await connection.execute(GET("a")) }
        _ = try await self.written(channel)
        let second = Task { try await connection.execute(GET("b"), timeout: .seconds(30)) }
        _ = try await self.written(channel)
        await channel.testingEventLoop.advanceTime(by: .seconds(1))
        #expect(channel.isActive)
        await channel.testingEventLoop.advanceTime(by: .seconds(1))
        for task in [first, second] {
            await #expect { try await task.value } throws: { ($0 as? RESPConnectionError)?.code == .timeout }
        }
        #expect(!channel.isActive)
        await #expect { try await connection.execute(PING()) } throws: { ($0 as? RESPConnectionError)?.code == .connectionClosed }
    }

    @Test("garbage from the server fails pending commands and closes")
    func garbage() async throws {
        let channel = NIOAsyncTestingChannel()
        let connection = try await self.plain(channel)
        let pending = Task { try await connection.execute(PING()) }
        _ = try await self.written(channel)
        _ = try? await channel.writeInbound(ByteBuffer(string: "?what\r\n"))
        await #expect { try await pending.value } throws: { ($0 as? RESPConnectionError)?.code == .decodeFailed }
        #expect(!channel.isActive)
    }

    @Test("pushes go to the push handler, not to a pending command")
    func pushes() async throws {
        let channel = NIOAsyncTestingChannel()
        let received = AsyncStream.makeStream(of: RESPValue.self)
        let connection = try await self.connect(channel, configuration: .init(), onPush: { received.continuation.yield(RESPValue($0)) }) { channel in
            _ = try await self.written(channel)
            try await channel.writeInbound(ByteBuffer(string: "%0\r\n"))
        }
        let ping = Task { try await connection.execute(PING()) }
        _ = try await self.written(channel)
        try await channel.writeInbound(ByteBuffer(string: ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n+PONG\r\n"))
        #expect(try await ping.value == "PONG")
        var iterator = received.stream.makeAsyncIterator()
        let push = await iterator.next()
        #expect(push == .push([.bulkString(ByteBuffer(string: "message")), .bulkString(ByteBuffer(string: "ch")), .bulkString(ByteBuffer(string: "hi"))]))
    }
}
