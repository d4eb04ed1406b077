import HuddleCore
import Hummingbird
import NIOCore

/// The Board's HTTP API (docs/PROTOCOL.md): create, list, read, rename and delete boards, and
/// run any board command, which is then decided exactly as over the WebSocket.
struct BoardRoutes {
    let app: BoardApp

    struct Naming: Decodable {
        var name: String
    }

    struct Command: Decodable {
        var name: String
        var data: JSONValue?
    }

    func register(on router: Router<AppRequestContext>) {
        let boards = router.group("api/v1/boards")
        boards.post { request, context in
            let identity = try context.requireIdentity()
            let naming = try await request.decode(as: Naming.self, context: context)
            let (id, _) = try await self.app.create(name: naming.name, owner: identity)
            let state = try await self.app.state(of: Self.channel(id))
            return Self.json(Self.body(id: id, state), status: .created)
        }
        boards.get { request, context in
            let identity = try context.requireIdentity()
            let limit = try Self.limit(request.uri.queryParameters.get("limit"))
            let boards = try await self.app.list(for: identity, limit: limit)
            let items = boards.map { Self.summary(id: $0.id, $0.state) }
            return Self.json(JSONValue.object(["boards": .array(items)]).jsonText)
        }
        boards.get("{id}") { _, context in
            let (id, channel) = try Self.board(context)
            return Self.json(Self.body(id: id, try await self.existing(channel, id: id)))
        }
        boards.patch("{id}") { request, context in
            let identity = try context.requireIdentity()
            let (id, channel) = try Self.board(context)
            let naming = try await request.decode(as: Naming.self, context: context)
            _ = try await self.app.run(.renameBoard(name: naming.name), on: channel, by: identity.id, as: identity)
            return Self.json(Self.body(id: id, try await self.existing(channel, id: id)))
        }
        boards.delete("{id}") { _, context in
            let identity = try context.requireIdentity()
            let (_, channel) = try Self.board(context)
            _ = try await self.app.run(.deleteBoard, on: channel, by: identity.id, as: identity)
            return Response(status: .noContent)
        }
        boards.post("{id}/commands") { request, context in
            let identity = try context.requireIdentity()
            let (_, channel) = try Self.board(context)
            let command = try await request.decode(as: Command.self, context: context)
            let parsed = try BoardCommand.parse(name: command.name, data: command.data ?? .object([:]), newID: BoardApp.newID)
            let stored = try await self.app.run(parsed, on: channel, by: identity.id, as: identity)
            // The event's data is stored as JSON text: embedded as it is.
            return Self.json(
                "{\"offset\":\(stored.offset),\"name\":\(JSONValue.string(stored.name).jsonText),\"data\":\(stored.data)}")
        }
    }

    private func existing(_ channel: ChannelName, id: String) async throws -> BoardState {
        let state = try await self.app.state(of: channel)
        guard state.exists else {
            throw APIError(.notFound, state.deleted ? "Board \(id) was deleted." : "There is no board \(id).")
        }
        return state
    }

    private static func board(_ context: AppRequestContext) throws -> (String, ChannelName) {
        let id = context.parameters.get("id") ?? ""
        guard let channel = ChannelName(kind: BoardApp.kind, id: id) else { throw APIError(.badRequest, "Not a board id.") }
        return (id, channel)
    }

    private static func channel(_ id: String) -> ChannelName {
        ChannelName(kind: BoardApp.kind, id: id)!
    }

    private static func limit(_ text: String?) throws -> Int {
        guard let text else { return 50 }
        guard let limit = Int(text), (1...200).contains(limit) else { throw APIError(.badRequest, "limit is 1 to 200.") }
        return limit
    }

    static func summary(id: String, _ state: BoardState) -> JSONValue {
        .object([
            "id": .string(id), "name": .string(state.name ?? ""), "owner": .string(state.owner ?? ""),
            "createdAt": .number(Double(state.createdAt ?? 0)), "offset": .number(Double(state.offset)),
            "boxCount": .number(Double(state.boxes.count)),
        ])
    }

    static func body(id: String, _ state: BoardState) -> String {
        guard case .object(var members) = Self.summary(id: id, state) else { return "{}" }
        members["boxes"] = .array(
            state.stackingOrder.map { box in
                JSONValue.object([
                    "id": .string(box.id), "x": .number(box.x), "y": .number(box.y), "width": .number(box.width),
                    "height": .number(box.height), "text": .string(box.text), "color": .string(box.color),
                    "z": .number(Double(box.z)),
                ])
            })
        return JSONValue.object(members).jsonText
    }

    static func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
