public import HuddleCore
import Synchronization
import Testing

/// The ``Broker`` contract. Each backend's test target runs every check against it.
public enum BrokerContract {
    /// Collects deliveries and lets a test wait for a count.
    final class Inbox: Sendable {
        let deliveries = Mutex<[BrokerDelivery]>([])

        func add(_ delivery: BrokerDelivery) { self.deliveries.withLock { $0.append(delivery) } }

        var messages: [BrokerMessage] {
            self.deliveries.withLock { $0.compactMap { if case .message(let m) = $0 { m } else { nil } } }
        }

        /// Waits (a hang guard, not a timing assertion) until `count` messages arrived.
        func waitFor(_ count: Int) async throws {
            for _ in 0..<400 where self.messages.count < count {
                try await Task.sleep(for: .milliseconds(25))
            }
        }
    }

    static func channel() -> String { "contract:\(UInt32.random(in: 0...UInt32.max))" }

    public static func deliversToEverySubscriberOfTheChannelInOrder(_ broker: any Broker) async throws {
        let channel = Self.channel()
        let a = Inbox(), b = Inbox(), other = Inbox()
        let subscriptions = [
            try await broker.subscribe(to: channel) { a.add($0) },
            try await broker.subscribe(to: channel) { b.add($0) },
            try await broker.subscribe(to: channel + "x") { other.add($0) },
        ]
        let sent = (1...20).map { BrokerMessage(kind: .event, offset: Int64($0), origin: "o", frame: #"{"n":\#($0),"s":"a b\nc"}"#) }
        for message in sent {
            try await broker.publish(message, to: channel)
        }
        try await a.waitFor(20)
        try await b.waitFor(20)
        #expect(a.messages == sent, "every message, unchanged, in publish order")
        #expect(b.messages == sent)
        #expect(other.messages.isEmpty, "other channels get nothing")
        for subscription in subscriptions { await subscription.cancel() }
    }

    public static func aCancelledSubscriptionGetsNothingMore(_ broker: any Broker) async throws {
        let channel = Self.channel()
        let kept = Inbox(), cancelled = Inbox()
        let keep = try await broker.subscribe(to: channel) { kept.add($0) }
        let cancel = try await broker.subscribe(to: channel) { cancelled.add($0) }
        try await broker.publish(BrokerMessage(kind: .signal, frame: "1"), to: channel)
        try await kept.waitFor(1)
        try await cancelled.waitFor(1)
        await cancel.cancel()
        try await broker.publish(BrokerMessage(kind: .signal, frame: "2"), to: channel)
        try await kept.waitFor(2)
        #expect(kept.messages.map(\.frame) == ["1", "2"])
        #expect(cancelled.messages.map(\.frame) == ["1"])
        await keep.cancel()
    }
}
