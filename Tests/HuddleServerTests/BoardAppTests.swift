import HuddleCore
@testable import HuddleGateway
@testable import HuddleServer
import Testing

@Suite struct BoardAppTests {
    static let ada = Identity.guest(id: "guest-ada", name: "Ada")

    @Test func boxCommandsOverTheGatewayReachEveryoneAndTheSoftLockHolds() async throws {
        let fixture = GatewayFixture()
        let id = try await fixture.boards.create(name: "Plan", owner: Self.ada)
        let channel = "board:\(id)"
        let a = fixture.connect(name: "A")
        let b = fixture.connect(name: "B")
        for client in [a, b] {
            _ = try await client.next("welcome")
            try fixture.subscribe(client, channel)
            let created = try await client.next("event")
            #expect(created["name"] as? String == "boardCreated")
            _ = try await client.next("subscribed")
        }

        try a.send(["type": "command", "id": "c1", "channel": channel, "name": "addBox", "data": ["x": 100, "y": 50, "text": "Hi"]])
        let added = try await b.next("event")
        #expect(added["name"] as? String == "boxAdded")
        let box = try #require((added["data"] as? [String: Any])?["id"] as? String)

        try a.send(["type": "command", "id": "c2", "channel": channel, "name": "moveBox", "data": ["boxId": box, "x": 300, "y": 300]])
        let moved = try await b.next("event")
        #expect(moved["name"] as? String == "boxMoved")
        try b.send(["type": "command", "id": "c3", "channel": channel, "name": "moveBox", "data": ["boxId": box, "x": 1, "y": 1]])
        let refused = try await b.next("error")
        #expect(refused["id"] as? String == "c3")
        #expect(refused["code"] as? String == "locked")

        let state = try await fixture.boards.app.state(of: ChannelName(channel)!)
        #expect(state.boxes[box]?.x == 300, "the refused move changed nothing")
    }

    @Test func onlyBoardsThatExistCanBeJoined() async throws {
        let fixture = GatewayFixture()
        let client = fixture.connect(name: "A")
        _ = try await client.next("welcome")
        try fixture.subscribe(client, "board:nothing-here")
        let refused = try await client.next("error")
        #expect(refused["channel"] as? String == "board:nothing-here")
        #expect(refused["code"] as? String == "not_found")
        // Not subscribed, so no relay: a signal there is refused.
        try client.send(["type": "signal", "channel": "board:nothing-here", "name": "pointer", "data": ["x": 1]])
        #expect(try await client.next("error")["code"] as? String == "not_subscribed")

        // Once the board exists, the same connection may join it.
        let id = try await fixture.boards.create(name: "Later", owner: Self.ada)
        try fixture.subscribe(client, "board:\(id)")
        _ = try await client.next("subscribed")
    }

    @Test func twoReplicasRacingToMoveOneBoxCannotBothWin() async throws {
        let store = InMemoryEventStore()
        let broker = InProcessBroker()
        // Two replicas over one store, with one clock, so the 2 s lock is in force for both.
        let replicas = (0..<2).map { _ in
            BoardRoutes(app: StreamApp<BoardState>(log: EventLog(store: store, broker: broker), clock: { 1_000_000 }), creations: .unlimited)
        }
        let id = try await replicas[0].create(name: "Race", owner: Self.ada)
        let channel = replicas[0].channel(id)
        _ = try await replicas[0].app.handle(command: "addBox", data: .object([:]), on: channel, as: Self.ada)
        let box = try #require(try await replicas[1].app.state(of: channel).boxes.keys.first)

        let outcomes = await withTaskGroup(of: String.self) { group in
            for (n, replica) in replicas.enumerated() {
                group.addTask {
                    let mover = Identity.guest(id: "guest-\(n)", name: "Mover \(n)")
                    do {
                        _ = try await replica.app.handle(
                            command: "moveBox", data: .object(["boxId": .string(box), "x": .integer(Int64(n * 100)), "y": .integer(5)]),
                            on: channel, as: mover)
                        return "moved"
                    } catch let rejection as CommandRejection {
                        return rejection.code.rawValue
                    } catch {
                        return "\(error)"
                    }
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(outcomes.sorted() == ["locked", "moved"])
        let events = await store.read(channel.description, after: 0, limit: 10)
        #expect(events.map(\.name) == ["boardCreated", "boxAdded", "boxMoved"], "exactly one move was stored")
    }

    @Test func aBoardThatDoesNotExistRefusesCommands() async throws {
        let fixture = GatewayFixture()
        let client = fixture.connect()
        _ = try await client.next("welcome")
        try client.send(["type": "command", "id": "x", "channel": "board:nope", "name": "addBox", "data": [:]])
        #expect(try await client.next("error")["code"] as? String == "not_found")
    }
}
