import Foundation
import NIOCore
import RESP
import Testing

@Suite("Sentinel against real Sentinels", .enabled(if: RedisRig.hasSentinels, RedisRig.skipReason), .serialized, .timeLimit(.minutes(3)))
struct RESPSentinelIntegrationTests {
    private func client(masterName: String) -> RESPClient {
        RESPClient(
            endpoint: .sentinel(
                RESPSentinelConfiguration(
                    sentinels: RedisRig.sentinels,
                    masterName: masterName,
                    authentication: RedisRig.sentinelPassword.map { RESPAuthentication(password: $0) }
                )
            ),
            configuration: .init(
                connection: RedisRig.connectionConfiguration(),
                connectAttempts: 5,
                backoff: RESPBackoff(initial: .milliseconds(50), maximum: .milliseconds(500))
            ),
            logger: RedisRig.logger
        )
    }

    @Test("the client finds the master through the Sentinels")
    func resolves() async throws {
        try await withClient(self.client(masterName: RedisRig.masterName ?? "huddle")) { client in
            let address = try await client.withConnection { $0.address }
            #expect(address == RedisRig.master)
            #expect(try await client.execute(ROLE()).isMaster)
        }
    }

    @Test("a Sentinel with a wrong password is skipped, not fatal")
    func wrongSentinelPassword() async throws {
        let client = RESPClient(
            endpoint: .sentinel(.init(sentinels: RedisRig.sentinels, masterName: "huddle", authentication: .init(password: "wrong"))),
            configuration: .init(connection: RedisRig.connectionConfiguration(), connectAttempts: 1),
            logger: RedisRig.logger
        )
        await #expect(throws: RESPSentinelError.noSentinelReachable) { _ = try await client.execute(PING()) }
    }

    /// kill -9 the master: after Sentinel promotes the replica, the same client writes again
    /// (without a restart) and its subscription is back, with a gap reported. Counts outcomes;
    /// the deadline is only a hang guard.
    @Test("failover: kill -9 the master and the client follows the promoted replica")
    func failover() async throws {
        let pid = try #require(RedisRig.failoverMasterPID)
        let masterName = try #require(RedisRig.failoverMasterName)
        let key = RedisRig.key("failover")
        let channel = RedisRig.key("failover-channel")
        let (deliveries, sink) = AsyncStream.makeStream(of: RESPSubscriptionDelivery.self, bufferingPolicy: .bufferingNewest(1000))

        try await withClient(self.client(masterName: masterName)) { client in
            let oldMaster = try await client.withConnection { $0.address }
            let subscription = try await client.subscribe(to: channel) { sink.yield($0) }
            var acknowledged = 0
            var attempted = 0
            // An increment counts as acknowledged once a replica has it (INCR then WAIT 1).
            @Sendable func increment() async throws -> Bool {
                try await client.withConnection { connection in
                    _ = try await connection.execute(INCR(key))
                    return try await connection.execute(WAIT(replicas: 1, timeoutMilliseconds: 1000)) >= 1
                }
            }
            for _ in 0..<20 {
                attempted += 1
                if try await increment() { acknowledged += 1 }
            }
            #expect(acknowledged == 20)

            #expect(kill(pid, SIGKILL) == 0)

            var failures = 0
            var successesAfterKill = 0
            let guardDeadline = ContinuousClock.now + .seconds(120)
            while successesAfterKill < 20, ContinuousClock.now < guardDeadline {
                attempted += 1
                do {
                    // After the promotion the new master has no replica: WAIT says 0 then.
                    _ = try await client.execute(INCR(key))
                    successesAfterKill += 1
                    acknowledged += 1
                } catch {
                    failures += 1
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            #expect(successesAfterKill == 20, "writes never recovered (\(failures) failures)")
            let newMaster = try await client.withConnection { $0.address }
            #expect(newMaster != oldMaster)
            #expect(try await client.execute(ROLE()).isMaster)
            // Nothing acknowledged was lost; unacknowledged attempts may or may not have landed.
            let final = try #require(Int(try await client.execute(GET(key)).map { String(buffer: $0) } ?? ""))
            #expect(final >= acknowledged && final <= attempted)

            // The subscription followed: a gap first, then live messages again.
            var iterator = deliveries.makeAsyncIterator()
            #expect(await iterator.next() == .gap)
            var delivered = false
            for _ in 0..<50 where !delivered {
                _ = try await client.execute(PUBLISH(channel: channel, message: "after"))
                delivered = await iterator.next() == .message(ByteBuffer(string: "after"))
            }
            #expect(delivered)
            subscription.cancel()
        }
    }
}
