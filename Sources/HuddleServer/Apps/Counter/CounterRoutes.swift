import HuddleCore
import Hummingbird
import NIOCore

/// The Counter's HTTP API: the seed-compatible `GET /counter/{id}` and `/api/v1/counters`.
struct CounterRoutes {
    let app: CounterApp

    func register(on router: Router<AppRequestContext>) {
        // Seed 003: GET increments. Kept for its clients; new ones POST.
        router.get("counter/{id}") { _, context in
            let count = try await self.app.increment(try Self.counterID(context))
            return Self.json("{\"count\":\(count)}")
        }
        let api = router.group("api/v1/counters")
        api.post("{id}/increment") { _, context in
            let id = try Self.counterID(context)
            return Self.json(Self.body(id: id, count: try await self.app.increment(id)))
        }
        api.get("{id}") { _, context in
            let id = try Self.counterID(context)
            return Self.json(Self.body(id: id, count: try await self.app.value(id)))
        }
    }

    static func counterID(_ context: AppRequestContext) throws -> String {
        let id = context.parameters.get("id") ?? ""
        guard ChannelName.isValidID(id) else {
            throw APIError(.badRequest, "A counter id is 1 to 128 of A-Z a-z 0-9 _ . -")
        }
        return id
    }

    static func body(id: String, count: Int64) -> String {
        "{\"id\":\(JSONText.quoted(id)),\"count\":\(count)}"
    }

    static func json(_ body: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: body))
        )
    }
}
