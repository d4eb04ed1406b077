import HuddleCore
import Synchronization

/// Something on this replica that wants a channel's deliveries (a WebSocket session).
protocol HubSubscriber: AnyObject, Sendable {
    var subscriberID: String { get }
    /// Must not block: called from the broker's delivery context.
    func deliver(_ delivery: BrokerDelivery, on channel: String)
}

/// One upstream broker subscription per channel for the whole replica, fanned out to the
/// local subscribers of that channel.
final class LocalHub: Sendable {
    private let broker: any Broker
    private let subscribers = Mutex<[String: [String: any HubSubscriber]]>([:])
    private let upstream: Upstream

    init(broker: any Broker) {
        self.broker = broker
        self.upstream = Upstream(broker: broker)
    }

    /// Adds `subscriber` to `channel` and returns once the upstream subscription is active,
    /// so that everything published from then on reaches it.
    func join(_ channel: String, _ subscriber: any HubSubscriber) async throws {
        self.subscribers.withLock { $0[channel, default: [:]][subscriber.subscriberID] = subscriber }
        do {
            try await self.upstream.retain(channel) { [weak self] delivery in
                self?.fanOut(delivery, on: channel)
            }
        } catch {
            self.removeLocally(channel, subscriber.subscriberID)
            throw error
        }
    }

    func leave(_ channel: String, _ subscriberID: String) async {
        guard self.removeLocally(channel, subscriberID) else { return }
        await self.upstream.release(channel)
    }

    /// Channels with at least one local subscriber.
    var channelCount: Int { self.subscribers.withLock { $0.count } }

    @discardableResult
    private func removeLocally(_ channel: String, _ subscriberID: String) -> Bool {
        self.subscribers.withLock { table in
            guard table[channel]?.removeValue(forKey: subscriberID) != nil else { return false }
            if table[channel]?.isEmpty == true { table[channel] = nil }
            return true
        }
    }

    private func fanOut(_ delivery: BrokerDelivery, on channel: String) {
        let targets = self.subscribers.withLock { $0[channel].map { Array($0.values) } ?? [] }
        for target in targets {
            target.deliver(delivery, on: channel)
        }
    }

    /// Reference-counted upstream subscriptions. An actor, so that the first joiner starts the
    /// subscription and concurrent joiners wait for that same one.
    private actor Upstream {
        private struct Entry {
            var references: Int
            let subscription: Task<any BrokerSubscription, any Error>
        }

        private let broker: any Broker
        private var entries: [String: Entry] = [:]

        init(broker: any Broker) {
            self.broker = broker
        }

        func retain(_ channel: String, deliver: @escaping @Sendable (BrokerDelivery) -> Void) async throws {
            let task: Task<any BrokerSubscription, any Error>
            if var entry = self.entries[channel] {
                entry.references += 1
                self.entries[channel] = entry
                task = entry.subscription
            } else {
                let broker = self.broker
                task = Task { try await broker.subscribe(to: channel, deliver) }
                self.entries[channel] = Entry(references: 1, subscription: task)
            }
            do {
                _ = try await task.value
            } catch {
                // Every joiner waiting on this attempt fails with it; forget it so the next join retries.
                if self.entries[channel]?.subscription == task {
                    self.entries[channel] = nil
                }
                throw error
            }
        }

        func release(_ channel: String) async {
            guard var entry = self.entries[channel] else { return }
            entry.references -= 1
            if entry.references > 0 {
                self.entries[channel] = entry
                return
            }
            self.entries[channel] = nil
            if let subscription = try? await entry.subscription.value {
                await subscription.cancel()
            }
        }
    }
}
