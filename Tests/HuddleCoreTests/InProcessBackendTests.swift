import HuddleCore
import Synchronization
import Testing

@Suite struct InProcessBrokerTests {
    final class Inbox: Sendable {
        let messages = Mutex<[BrokerDelivery]>([])
        func add(_ delivery: BrokerDelivery) { self.messages.withLock { $0.append(delivery) } }
        var count: Int { self.messages.withLock { $0.count } }
    }

    @Test func deliversToEverySubscriberOfTheChannelOnly() async throws {
        let broker = InProcessBroker()
        let a = Inbox(), b = Inbox(), other = Inbox()
        let subA = try await broker.subscribe(to: "c:1") { a.add($0) }
        _ = try await broker.subscribe(to: "c:1") { b.add($0) }
        _ = try await broker.subscribe(to: "c:2") { other.add($0) }
        let message = BrokerMessage(kind: .event, offset: 1, frame: "{}")
        try await broker.publish(message, to: "c:1")
        #expect(a.messages.withLock { $0 } == [.message(message)])
        #expect(b.count == 1)
        #expect(other.count == 0)

        await subA.cancel()
        try await broker.publish(message, to: "c:1")
        #expect(a.count == 1, "a cancelled subscription gets nothing more")
        #expect(b.count == 2)
    }

    @Test func forgetsChannelsWithoutSubscribers() async throws {
        let broker = InProcessBroker()
        let subscription = try await broker.subscribe(to: "c:1") { _ in }
        #expect(broker.channelCount == 1)
        await subscription.cancel()
        #expect(broker.channelCount == 0)
    }
}

@Suite struct InProcessPresenceTests {
    @Test func tracksMembersInJoinOrderOncePerConnection() async throws {
        let presence = InProcessPresence()
        let ada = PresenceMember(id: "1", name: "Ada")
        let bo = PresenceMember(id: "2", name: "Bo")
        await presence.join(ada, channel: "board:1")
        await presence.join(bo, channel: "board:1")
        await presence.join(ada, channel: "board:1")
        #expect(await presence.members(of: "board:1") == [ada, bo])
        await presence.leave(memberID: "1", channel: "board:1")
        #expect(await presence.members(of: "board:1") == [bo])
        #expect(await presence.members(of: "board:2") == [])
    }
}
