import HuddleCore
import Metrics

/// Counts what goes through a ``Broker``.
struct InstrumentedBroker: Broker {
    let base: any Broker
    private let publishes = Counter(label: "huddle_broker_publishes_total")
    private let failures = Counter(label: "huddle_broker_publish_failures_total")

    init(_ base: any Broker) {
        self.base = base
    }

    var publishesImmediately: Bool { self.base.publishesImmediately }

    func publish(_ message: BrokerMessage, to channel: String) async throws {
        do {
            try await self.base.publish(message, to: channel)
            self.publishes.increment()
        } catch {
            self.failures.increment()
            throw error
        }
    }

    func subscribe(to channel: String, _ deliver: @escaping @Sendable (BrokerDelivery) -> Void) async throws
        -> any BrokerSubscription
    {
        try await self.base.subscribe(to: channel, deliver)
    }
}
