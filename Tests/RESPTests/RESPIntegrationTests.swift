import Foundation
import NIOCore
import RESP
import Synchronization
import Testing

@Suite("Against a real redis-server", .enabled(if: RedisRig.isAvailable, RedisRig.skipReason), .serialized, .timeLimit(.minutes(3)))
struct RESPIntegrationTests {
    @Test("commands Huddle needs, on RESP3 and RESP2", arguments: [RESPConnectionConfiguration.ProtocolVersion.resp3, .resp2])
    func commands(_ version: RESPConnectionConfiguration.ProtocolVersion) async throws {
        let connection = try await RedisRig.connect(version)
        #expect(connection.protocolVersion == (version == .resp3 ? 3 : 2))
        let key = RedisRig.key("commands")
        #expect(try await connection.execute(PING()) == "PONG")
        #expect(try await connection.execute(GET(key)) == nil)
        #expect(try await connection.execute(SET(key, value: "v1")))
        #expect(try await connection.execute(SET(key, value: "v2", condition: .ifNotExists)) == false)
        #expect(try await connection.execute(GET(key)).map { String(buffer: $0) } == "v1")
        #expect(try await connection.execute(DEL(key)) == 1)
        #expect(try await connection.execute(INCR(key)) == 1)
        #expect(try await connection.execute(INCRBY(key, by: 41)) == 42)
        #expect(try await connection.execute(EXPIRE(key, seconds: 60)))
        #expect(try await connection.execute(PEXPIRE(key + ":absent", milliseconds: 60)) == false)
        // The rig has one replica in sync.
        #expect(try await connection.execute(WAIT(replicas: 1, timeoutMilliseconds: 5000)) == 1)

        let hash = key + ":h"
        #expect(try await connection.execute(HSET(hash, fields: [("a", "1"), ("b", "2")])) == 2)
        #expect(try await connection.execute(HGETALL(hash)).mapValues { String(buffer: $0) } == ["a": "1", "b": "2"])
        #expect(try await connection.execute(HDEL(hash, fields: ["a"])) == 1)

        let zset = key + ":z"
        #expect(try await connection.execute(ZADD(zset, members: [(10, "alice"), (20, "bob"), (30, "carol")])) == 3)
        #expect(try await connection.execute(ZRANGEBYSCORE(zset, from: .exclusive(10), to: .positiveInfinity)).map { String(buffer: $0) } == ["bob", "carol"])
        #expect(try await connection.execute(ZREMRANGEBYSCORE(zset, from: .negativeInfinity, to: .inclusive(20))) == 2)
        #expect(try await connection.execute(ZREM(zset, members: ["carol"])) == 1)

        #expect(try await connection.execute(PUBLISH(channel: key, message: "nobody")) == 0)
        #expect(try await connection.execute(ROLE()).isMaster)
        let sum = try await connection.execute(EVAL("return tonumber(ARGV[1]) + 1", arguments: [41]))
        #expect(try Int(fromRESP: sum) == 42)
        await #expect(throws: RESPError.self) { try await connection.execute(RawCommand(["NOSUCHCOMMAND"])) }
        _ = try await connection.execute(DEL(keys: [key, hash, zset]))
        await connection.close()
    }

