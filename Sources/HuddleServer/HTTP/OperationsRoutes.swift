import Hummingbird
import NIOCore
import Prometheus

/// Health, readiness and metrics: what load balancers, Kubernetes and Prometheus ask.
///
/// `/health/ready` is about this replica only (started, migrated, not draining). PostgreSQL
/// and Redis are shared by every replica: were readiness to include them, one outage would
/// take every replica out of the load balancer at once, and requests that need only the other
/// backend would fail too. A request that needs a backend that is down gets a 503 of its own.
/// `/ping` (seed 003's contract) does include the backends.
struct OperationsRoutes {
    let readiness: Readiness
    let backendsHealthy: @Sendable () async -> Bool

    func register(on router: Router<AppRequestContext>) {
        router.get("health/live") { _, _ in
            try JSONResponse.make(Status(status: "live"))
        }
        router.get("health/ready") { _, _ in
            let state = self.readiness.state
            return try self.status(state == .ready ? .ok : .serviceUnavailable, state.name)
        }
        // Seed 003: 200 when the server can serve, 500 otherwise (a backend down included).
        router.get("ping") { _, _ in
            let state = await self.stateWithBackends()
            return try self.status(state == "ready" ? .ok : .internalServerError, state == "ready" ? "ok" : state)
        }
        router.get("metrics") { _, _ in
            var buffer = [UInt8]()
            HuddleMetrics.registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer))
            )
        }
    }

    /// `ready`, `starting`, `draining`, or `unavailable` when a backend does not answer.
    private func stateWithBackends() async -> String {
        let state = self.readiness.state
        guard state == .ready else { return state.name }
        return await self.backendsHealthy() ? "ready" : "unavailable"
    }

    struct Status: Encodable {
        var status: String
    }

    private func status(_ status: HTTPResponse.Status, _ text: String) throws -> Response {
        try JSONResponse.make(Status(status: text), status: status)
    }
}
