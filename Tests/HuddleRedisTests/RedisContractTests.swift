import Foundation
import HuddleCore
@testable import HuddleRedis
import PortContracts
import RESP
import Testing

/// The broker and presence backends a replica can run on.
enum SharedBackend: String, CaseIterable, CustomTestStringConvertible {
    case inProcess
    case redis

    var testDescription: String { self.rawValue }

    static var available: [SharedBackend] { RedisRig.isRunning ? Self.allCases : [.inProcess] }

    func withBroker(_ body: (any Broker) async throws -> Void) async throws {
        switch self {
        case .inProcess: try await body(InProcessBroker())
        case .redis: try await RedisRig.withStorage { try await body(RedisBroker(redis: $0)) }
        }
    }

    func withPresence(_ body: (any Presence) async throws -> Void) async throws {
        switch self {
        case .inProcess: try await body(InProcessPresence())
        case .redis: try await RedisRig.withStorage { try await body(RedisPresence(redis: $0, timeToLive: .seconds(30))) }
        }
    }
}

@Suite struct BrokerContractTests {
    @Test(arguments: SharedBackend.available)
    func deliversToEverySubscriberOfTheChannelInOrder(_ backend: SharedBackend) async throws {
        try await backend.withBroker { try await BrokerContract.deliversToEverySubscriberOfTheChannelInOrder($0) }
    }

    @Test(arguments: SharedBackend.available)
    func aCancelledSubscriptionGetsNothingMore(_ backend: SharedBackend) async throws {
        try await backend.withBroker { try await BrokerContract.aCancelledSubscriptionGetsNothingMore($0) }
    }
}

@Suite struct PresenceContractTests {
    @Test(arguments: SharedBackend.available)
    func tracksEachMemberOnceUntilTheyLeave(_ backend: SharedBackend) async throws {
        try await backend.withPresence { try await PresenceContract.tracksEachMemberOnceUntilTheyLeave($0) }
    }
}

@Suite(.enabled(if: RedisRig.isRunning, "needs scripts/redis-rig (run through scripts/test)"))
struct RedisBackendTests {
    @Test func countersKeepTheCountersContract() async throws {
        try await RedisRig.withStorage { redis in
            try await CountersContract.startAtZeroAndCountUpByOne(RedisCounters(redis: redis))
            try await CountersContract.concurrentIncrementsAreAtomic(RedisCounters(redis: redis))
            try await CountersContract.concurrentIncrementsOfManyCountersEachCountOnce(RedisCounters(redis: redis))
        }
    }

    @Test func anExpiredMemberIsReapedByExactlyOneReplica() async throws {
        let prefix = "test-\(UUID().uuidString.prefix(8)):"
        try await RedisRig.withStorage(prefix: prefix) { first in
            try await RedisRig.withStorage(prefix: prefix) { second in
                let short = RedisPresence(redis: first, timeToLive: .milliseconds(200))
                let other = RedisPresence(redis: second, timeToLive: .seconds(30))
                let ghost = PresenceMember(id: "ghost", name: "Ghost")
                let alive = PresenceMember(id: "alive", name: "Alive")
                try await short.join(ghost, channel: "board:1")
                try await other.join(alive, channel: "board:1")
                // The ghost's replica stops refreshing: wait past its time to live.
                try await Task.sleep(for: .milliseconds(600))
                let listed = try await other.members(of: "board:1")
                #expect(listed == [alive], "an expired member is not listed: \(listed)")
                async let a = short.reapExpired(channel: "board:1")
                async let b = other.reapExpired(channel: "board:1")
                let reaped = try await a + b
                #expect(reaped == [ghost], "reaped once, by one of the two")
                #expect(try await other.members(of: "board:1") == [alive])
            }
        }
    }

    @Test func foreignMessagesOnAChannelAreIgnored() async throws {
        try await RedisRig.withStorage { redis in
            let broker = RedisBroker(redis: redis)
            let (deliveries, input) = AsyncStream.makeStream(of: BrokerDelivery.self)
            let subscription = try await broker.subscribe(to: "board:9") { input.yield($0) }
            // Someone PUBLISHes by hand on the channel Huddle uses; then Huddle publishes.
            _ = try await redis.client.execute(PUBLISH(channel: redis.key("ch", "board:9"), message: "hello"))
            let ours = BrokerMessage(kind: .signal, origin: "c1", frame: "{}")
            try await broker.publish(ours, to: "board:9")
            var iterator = deliveries.makeAsyncIterator()
            #expect(await iterator.next() == .message(ours), "the foreign message was dropped, ours arrived")
            await subscription.cancel()
        }
    }
}

/// A CI run must exercise Redis: scripts/test starts the rig, so its absence is a bug.
@Suite struct RedisRigTests {
    @Test func ciRunsHaveTheRedisRig() {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(RedisRig.isRunning, "CI must run the Redis contract suites")
        }
    }
}
