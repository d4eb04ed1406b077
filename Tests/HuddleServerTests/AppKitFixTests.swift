import Foundation
import HuddleCore
@testable import HuddleGateway
@testable import HuddleServer
import Logging
import Synchronization
import Testing

/// Fixes found while making one way to build an app; each failed before its fix.
@Suite struct AppKitFixTests {
    static let ada = Identity.guest(id: "guest-ada", name: "Ada")

    /// A client that never answers the close frame must not hold a SIGTERM past the drain's
    /// timeout (the hang guard turns a drain that never returns into a failure).
    @Test func drainReturnsAtItsTimeoutWhenAClientNeverAnswersTheClose() async throws {
        let fixture = GatewayFixture()
        let client = fixture.connect(answersClose: false)
        _ = try await client.next("welcome")
        let returned = try await withDeadline(TestConnection.hangGuard) {
            await fixture.gateway.drain(timeout: .milliseconds(200))
            return true
        }
        #expect(returned)
        #expect(client.writer.closed.withLock { $0 } == .serviceRestart, "the close frame was still sent")
        #expect(fixture.gateway.connectionCount == 1, "the silent client is still there; the drain went on without it")
        client.disconnect()
        _ = try await client.closeReason()
    }

    /// A guest is one actor whichever way it talks: its own move over the WebSocket does not
    /// lock it out of moving the same box over HTTP.
    @Test func aGuestHoldsTheSoftLockAsOneActorOverWebSocketAndHTTP() async throws {
        let fixture = GatewayFixture()
        let guest = Identity.guest(id: "guest-bea", name: "Bea")
        let id = try await fixture.boards.create(name: "Plan", owner: Self.ada)
        let channel = fixture.boards.channel(id)
        let client = fixture.connect(identity: guest)
        _ = try await client.next("welcome")
        try fixture.subscribe(client, channel.description)
        _ = try await client.next("subscribed")
        try client.send(["type": "command", "id": "a", "channel": channel.description, "name": "addBox", "data": ["x": 10, "y": 10]])
        let added = try await client.next("event")
        let box = try #require((added["data"] as? [String: Any])?["id"] as? String)
        try client.send([
            "type": "command", "id": "m", "channel": channel.description, "name": "moveBox", "data": ["boxId": box, "x": 50, "y": 50],
        ])
        var ack = try await client.next("ack")
        while ack["id"] as? String == "a" { ack = try await client.next("ack") }
        #expect(ack["id"] as? String == "m")

        // The same guest, as the HTTP route runs it, within the 2 s lock.
        let moved = try await fixture.boards.app.run(.moveBox(id: box, x: 90, y: 90), on: channel, as: guest)
        #expect(moved.name == "boxMoved")
        client.disconnect()
    }

    /// A counter's replayed value is its last increment's, whose time is not kept: the frame
    /// says nothing rather than the time of the replay.
    @Test func aReplayedCounterCarriesNoMadeUpTime() async throws {
        let fixture = GatewayFixture()
        _ = try await fixture.counter.increment("visits")
        let client = fixture.connect()
        _ = try await client.next("welcome")
        try fixture.subscribe(client, "counter:visits")
        let replayed = try await client.next("event")
        #expect(replayed["offset"] as? Int == 1)
        #expect(replayed["time"] == nil)
        // A live increment knows its time.
        _ = try await client.next("subscribed")
        _ = try await fixture.counter.increment("visits")
        let live = try await client.next("event")
        #expect(live["offset"] as? Int == 2)
        #expect(live["time"] is Int)
        client.disconnect()
    }

    /// The joined and left hooks of a channel app see every member come and go.
    @Test func appsAreToldWhoJoinsAndLeaves() async throws {
        let fixture = GatewayFixture()
        let client = fixture.connect(name: "Cai")
        _ = try await client.next("welcome")
        try fixture.subscribe(client, "room:lobby")
        _ = try await client.next("subscribed")
        try client.send(["type": "unsubscribe", "channel": "room:lobby"])
        _ = try await client.next("unsubscribed")
        try fixture.subscribe(client, "room:lobby")
        _ = try await client.next("subscribed")
        client.disconnect()
        _ = try await client.closeReason()
        let visits = fixture.rooms.visits.withLock { $0 }
        #expect(visits.count == 4)
        #expect(visits.first?.hasPrefix("joined room:lobby Cai as guest-") == true)
        #expect(visits.filter { $0 == "left room:lobby Cai" }.count == 2)
    }

    /// `huddle migrate` and `huddle user create` return only once the store is closed: SQLite
    /// removes its write-ahead log when the last connection closes cleanly.
    @Test func migrateClosesTheStoreBeforeItReturns() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-migrate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = HuddleConfiguration()
        configuration.dataDirectory = directory.path
        configuration.store = .sqlite
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        try await migrateStorage(configuration, logger: logger)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files.contains { $0.hasSuffix(".sqlite") })
        #expect(!files.contains { $0.hasSuffix("-wal") }, "the store was still open when migrate returned: \(files)")
    }

    /// Each app's rejection codes carry their HTTP status, so the HTTP edge needs no list.
    @Test func rejectionCodesKnowTheirStatus() {
        #expect(RejectionCode.locked.httpStatus == 409)
        #expect(RejectionCode.notFound.httpStatus == 404)
        #expect(RejectionCode.forbidden.httpStatus == 403)
        #expect(RejectionCode.badRequest.isClientMistake)
        #expect(!RejectionCode.locked.isClientMistake)
    }
}

@Suite struct RevocationTests {
    @Test func aDeactivatedUsersConnectionsAreClosedWith4001() async throws {
        let fixture = GatewayFixture()
        let client = fixture.connect()
        _ = try await client.next("welcome")
        try client.send(["type": "auth", "token": "user:ada"])
        _ = try await client.next("authenticated")
        let bystander = fixture.connect()
        _ = try await bystander.next("welcome")

        await fixture.gateway.accountChanged("u-ada")  // not in `users`: deactivated
        #expect(try await client.closeReason() == .revoked)
        try bystander.send(["type": "ping", "id": "still"])
        #expect(try await bystander.next("pong")["id"] as? String == "still", "a guest is not affected")
        bystander.disconnect()
    }

    @Test func aDemotedUserActsWithTheirRoleAsItIsNow() async throws {
        let fixture = GatewayFixture()
        let client = fixture.connect()
        _ = try await client.next("welcome")
        try client.send(["type": "auth", "token": "admin:bo"])
        #expect(try await client.next("authenticated")["role"] as? String == "admin")

        let demoted = Identity(id: "a-bo", name: "Bo", role: .user, username: "bo")
        fixture.users.set(demoted)
        await fixture.gateway.accountChanged("a-bo")
        #expect(try await client.next("authenticated")["role"] as? String == "user")

        let owner = Identity(id: "u-cai", name: "Cai", role: .user, username: "cai")
        let id = try await fixture.boards.create(name: "Cai's", owner: owner)
        try client.send([
            "type": "command", "id": "r", "channel": "board:\(id)", "name": "renameBoard", "data": ["name": "Mine now"],
        ])
        #expect(try await client.next("error")["code"] as? String == "forbidden")
        client.disconnect()
    }
}
