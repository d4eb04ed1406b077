import HuddleGateway
import HuddleStorage
import Logging
import ServiceLifecycle

/// On SIGTERM: stop being ready, keep serving for `delay` (until the load balancer has seen
/// that and sends nothing new), then close every WebSocket with 1012 so clients reconnect to
/// another replica. It runs before the HTTP server stops (it is shut down first), which then
/// lets in-flight requests finish.
struct DrainService: Service {
    let readiness: Readiness
    let gateway: Gateway
    let delay: Duration
    let timeout: Duration
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        self.logger.info("Draining: no longer ready", metadata: ["delay": "\(self.delay)"])
        self.readiness.markDraining()
        if self.delay > .zero {
            // A forced shutdown (cancellation) ends the wait early.
            try? await Task.sleep(for: self.delay)
        }
        await self.gateway.drain(timeout: self.timeout)
    }
}

/// Runs the backends (a connection pool), prepares them (migrations, retried until the
/// database answers), and closes them after the server stopped: it is shut down last.
struct BackendsService: Service {
    let backends: Backends
    let readiness: Readiness
    let logger: Logger

    func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.backends.run() }
            if !self.backends.preparedAtOpen {
                do {
                    try await cancelWhenGracefulShutdown { try await self.prepare() }
                } catch is CancellationError {
                    // Told to stop before the database ever answered: a clean exit, not an error.
                    self.logger.info("Stopped before the database was prepared")
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        await self.backends.close()
    }

    private func prepare() async throws {
        var delay = Duration.milliseconds(250)
        while true {
            do {
                try await self.backends.prepare()
                self.readiness.markBackendsPrepared()
                return
            } catch let error as SchemaError {
                // A newer schema is not something waiting fixes.
                self.logger.critical("Refusing to run", metadata: ["reason": .string(error.description)])
                throw error
            } catch {
                self.logger.warning(
                    "Database not ready; retrying", metadata: ["error": "\(error)", "retryIn": "\(delay)"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }
}
