import HuddleCore
import Hummingbird
import NIOCore

/// The Board's HTTP API: create a board, read one with the offset it reflects.
struct BoardRoutes {
    let app: BoardApp

    struct Creation: Decodable {
        var name: String
    }

    func register(on router: Router<AppRequestContext>) {
        let boards = router.group("api/v1/boards")
        boards.post { request, context in
            guard let identity = context.identity else { throw APIError(.unauthorized, "sign in, or ask for a guest token") }
            let creation = try await request.decode(as: Creation.self, context: context)
            let (id, _) = try await self.app.create(name: creation.name, owner: identity)
            let state = try await self.app.state(of: ChannelName(kind: BoardApp.kind, id: id)!)
            return Self.json(Self.body(id: id, state), status: .created)
        }
        boards.get("{id}") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let channel = ChannelName(kind: BoardApp.kind, id: id) else { throw APIError(.badRequest, "not a board id") }
            let state = try await self.app.state(of: channel)
            guard state.name != nil else { throw APIError(.notFound, "there is no board \(id)") }
            return Self.json(Self.body(id: id, state))
        }
    }

    static func body(id: String, _ state: BoardState) -> String {
        let boxes = state.stackingOrder.map { box in
            JSONValue.object([
                "id": .string(box.id), "x": .number(box.x), "y": .number(box.y), "width": .number(box.width),
                "height": .number(box.height), "text": .string(box.text), "color": .string(box.color),
                "z": .number(Double(box.z)),
            ])
        }
        return JSONValue.object([
            "id": .string(id), "name": .string(state.name ?? ""), "owner": .string(state.owner ?? ""),
            "offset": .number(Double(state.offset)), "boxes": .array(boxes),
        ]).jsonText
    }

    static func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
