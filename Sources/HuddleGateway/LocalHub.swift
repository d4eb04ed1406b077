import HuddleCore
import NIOCore
import Synchronization

/// One upstream broker subscription per channel for the whole replica, fanned out to the
/// local sessions of that channel.
///
/// A delivery's frame is encoded once, header and payload in one buffer, and the same bytes
/// are written to every subscriber. Deliveries are handed to each event loop in batches: the
/// first one queued for a loop schedules a drain there, later ones join it, and the drain
/// flushes each session it wrote to once, however many frames it got.
final class LocalHub: Sendable {
    private let broker: any Broker
    private let subscribers = Mutex<[String: [String: Session]]>([:])
    private let batches = Mutex<[ObjectIdentifier: LoopBatch]>([:])
    private let upstream: Upstream

    init(broker: any Broker) {
        self.broker = broker
        self.upstream = Upstream(broker: broker)
    }

    /// Adds `session` to `channel` and returns once the upstream subscription is active,
    /// so that everything published from then on reaches it.
    func join(_ channel: String, _ session: Session) async throws {
        self.subscribers.withLock { $0[channel, default: [:]][session.id] = session }
        do {
            try await self.upstream.retain(channel) { [weak self] delivery in
                self?.fanOut(delivery, on: channel)
            }
        } catch {
            self.removeLocally(channel, session.id)
            throw error
        }
    }

    func leave(_ channel: String, _ sessionID: String) async {
        guard self.removeLocally(channel, sessionID) else { return }
        await self.upstream.release(channel)
    }

    /// Channels with at least one local subscriber.
    var channelCount: Int { self.subscribers.withLock { $0.count } }

    @discardableResult
    private func removeLocally(_ channel: String, _ sessionID: String) -> Bool {
        self.subscribers.withLock { table in
            guard table[channel]?.removeValue(forKey: sessionID) != nil else { return false }
            if table[channel]?.isEmpty == true { table[channel] = nil }
            return true
        }
    }

    private func fanOut(_ delivery: BrokerDelivery, on channel: String) {
        let targets = self.subscribers.withLock { $0[channel].map { Array($0.values) } ?? [] }
        guard !targets.isEmpty else { return }
        let frame: ByteBuffer
        switch delivery {
        case .message(let message): frame = ServerFrameEncoder.text(message.frame)
        case .gap: frame = ByteBuffer()
        }
        var byLoop: [ObjectIdentifier: (loop: any EventLoop, sessions: [Session])] = [:]
        for session in targets {
            byLoop[ObjectIdentifier(session.eventLoop), default: (session.eventLoop, [])].sessions.append(session)
        }
        for (key, group) in byLoop {
            self.batch(for: key, loop: group.loop).add(Delivery(delivery: delivery, frame: frame, channel: channel, sessions: group.sessions))
        }
    }

    private func batch(for key: ObjectIdentifier, loop: any EventLoop) -> LoopBatch {
        self.batches.withLock { batches in
            if let batch = batches[key] { return batch }
            let batch = LoopBatch(loop: loop)
            batches[key] = batch
            return batch
        }
    }

    struct Delivery: Sendable {
        let delivery: BrokerDelivery
        let frame: ByteBuffer
        let channel: String
        let sessions: [Session]
    }

    /// The deliveries waiting for one event loop's next drain.
    final class LoopBatch: Sendable {
        let loop: any EventLoop
        private let queued = Mutex<(deliveries: [Delivery], scheduled: Bool)>(([], false))

        init(loop: any EventLoop) {
            self.loop = loop
        }

        func add(_ delivery: Delivery) {
            let schedule = self.queued.withLock { queued in
                queued.deliveries.append(delivery)
                defer { queued.scheduled = true }
                return !queued.scheduled
            }
            if schedule { self.loop.execute { self.drain() } }
        }

        private func drain() {
            let deliveries = self.queued.withLock { queued in
                defer { queued = ([], false) }
                return queued.deliveries
            }
            var written: [ObjectIdentifier: Session] = [:]
            for item in deliveries {
                for session in item.sessions {
                    session.assumeIsolated { $0.deliver(item.delivery, frame: item.frame, on: item.channel) }
                    written[ObjectIdentifier(session)] = session
                }
            }
            for session in written.values {
                session.assumeIsolated { $0.flush() }
            }
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
