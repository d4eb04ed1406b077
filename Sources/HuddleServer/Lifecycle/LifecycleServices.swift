import Logging
import ServiceLifecycle

/// On SIGTERM: stop being ready, then close every WebSocket with 1012 so clients reconnect to
/// another replica. It runs before the HTTP server stops (it is shut down first), which then
/// lets in-flight requests finish.
struct DrainService: Service {
    let readiness: Readiness
    let gateway: Gateway
    let timeout: Duration
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        self.logger.info("Draining: no longer ready")
        self.readiness.markDraining()
        await self.gateway.drain(timeout: self.timeout)
    }
}

/// Holds the backends open while the server runs and closes them after it stopped.
struct BackendsService: Service {
    let backends: Backends

    func run() async throws {
        try? await gracefulShutdown()
        await self.backends.close()
    }
}
