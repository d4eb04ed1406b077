import Synchronization

/// Whether this replica should get traffic: what `/health/ready` and `/ping` report.
///
/// Ready means: the server listens, the backends are prepared (schema migrated), and the
/// replica is not draining. A later backend outage does not make it unready (see
/// ``OperationsRoutes``); `/ping` checks the backends per probe.
public final class Readiness: Sendable {
    public enum State: Sendable {
        case starting, ready, draining

        var name: String {
            switch self {
            case .starting: "starting"
            case .ready: "ready"
            case .draining: "draining"
            }
        }
    }

    private struct Flags {
        var listening = false
        var backendsPrepared = false
        var draining = false
    }

    private let flags = Mutex(Flags())

    public init() {}

    public var state: State {
        self.flags.withLock { flags in
            if flags.draining { return .draining }
            return flags.listening && flags.backendsPrepared ? .ready : .starting
        }
    }

    /// The HTTP server accepts connections.
    public func markListening() {
        self.flags.withLock { $0.listening = true }
    }

    /// The backends are open and their schema is current.
    public func markBackendsPrepared() {
        self.flags.withLock { $0.backendsPrepared = true }
    }

    /// Shutting down: never ready again.
    public func markDraining() {
        self.flags.withLock { $0.draining = true }
    }
}