    @Test("a wrong password is refused with WRONGPASS; none at all with NOAUTH")
    func authentication() async throws {
        await #expect {
            _ = try await RESPConnection.connect(to: RedisRig.master!, configuration: .init(authentication: .init(password: "wrong")))
        } throws: { error in
            ((error as? RESPConnectionError)?.underlying as? RESPError)?.prefix == "WRONGPASS"
        }
        let anonymous = try await RESPConnection.connect(to: RedisRig.master!, configuration: .init(protocolVersion: .resp2))
        await #expect { try await anonymous.execute(GET("x")) } throws: { ($0 as? RESPError)?.prefix == "NOAUTH" }
        await anonymous.close()
    }

    @Test("hundreds of concurrent commands on one connection are pipelined and each gets its own reply")
    func pipelining() async throws {
        let connection = try await RedisRig.connect()
        let key = RedisRig.key("pipeline")
        let results = try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<500 { group.addTask { try await connection.execute(INCR(key)) } }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(results.sorted() == Array(1...500))
        _ = try await connection.execute(DEL(key))
        await connection.close()
    }

    @Test("the pool serves more callers than it has connections")
    func pool() async throws {
        let client = RESPClient(
            endpoint: .standalone(RedisRig.master!),
            configuration: .init(connection: RedisRig.connectionConfiguration(), maximumConnections: 3),
            logger: RedisRig.logger
        )
        let key = RedisRig.key("pool")
        try await withClient(client) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<200 { group.addTask { _ = try await client.execute(INCR(key)) } }
                try await group.waitForAll()
            }
            #expect(try await client.execute(GET(key)).map { String(buffer: $0) } == "200")
            // INCR and WAIT on the same connection: WAIT counts that connection's writes.
            let acknowledged = try await client.withConnection { connection in
                _ = try await connection.execute(INCR(key))
                return try await connection.execute(WAIT(replicas: 1, timeoutMilliseconds: 5000))
            }
            #expect(acknowledged == 1)
            _ = try await client.execute(DEL(key))
        }
    }

    @Test("closure-scoped subscription receives what is published, in order")
    func subscribeScoped() async throws {
        let client = RESPClient(endpoint: .standalone(RedisRig.master!), configuration: .init(connection: RedisRig.connectionConfiguration()), logger: RedisRig.logger)
        let channel = RedisRig.key("scoped")
        let received = try await withClient(client) { client in
            try await client.subscribe(to: [channel]) { messages in
                for index in 0..<20 { _ = try await client.execute(PUBLISH(channel: channel, message: .string("m\(index)"))) }
                var received: [String] = []
                for try await message in messages {
                    guard case .message(let payload) = message.delivery else { continue }
                    received.append(String(buffer: payload))
                    if received.count == 20 { break }
                }
                return received
            }
        }
        #expect(received == (0..<20).map { "m\($0)" })
    }

    @Test("after the subscription connection is killed it resubscribes and reports a gap", arguments: [RESPConnectionConfiguration.ProtocolVersion.resp3, .resp2])
    func resubscribe(_ version: RESPConnectionConfiguration.ProtocolVersion) async throws {
        let client = RESPClient(
            endpoint: .standalone(RedisRig.master!),
            configuration: .init(connection: RedisRig.connectionConfiguration(version), backoff: RESPBackoff(initial: .milliseconds(50))),
            logger: RedisRig.logger
        )
        let channel = RedisRig.key("resubscribe")
        let (deliveries, sink) = AsyncStream.makeStream(of: RESPSubscriptionDelivery.self, bufferingPolicy: .bufferingNewest(1000))
        try await withClient(client) { client in
            let subscription = try await client.subscribe(to: channel) { sink.yield($0) }
            _ = try await client.execute(PUBLISH(channel: channel, message: "before"))
            var iterator = deliveries.makeAsyncIterator()
            #expect(await iterator.next() == .message(ByteBuffer(string: "before")))

            // Kill every pub/sub connection on the server: ours among them.
            let killed = try await client.execute(RawCommand(["CLIENT", "KILL", "TYPE", "pubsub"]))
            #expect(try Int(fromRESP: killed) >= 1)
            #expect(await iterator.next() == .gap)

            // The gap is reported only once SUBSCRIBE is confirmed again, so this arrives.
            _ = try await client.execute(PUBLISH(channel: channel, message: "after"))
            #expect(await iterator.next() == .message(ByteBuffer(string: "after")))
            subscription.cancel()
        }
    }

    @Test("two subscribers of one channel share one upstream subscription")
    func referenceCounting() async throws {
        let client = RESPClient(endpoint: .standalone(RedisRig.master!), configuration: .init(connection: RedisRig.connectionConfiguration()), logger: RedisRig.logger)
        let channel = RedisRig.key("refcount")
        let (firstStream, firstSink) = AsyncStream.makeStream(of: RESPSubscriptionDelivery.self, bufferingPolicy: .bufferingNewest(100))
        let (secondStream, secondSink) = AsyncStream.makeStream(of: RESPSubscriptionDelivery.self, bufferingPolicy: .bufferingNewest(100))
        try await withClient(client) { client in
            let first = try await client.subscribe(to: channel) { firstSink.yield($0) }
            let second = try await client.subscribe(to: channel) { secondSink.yield($0) }
            var firstMessages = firstStream.makeAsyncIterator()
            var secondMessages = secondStream.makeAsyncIterator()
            #expect(try await client.execute(PUBLISH(channel: channel, message: "one")) == 1)  // one upstream subscriber
            #expect(await firstMessages.next() == .message(ByteBuffer(string: "one")))
            #expect(await secondMessages.next() == .message(ByteBuffer(string: "one")))
            first.cancel()
            #expect(try await client.execute(PUBLISH(channel: channel, message: "two")) == 1)
            #expect(await secondMessages.next() == .message(ByteBuffer(string: "two")))
            second.cancel()
            // UNSUBSCRIBE is sent without a reply of its own; poll until Redis processed it.
            var receivers = 1
            for _ in 0..<100 where receivers != 0 {
                receivers = try await client.execute(PUBLISH(channel: channel, message: "three"))
                if receivers != 0 { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(receivers == 0)
        }
    }
}
