public import HuddleCore
import NIOCore
import RESP

/// ``Broker`` on Redis pub/sub: the doorbell between replicas.
///
/// Each replica subscribes once per channel (the server's hub fans out locally). When the
/// subscription connection drops — a failover, a network blip — the client resubscribes and
/// every subscriber gets ``BrokerDelivery/gap``, so the gateway catches up from the store:
/// at-most-once delivery never becomes silent loss.
public struct RedisBroker: Broker {
    let redis: RedisStorage

    public init(redis: RedisStorage) {
        self.redis = redis
    }

    public func publish(_ message: BrokerMessage, to channel: String) async throws {
        _ = try await self.redis.unavailableOnFailure("publish") {
            try await self.redis.client.execute(PUBLISH(channel: self.redis.key("ch", channel), message: .string(message.wireText)))
        }
    }

    public func subscribe(
        to channel: String,
        _ deliver: @escaping @Sendable (BrokerDelivery) -> Void
    ) async throws -> any BrokerSubscription {
        let subscription = try await self.redis.unavailableOnFailure("subscribe") {
            try await self.redis.client.subscribe(to: self.redis.key("ch", channel)) { delivery in
                switch delivery {
                case .message(let payload):
                    // Anything that is not ours (a stray PUBLISH by hand) is ignored.
                    if let message = BrokerMessage(wireText: String(buffer: payload)[...]) {
                        deliver(.message(message))
                    }
                case .gap:
                    deliver(.gap)
                }
            }
        }
        return Subscription(subscription: subscription)
    }

    private struct Subscription: BrokerSubscription {
        let subscription: RESPSubscription

        func cancel() async {
            self.subscription.cancel()
        }
    }
}
