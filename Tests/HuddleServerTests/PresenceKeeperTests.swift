import HuddleCore
@testable import HuddleGateway
@testable import HuddleServer
import Logging
import Synchronization
import Testing

@Suite struct PresenceKeeperTests {
    /// Presence whose entries "expire" on demand, standing in for a cluster backend whose
    /// other replica died.
    final class ExpiringPresence: Presence {
        let base = InProcessPresence()
        let refreshed = Mutex<[String: [PresenceMember]]>([:])
        let expired = Mutex<[String: [PresenceMember]]>([:])

        func join(_ member: PresenceMember, channel: String) async throws { await self.base.join(member, channel: channel) }
        func leave(memberID: String, channel: String) async throws { await self.base.leave(memberID: memberID, channel: channel) }
        func members(of channel: String) async throws -> [PresenceMember] { await self.base.members(of: channel) }
        func refresh(_ members: [PresenceMember], channel: String) async throws {
            self.refreshed.withLock { $0[channel] = members }
        }
        func reapExpired(channel: String) async throws -> [PresenceMember] {
            self.expired.withLock { $0.removeValue(forKey: channel) ?? [] }
        }
    }

    @Test func refreshesLocalMembersAndAnnouncesTheExpired() async throws {
        let presence = ExpiringPresence()
        let fixture = GatewayFixture(presence: presence)
        let client = fixture.connect(name: "Ada")
        _ = try await client.next("welcome")
        try fixture.subscribe(client, "note:room")
        _ = try await client.next("presence")

        let ghost = PresenceMember(id: "gone", name: "Ghost")
        presence.expired.withLock { $0["note:room"] = [ghost] }
        let keeper = PresenceKeeper(
            gateway: fixture.gateway, presence: presence, broker: fixture.broker, interval: .seconds(60),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        await keeper.tick()

        #expect(presence.refreshed.withLock { $0["note:room"]?.map(\.name) } == ["Ada"])
        let left = try await client.next("presence")
        #expect(left["action"] as? String == "leave")
        #expect((left["member"] as? [String: Any])?["id"] as? String == "gone")
    }
}
