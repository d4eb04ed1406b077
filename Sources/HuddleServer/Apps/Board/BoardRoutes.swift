#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HuddleCore
import HuddleGateway
import Hummingbird

/// Seed 000's collaborative board: channel `board:{id}` is served by the gateway's stream app
/// over ``BoardState``; the HTTP API (docs/PROTOCOL.md) creates, lists, reads, renames and
/// deletes boards, and runs any board command, decided exactly as over the WebSocket.
///
/// Which boards exist is the append-only `board-index` stream (``BoardIndex``), written before
/// each board's own stream.
struct BoardRoutes: AppRoutes {
    let app: StreamApp<BoardState>
    let creations: AnonymousCreations
    let index = StateCache<BoardIndex>(limit: 1)

    var channelApp: any ChannelApp { self.app }

    func register(on router: Router<AppRequestContext>) {
        let boards = router.group("api/v1/boards")
        boards.post { request, context in
            let identity = try context.requireIdentity()
            let naming = try await request.decode(as: Naming.self, context: context)
            try self.creations.admit(request, context)
            let id = try await self.create(name: naming.name, owner: identity)
            return try JSONResponse.make(BoardBody(id: id, try await self.app.state(of: self.channel(id))), status: .created)
        }
        boards.get { request, context in
            let identity = try context.requireIdentity()
            let limit = try request.listLimit()
            let boards = try await self.list(for: identity, limit: limit)
            return try JSONResponse.make(BoardList(boards: boards.map { BoardSummary(id: $0.id, $0.state) }))
        }
        boards.get("{id}") { _, context in
            let (id, channel) = try self.board(context)
            return try JSONResponse.make(BoardBody(id: id, try await self.existing(channel, id: id)))
        }
        boards.patch("{id}") { request, context in
            let identity = try context.requireIdentity()
            let (id, channel) = try self.board(context)
            let naming = try await request.decode(as: Naming.self, context: context)
            _ = try await self.app.run(.renameBoard(name: naming.name), on: channel, as: identity)
            return try JSONResponse.make(BoardBody(id: id, try await self.existing(channel, id: id)))
        }
        boards.delete("{id}") { _, context in
            let identity = try context.requireIdentity()
            let (_, channel) = try self.board(context)
            _ = try await self.app.run(.deleteBoard, on: channel, as: identity)
            return Response(status: .noContent)
        }
        boards.post("{id}/commands") { request, context in
            let identity = try context.requireIdentity()
            let (_, channel) = try self.board(context)
            let command = try await request.decode(as: Command.self, context: context)
            let parsed = try BoardState.parse(command: command.name, data: command.data ?? .object([:]))
            let stored = try await self.app.run(parsed, on: channel, as: identity)
            return try JSONResponse.make(CommandResult(stored))
        }
    }

    /// Creates a board and returns its id.
    /// Listed in the index first: a board whose creation then fails is an entry without a
    /// board, which listings skip; never a board missing from its owner's list.
    func create(name: String, owner: Identity) async throws -> String {
        let id = RandomID.make()
        let creation = try BoardState.creation(name: name, owner: owner.id)
        _ = try await self.app.log.append(BoardIndex.listing(id: id, owner: owner.id), to: BoardIndex.stream, expecting: .any)
        _ = try await self.app.start(self.channel(id), with: creation)
        return id
    }

    /// The boards `identity` may list (their own; all for an admin), newest first, at most
    /// `limit`, each with its current state.
    func list(for identity: Identity, limit: Int) async throws -> [(id: String, state: BoardState)] {
        let index = try await self.index.latest(of: BoardIndex.stream, in: self.app.log)
        var boards: [(id: String, state: BoardState)] = []
        for entry in index.visible(to: identity) where boards.count < limit {
            guard let channel = self.app.channel(entry.id) else { continue }
            let state = try await self.app.state(of: channel)
            if state.exists { boards.append((entry.id, state)) }
        }
        return boards
    }

    func channel(_ id: String) -> ChannelName {
        self.app.channel(id)!
    }

    private func existing(_ channel: ChannelName, id: String) async throws -> BoardState {
        let state = try await self.app.state(of: channel)
        guard state.exists else {
            throw APIError(.notFound, state.deleted ? "Board \(id) was deleted." : "There is no board \(id).")
        }
        return state
    }

    private func board(_ context: AppRequestContext) throws -> (String, ChannelName) {
        let id = context.parameters.get("id") ?? ""
        guard let channel = self.app.channel(id) else { throw APIError(.badRequest, "Not a board id.") }
        return (id, channel)
    }
}

extension BoardRoutes {
    struct Naming: Decodable {
        var name: String
    }

    struct Command: Decodable {
        var name: String
        var data: JSONValue?
    }

    struct BoardList: Encodable {
        var boards: [BoardSummary]
    }

    struct BoardSummary: Encodable {
        var id: String
        var name: String
        var owner: String
        var createdAt: Int64
        var offset: Int64
        var boxCount: Int

        init(id: String, _ state: BoardState) {
            self.id = id
            self.name = state.name ?? ""
            self.owner = state.owner ?? ""
            self.createdAt = state.createdAt ?? 0
            self.offset = state.offset
            self.boxCount = state.boxes.count
        }
    }

    /// A board with its boxes, bottom to top.
    struct BoardBody: Encodable {
        var summary: BoardSummary
        var boxes: [BoxBody]

        init(id: String, _ state: BoardState) {
            self.summary = BoardSummary(id: id, state)
            self.boxes = state.stackingOrder.map(BoxBody.init)
        }

        func encode(to encoder: any Encoder) throws {
            try self.summary.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(self.boxes, forKey: .boxes)
        }

        enum Keys: String, CodingKey { case boxes }
    }

    struct BoxBody: Encodable {
        var id: String
        var x, y, width, height: Double
        var text, color: String
        var z: Int

        init(_ box: Box) {
            (self.id, self.x, self.y, self.width, self.height) = (box.id, box.x, box.y, box.width, box.height)
            (self.text, self.color, self.z) = (box.text, box.color, box.z)
        }
    }

    /// The event a command stored.
    struct CommandResult: Encodable {
        var offset: Int64
        var name: String
        var data: JSONValue

        init(_ event: StoredEvent) {
            self.offset = event.offset
            self.name = event.name
            self.data = (try? JSONDecoder().decode(JSONValue.self, from: Data(event.data.utf8))) ?? .null
        }
    }
}
