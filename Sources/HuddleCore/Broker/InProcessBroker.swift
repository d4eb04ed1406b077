import Synchronization

/// A ``Broker`` within one process: embedded mode and tests.
public final class InProcessBroker: Broker {
    private typealias Deliver = @Sendable (BrokerDelivery) -> Void
    private struct State {
        var nextID = 0
        var subscribers: [String: [Int: Deliver]] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Publishing calls the subscribers' callbacks, which never block.
    public var publishesImmediately: Bool { true }

    public func publish(_ message: BrokerMessage, to channel: String) async throws {
        // Deliver outside the lock: a subscriber may subscribe or cancel from its callback.
        let targets = self.state.withLock { Array(($0.subscribers[channel] ?? [:]).values) }
        for deliver in targets {
            deliver(.message(message))
        }
    }

    public func subscribe(
        to channel: String,
        _ deliver: @escaping @Sendable (BrokerDelivery) -> Void
    ) async throws -> any BrokerSubscription {
        let id = self.state.withLock { state in
            state.nextID += 1
            state.subscribers[channel, default: [:]][state.nextID] = deliver
            return state.nextID
        }
        return Subscription(broker: self, channel: channel, id: id)
    }

    /// How many channels have at least one subscriber (for tests of the hub's bookkeeping).
    public var channelCount: Int {
        self.state.withLock { $0.subscribers.count }
    }

    private func remove(channel: String, id: Int) {
        self.state.withLock { state in
            state.subscribers[channel]?[id] = nil
            if state.subscribers[channel]?.isEmpty == true {
                state.subscribers[channel] = nil
            }
        }
    }

    private struct Subscription: BrokerSubscription {
        let broker: InProcessBroker
        let channel: String
        let id: Int

        func cancel() async {
            self.broker.remove(channel: self.channel, id: self.id)
        }
    }
}
