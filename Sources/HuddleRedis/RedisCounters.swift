public import HuddleCore
import NIOCore
import RESP

/// ``Counters`` on Redis: `INCR` on the master, then `WAIT` until a replica has it.
///
/// `INCR` is atomic, so concurrent increments from every replica never lose a count (seed
/// 003's GET-then-SET did). An increment is acknowledged only after `WAIT` confirms a replica
/// copy, so a failover right after the reply cannot take it back. When no replica confirms in
/// time the caller gets `unavailable`: the increment may or may not survive, and the client
/// must not count it as done.
public struct RedisCounters: Counters {
    let redis: RedisStorage

    public init(redis: RedisStorage) {
        self.redis = redis
    }

    public func increment(_ id: String) async throws -> Int64 {
        let settings = self.redis.settings
        return try await self.redis.unavailableOnFailure("increment") {
            try await self.redis.client.withConnection { connection in
                let value = try await connection.execute(INCR(self.redis.key("counter", id)))
                if settings.waitReplicas > 0 {
                    let milliseconds = Int(settings.waitTimeout.components.seconds * 1000)
                        + Int(settings.waitTimeout.components.attoseconds / 1_000_000_000_000_000)
                    let copies = try await connection.execute(
                        WAIT(replicas: settings.waitReplicas, timeoutMilliseconds: milliseconds))
                    guard copies >= settings.waitReplicas else {
                        throw EventStoreError.unavailable("the increment was not replicated in time")
                    }
                }
                return value
            }
        }
    }

    public func value(of id: String) async throws -> Int64 {
        try await self.redis.unavailableOnFailure("read") {
            guard let bytes = try await self.redis.client.execute(GET(self.redis.key("counter", id))) else { return 0 }
            guard let value = Int64(String(buffer: bytes)) else {
                throw EventStoreError.unavailable("counter \(id) does not hold a number")
            }
            return value
        }
    }
}
