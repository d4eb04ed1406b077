import Foundation
import Logging
import RESP
import Testing

/// The Redis processes `scripts/redis-rig` started, read from the environment. Absent when
/// the tests run without the rig: the integration suites are then skipped, with this reason.
enum RedisRig {
    static let environment = ProcessInfo.processInfo.environment

    static let skipReason: Comment = "no Redis rig: HUDDLE_TEST_REDIS_URL is not set (run scripts/test, or eval \"$(scripts/redis-rig start)\")"

    static var isAvailable: Bool { master != nil && password != nil }

    static var hasSentinels: Bool { isAvailable && !sentinels.isEmpty && failoverMasterName != nil }

    static var master: RESPServerAddress? {
        guard let url = environment["HUDDLE_TEST_REDIS_URL"] else { return nil }
        return RESPServerAddress(url.replacingOccurrences(of: "redis://", with: ""))
    }

    static var password: String? { environment["HUDDLE_TEST_REDIS_PASSWORD"] }
    static var sentinelPassword: String? { environment["HUDDLE_TEST_REDIS_SENTINEL_PASSWORD"] }
    static var masterName: String? { environment["HUDDLE_TEST_REDIS_MASTER_NAME"] }
    static var failoverMasterName: String? { environment["HUDDLE_TEST_REDIS_FAILOVER_MASTER_NAME"] }
    static var failoverMasterPID: Int32? { environment["HUDDLE_TEST_REDIS_FAILOVER_MASTER_PID"].flatMap { Int32($0) } }

    static var sentinels: [RESPServerAddress] {
        (environment["HUDDLE_TEST_REDIS_SENTINELS"] ?? "").split(separator: ",").compactMap { RESPServerAddress($0) }
    }

    static func connectionConfiguration(_ version: RESPConnectionConfiguration.ProtocolVersion = .resp3) -> RESPConnectionConfiguration {
        RESPConnectionConfiguration(authentication: password.map { RESPAuthentication(password: $0) }, protocolVersion: version)
    }

    static func connect(_ version: RESPConnectionConfiguration.ProtocolVersion = .resp3) async throws -> RESPConnection {
        try await RESPConnection.connect(to: master!, configuration: connectionConfiguration(version), logger: logger)
    }

    static let logger: Logger = {
        var logger = Logger(label: "resp-test")
        logger.logLevel = environment["HUDDLE_TEST_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .warning
        return logger
    }()

    /// A key no other test or run uses.
    static func key(_ name: String) -> String {
        "test:\(name):\(UUID().uuidString)"
    }
}

/// Runs `body` with a client whose `run()` is going, then stops it.
func withClient<Result: Sendable>(
    _ client: RESPClient,
    _ body: @Sendable (RESPClient) async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask {
            await client.run()
            return nil
        }
        let result = try await body(client)
        group.cancelAll()
        return result
    }
}
