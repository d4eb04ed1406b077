import Hummingbird
import NIOCore
import Prometheus

/// Health, readiness and metrics: what load balancers, Kubernetes and Prometheus ask.
struct OperationsRoutes {
    let readiness: Readiness
    let backendsHealthy: @Sendable () async -> Bool

    func register(on router: Router<AppRequestContext>) {
        router.get("health/live") { _, _ in
            CounterRoutes.json("{\"status\":\"live\"}")
        }
        router.get("health/ready") { _, _ in
            let state = await self.currentState()
            return self.status(state == "ready" ? .ok : .serviceUnavailable, state)
        }
        // Seed 003: 200 when the server can serve, 500 otherwise.
        router.get("ping") { _, _ in
            let state = await self.currentState()
            return self.status(state == "ready" ? .ok : .internalServerError, state == "ready" ? "ok" : state)
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
    private func currentState() async -> String {
        let state = self.readiness.state
        guard state == .ready else { return state.name }
        return await self.backendsHealthy() ? "ready" : "unavailable"
    }

    private func status(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"\(text)\"}"))
        )
    }
}
