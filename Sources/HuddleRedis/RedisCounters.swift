public import HuddleCore
import Logging
import NIOCore
import RESP

/// ``Counters`` on Redis: `INCRBY` on the master, then `WAIT` until a replica has it.
///
/// `INCRBY` is atomic, so concurrent increments from every replica never lose a count (seed
/// 003's GET-then-SET did). An increment is acknowledged only after `WAIT` confirms a replica
/// copy, so a failover right after the reply cannot take it back. When no replica confirms in
/// time the caller gets `unavailable`: the increment may or may not survive, and the client
/// must not count it as done.
///
/// Increments are group-committed: those that arrive while a batch waits for its replica
/// form the next batch, which adds up each counter's share into one pipelined `INCRBY` and
/// then sends one `WAIT` on the same connection. `WAIT` counts every earlier write of its
/// connection, so one acknowledgement covers the whole batch.
public struct RedisCounters: Counters {
    let redis: RedisStorage
    private let increments: GroupCommit<String, Int64>

    /// Increments per batch at most.
    static let maximumBatch = 1024

    public init(redis: RedisStorage) {
        self.redis = redis
        self.increments = GroupCommit(maximumBatch: Self.maximumBatch) { batch in
            await Self.commit(batch, on: redis)
        }
    }

    public func increment(_ id: String) async throws -> Int64 {
        try await self.increments.submit(self.redis.key("counter", id))
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

    /// One `INCRBY` per counter of `keys` (pipelined on one connection), then one `WAIT`.
    private static func commit(_ keys: [String], on redis: RedisStorage) async -> [Result<Int64, any Error>] {
        let increments = IncrementBatch(keys)
        let settings = redis.settings
        let totals: [String: Result<Int64, any Error>]
        do {
            totals = try await redis.unavailableOnFailure("increment") {
                try await redis.client.withConnection { connection in
                    let totals = await withTaskGroup(of: (String, Result<Int64, any Error>).self) { group in
                        for share in increments.shares {
                            group.addTask {
                                do {
                                    return (share.counter, .success(try await connection.execute(INCRBY(share.counter, by: Int64(share.count)))))
                                } catch {
                                    redis.logger.warning("Redis increment failed", metadata: ["error": "\(error)"])
                                    return (share.counter, .failure(EventStoreError.unavailable("Redis is unavailable")))
                                }
                            }
                        }
                        return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
                    }
                    if settings.waitReplicas > 0 {
                        let copies = try await connection.execute(
                            WAIT(replicas: settings.waitReplicas, timeoutMilliseconds: Int(settings.waitTimeout / .milliseconds(1))))
                        guard copies >= settings.waitReplicas else {
                            throw EventStoreError.unavailable("the increment was not replicated in time")
                        }
                    }
                    return totals
                }
            }
        } catch {
            return keys.map { _ in .failure(error) }
        }
        return increments.outcomes(totals: totals, missing: EventStoreError.unavailable("Redis is unavailable"))
    }
}
