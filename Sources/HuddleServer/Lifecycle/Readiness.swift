import Synchronization

/// Whether this replica should get traffic: what `/health/ready` and `/ping` report.
public final class Readiness: Sendable {
    public enum State: UInt8, Sendable {
        case starting, ready, draining

        var name: String {
            switch self {
            case .starting: "starting"
            case .ready: "ready"
            case .draining: "draining"
            }
        }
    }

    private let value = Atomic<UInt8>(State.starting.rawValue)

    public init() {}

    public var state: State { State(rawValue: self.value.load(ordering: .acquiring)) ?? .starting }

    /// Called once the server listens. A replica that started draining stays draining.
    public func markReady() {
        _ = self.value.compareExchange(
            expected: State.starting.rawValue, desired: State.ready.rawValue, ordering: .acquiringAndReleasing)
    }

    public func markDraining() {
        self.value.store(State.draining.rawValue, ordering: .releasing)
    }
}
