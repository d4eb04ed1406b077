import HuddleCore
import HuddleGateway
import Hummingbird

/// The Counter's HTTP API: the seed-compatible `GET /counter/{id}` and `/api/v1/counters`.
struct CounterRoutes: AppRoutes {
    let app: CounterApp
    let creations: AnonymousCreations

    var channelApp: any ChannelApp { self.app }

    struct Count: Encodable {
        var count: Int64
    }

    struct Counter: Encodable {
        var id: String
        var count: Int64
    }

    func register(on router: Router<AppRequestContext>) {
        // Seed 003: GET increments. Kept for its clients; new ones POST.
        router.get("counter/{id}") { request, context in
            try JSONResponse.make(Count(count: try await self.increment(try Self.counterID(context), request, context)))
        }
        let api = router.group("api/v1/counters")
        api.post("{id}/increment") { request, context in
            let id = try Self.counterID(context)
            return try JSONResponse.make(Counter(id: id, count: try await self.increment(id, request, context)))
        }
        api.get("{id}") { _, context in
            let id = try Self.counterID(context)
            return try JSONResponse.make(Counter(id: id, count: try await self.app.value(id)))
        }
    }

    /// Increments `id`. The first increment creates the counter, so it counts as an anonymous
    /// creation; over the limit only counters that exist go on counting (one read, then).
    private func increment(_ id: String, _ request: Request, _ context: AppRequestContext) async throws -> Int64 {
        let client = self.creations.client(request, context)
        if let refusal = self.creations.refusal(client), try await self.app.value(id) == 0 { throw refusal }
        let count = try await self.app.increment(id)
        if count == 1 { self.creations.record(client) }
        return count
    }

    static func counterID(_ context: AppRequestContext) throws -> String {
        let id = context.parameters.get("id") ?? ""
        guard ChannelName.isValidID(id) else {
            throw APIError(.badRequest, "A counter id is 1 to 128 of A-Z a-z 0-9 _ . -")
        }
        return id
    }
}
