import Configuration
import Foundation
import HuddleGateway
import HuddleRedis
import HuddleServer
import Testing

@Suite struct SettingsTests {
    /// The README documents every setting exactly as the code declares it.
    @Test func theReadmesConfigurationTableIsTheCodes() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        #expect(text.contains(Settings.markdownTable), "README.md's configuration table should read:\n\(Settings.markdownTable)")
    }

    /// Every default parses (``HuddleConfiguration/init()`` relies on it) and means what the
    /// table says.
    @Test func theDefaultsAreTheTablesDefaults() throws {
        let configuration = try HuddleConfiguration(reader: ConfigReader(provider: InMemoryProvider(name: "defaults", values: [:])))
        #expect(configuration.port == 8080)
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.gateway.maxMessageSize == 65536)
        #expect(configuration.auth.bcryptCost == 12)
        #expect(configuration.store == .sqlite)
    }

    @Test func keysFlagsAndVariablesAreUniqueAndSpelledOneWay() {
        let keys = Settings.all.map(\.key)
        #expect(Set(keys).count == keys.count)
        let flags = Settings.all.compactMap(\.flagSpelling)
        #expect(Set(flags).count == flags.count)
        #expect(Settings.setting(forFlag: "--ws-max-message")?.environmentVariable == "HUDDLE_WS_MAX_MESSAGE")
        #expect(Settings.setting(forFlag: "--dev")?.key == "auth.dev")
        #expect(Settings.all.filter(\.isSecret).allSatisfy { $0.flag != .toggle })
    }

    /// `rediss://` or `redis.tls on` turns TLS on for Redis and its Sentinels; plain by default.
    @Test func redisTLSFollowsTheSchemeOrTheSetting() throws {
        func redis(_ values: [AbsoluteConfigKey: ConfigValue]) throws -> HuddleConfiguration {
            try HuddleConfiguration(reader: ConfigReader(provider: InMemoryProvider(name: "test", values: values)))
        }
        let insecure: [AbsoluteConfigKey: ConfigValue] = ["allow-insecure-redis": "true"]
        #expect(try redis(insecure.merging(["redis.url": "redis://h:6379/0"]) { $1 }).redis?.tls == nil)
        #expect(try redis(insecure.merging(["redis.url": "rediss://h:6380/0"]) { $1 }).redis?.tls != nil)
        #expect(try redis(insecure.merging(["redis.sentinels": "h:26379", "redis.tls": "on"]) { $1 }).redis?.tls != nil)
        #expect(throws: ConfigurationError.self) {
            try redis(insecure.merging(["redis.url": "rediss://h:6380/0", "redis.tls-ca-file": "/nonexistent.pem"]) { $1 })
        }
        #expect(throws: ConfigurationError.self) { try redis(insecure.merging(["redis.url": "http://h:6380/0"]) { $1 }) }
    }
}
