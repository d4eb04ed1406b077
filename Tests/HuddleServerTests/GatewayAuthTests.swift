import HuddleCore
@testable import HuddleGateway
@testable import HuddleServer
import Testing

/// Identity on the realtime gateway: guests by default, `auth` frames, identity at connect,
/// and every command carrying who sent it.
@Suite struct GatewayAuthTests {
    @Test func anUnauthenticatedConnectionIsAGuestAndMayNotRunUserCommands() async throws {
        let fixture = GatewayFixture()
        let client = fixture.connect(name: nil)
        _ = try await client.next("welcome")
        try client.send(["type": "command", "id": "c1", "channel": "note:g", "name": "pin"])
        let error = try await client.next("error")
        #expect(error["id"] as? String == "c1")
        #expect(error["code"] as? String == "forbidden")
        // What guests may do still works.
        try client.send(["type": "command", "id": "c2", "channel": "counter:g", "name": "increment"])
        #expect(try await client.next("ack")["offset"] as? Int == 1)
    }

    @Test func anAuthFrameMakesTheConnectionActAsTheUser() async throws {
        let fixture = GatewayFixture()
        let client = fixture.connect(name: nil)
        _ = try await client.next("welcome")
        try client.send(["type": "auth", "token": "user:ada"])
        let authenticated = try await client.next("authenticated")
        #expect(authenticated["id"] as? String == "u-ada")
        #expect(authenticated["name"] as? String == "Ada")
        #expect(authenticated["role"] as? String == "user")
        #expect(authenticated["guest"] as? Bool == false)

        try client.send(["type": "command", "id": "c1", "channel": "note:a", "name": "pin"])
        #expect(try await client.next("ack")["offset"] as? Int == 1)
        let stored = await fixture.store.read("note:a", after: 0, limit: 10)
        #expect(stored.first?.data == #"{"by":"u-ada"}"#, "the command carried the identity")

        // Others see the user's display name in presence.
        try fixture.subscribe(client, "note:a", since: -1)
        let presence = try await client.next("presence")
        let members = try #require(presence["members"] as? [[String: Any]])
        #expect(members.map { $0["name"] as? String } == ["Ada"])
    }

    @Test func aRefusedTokenLeavesAGuestAndIsAnError() async throws {
        let fixture = GatewayFixture()
        let client = fixture.connect(name: nil)
        _ = try await client.next("welcome")
        try client.send(["type": "auth", "token": "forged", "id": "a1"])
        let error = try await client.next("error")
        #expect(error["code"] as? String == "unauthorized")
        #expect(error["id"] as? String == "a1")
        try client.send(["type": "auth"])
        #expect(try await client.next("error")["code"] as? String == "bad_request")
        try client.send(["type": "command", "id": "c1", "channel": "note:x", "name": "pin"])
        #expect(try await client.next("error")["code"] as? String == "forbidden")
    }

    @Test func identityCannotChangeAfterSubscribingButTheSameUserMayRenew() async throws {
        let fixture = GatewayFixture()
        let client = fixture.connect(name: nil)
        _ = try await client.next("welcome")
        try client.send(["type": "auth", "token": "user:bo"])
        _ = try await client.next("authenticated")
        try fixture.subscribe(client, "note:s", since: -1)
        _ = try await client.next("subscribed")
        try client.send(["type": "auth", "token": "admin:eve"])
        #expect(try await client.next("error")["code"] as? String == "bad_request")
        try client.send(["type": "auth", "token": "user:bo"])
        #expect(try await client.next("authenticated")["id"] as? String == "u-bo")
    }

    @Test func anIdentityGivenAtConnectIsAnnouncedAfterTheWelcome() async throws {
        let fixture = GatewayFixture()
        let identity = Identity(id: "u-1", name: "Grace", role: .admin, username: "grace")
        let client = fixture.connect(name: "ignored", identity: identity)
        let welcome = try await client.next()
        #expect(welcome["type"] as? String == "welcome")
        #expect(welcome["name"] as? String == "Grace")
        let authenticated = try await client.next()
        #expect(authenticated["type"] as? String == "authenticated")
        #expect(authenticated["role"] as? String == "admin")
    }
}
