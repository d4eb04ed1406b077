public import HuddleCore
import Testing

/// The ``Presence`` contract. Each backend's test target runs every check against it.
public enum PresenceContract {
    public static func tracksEachMemberOnceUntilTheyLeave(_ presence: any Presence) async throws {
        let channel = "room:\(UInt32.random(in: 0...UInt32.max))"
        let ada = PresenceMember(id: "1", name: "Ada <b>")
        let bo = PresenceMember(id: "2", name: "Bo")
        try await presence.join(ada, channel: channel)
        try await presence.join(bo, channel: channel)
        try await presence.join(ada, channel: channel)
        #expect(Set(try await presence.members(of: channel)) == [ada, bo])
        try await presence.leave(memberID: "1", channel: channel)
        #expect(try await presence.members(of: channel) == [bo])
        #expect(try await presence.members(of: channel + "x") == [])
        try await presence.refresh([bo], channel: channel)
        #expect(try await presence.reapExpired(channel: channel) == [], "a refreshed member does not expire")
        #expect(try await presence.members(of: channel) == [bo])
    }
}
