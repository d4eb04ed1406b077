import Foundation
import HuddleCore
import HuddleRedis
import Logging
import RESP

/// The Redis and Sentinel rig `scripts/redis-rig` starts for a test run.
enum RedisRig {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }
    static var isRunning: Bool { Self.environment["HUDDLE_TEST_REDIS_URL"] != nil }
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// Settings for the rig's master, reached through its Sentinels like production does.
    static func settings(prefix: String = "test-\(UUID().uuidString.prefix(8)):") throws -> RedisSettings {
        guard let sentinels = Self.environment["HUDDLE_TEST_REDIS_SENTINELS"] else { throw RigMissing() }
        var settings = RedisSettings(
            endpoint: .sentinel(
                sentinels: try RedisSettings.parse(sentinels: sentinels),
                masterName: Self.environment["HUDDLE_TEST_REDIS_MASTER_NAME"] ?? "huddle"))
        settings.password = Self.environment["HUDDLE_TEST_REDIS_PASSWORD"]
        settings.sentinelPassword = Self.environment["HUDDLE_TEST_REDIS_SENTINEL_PASSWORD"]
        settings.keyPrefix = prefix
        return settings
    }

    /// Runs `body` with a running ``RedisStorage`` on the rig.
    static func withStorage<T: Sendable>(
        prefix: String = "test-\(UUID().uuidString.prefix(8)):", _ body: (RedisStorage) async throws -> T
    ) async throws -> T {
        let storage = RedisStorage(settings: try Self.settings(prefix: prefix), logger: Self.logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await storage.run() }
            defer { group.cancelAll() }
            return try await body(storage)
        }
    }

    struct RigMissing: Error, CustomStringConvertible {
        var description: String { "HUDDLE_TEST_REDIS_SENTINELS is not set: run the tests with scripts/test" }
    }
}
