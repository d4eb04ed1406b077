import Foundation
public import HuddleCore
import NIOCore
import RESP

/// ``Presence`` on Redis: per channel, a sorted set of member ids scored by when they
/// expire, and a hash of their names.
///
/// Replicas refresh their own members' scores; a replica that dies stops refreshing, its
/// members' scores fall into the past, and the next replica to reap the channel removes them
/// (`ZREM` tells exactly one reaper it removed each) and announces their departure.
public struct RedisPresence: Presence {
    let redis: RedisStorage
    let timeToLive: Duration

    public init(redis: RedisStorage, timeToLive: Duration) {
        self.redis = redis
        self.timeToLive = timeToLive
    }

    public func join(_ member: PresenceMember, channel: String) async throws {
        try await self.refresh([member], channel: channel)
    }

    public func leave(memberID: String, channel: String) async throws {
        try await self.redis.unavailableOnFailure("presence leave") {
            _ = try await self.redis.client.execute(ZREM(self.membersKey(channel), members: [.string(memberID)]))
            _ = try await self.redis.client.execute(HDEL(self.namesKey(channel), fields: [memberID]))
        }
    }

    public func members(of channel: String) async throws -> [PresenceMember] {
        try await self.redis.unavailableOnFailure("presence read") {
            let ids = try await self.redis.client.execute(
                ZRANGEBYSCORE(self.membersKey(channel), from: .exclusive(Self.now()), to: .positiveInfinity))
            let names = try await self.redis.client.execute(HGETALL(self.namesKey(channel)))
            return ids.map { id in
                let id = String(buffer: id)
                return PresenceMember(id: id, name: names[id].map { String(buffer: $0) } ?? "")
            }
        }
    }

    public func refresh(_ members: [PresenceMember], channel: String) async throws {
        guard !members.isEmpty else { return }
        let expiry = Self.now() + self.timeToLive.milliseconds
        try await self.redis.unavailableOnFailure("presence refresh") {
            _ = try await self.redis.client.execute(
                ZADD(self.membersKey(channel), members: members.map { (score: expiry, member: .string($0.id)) }))
            _ = try await self.redis.client.execute(
                HSET(self.namesKey(channel), fields: members.map { (field: $0.id, value: .string($0.name)) }))
            // Keys of channels nobody refreshes any more disappear by themselves; never so soon
            // that a slow moment between two replicas' refreshes could drop live members.
            let keep = max(Int(self.timeToLive.milliseconds) * 4, 60_000)
            _ = try await self.redis.client.execute(PEXPIRE(self.membersKey(channel), milliseconds: keep))
            _ = try await self.redis.client.execute(PEXPIRE(self.namesKey(channel), milliseconds: keep))
        }
    }

    public func reapExpired(channel: String) async throws -> [PresenceMember] {
        try await self.redis.unavailableOnFailure("presence reap") {
            let expired = try await self.redis.client.execute(
                ZRANGEBYSCORE(self.membersKey(channel), from: .negativeInfinity, to: .inclusive(Self.now())))
            guard !expired.isEmpty else { return [] }
            let names = try await self.redis.client.execute(HGETALL(self.namesKey(channel)))
            var reaped: [PresenceMember] = []
            for id in expired.map({ String(buffer: $0) }) {
                // Only the replica whose ZREM removed the entry announces the departure.
                let removed = try await self.redis.client.execute(ZREM(self.membersKey(channel), members: [.string(id)]))
                guard removed == 1 else { continue }
                _ = try await self.redis.client.execute(HDEL(self.namesKey(channel), fields: [id]))
                reaped.append(PresenceMember(id: id, name: names[id].map { String(buffer: $0) } ?? ""))
            }
            return reaped
        }
    }

    private func membersKey(_ channel: String) -> String { self.redis.key("presence", channel) }
    private func namesKey(_ channel: String) -> String { self.redis.key("presence-names", channel) }

    private static func now() -> Double {
        Date().timeIntervalSince1970 * 1000
    }
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
