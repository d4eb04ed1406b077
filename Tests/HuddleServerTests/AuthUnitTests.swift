import Configuration
import Foundation
import HuddleCore
@testable import HuddleGateway
@testable import HuddleServer
import Synchronization
import Testing

/// The pieces of accounts that need no server: configuration, tokens, the login throttle,
/// input rules.
@Suite struct AuthUnitTests {
    @Test func authConfigurationReadsKeysAndRefusesShortOnes() throws {
        let key = String(repeating: "k", count: 40)
        let configuration = try HuddleConfiguration(
            reader: .init(
                provider: InMemoryProvider(values: [
                    "auth.jwt-key": .init(.string(key), isSecret: true), "auth.bcrypt-cost": "10",
                    "auth.access-ttl": "60", "auth.login-attempts": "3", "auth.dev": "false",
                ])))
        #expect(configuration.auth.jwtKey == Array(key.utf8))
        #expect(configuration.auth.bcryptCost == 10)
        #expect(configuration.auth.accessTokenLifetime == .seconds(60))
        #expect(configuration.auth.loginAttempts == 3)
        #expect(try configuration.auth.signingKey().generated == false)

        #expect(throws: ConfigurationError.self) {
            _ = try HuddleConfiguration(reader: .init(provider: InMemoryProvider(values: ["auth.jwt-key": "short"])))
        }
        #expect(throws: ConfigurationError.self) {
            _ = try HuddleConfiguration(reader: .init(provider: InMemoryProvider(values: ["auth.bcrypt-cost": "3"])))
        }
        #expect(throws: ConfigurationError.self) {
            _ = try HuddleConfiguration(reader: .init(provider: InMemoryProvider(values: ["auth.dev": "maybe"])))
        }
        // No key: refused, unless dev mode, which makes a random one.
        let none = try HuddleConfiguration(reader: .init(provider: InMemoryProvider(values: [:])))
        #expect(throws: ConfigurationError.self) { _ = try none.auth.signingKey() }
        let dev = try HuddleConfiguration(reader: .init(provider: InMemoryProvider(values: ["auth.dev": "true"])))
        let generated = try dev.auth.signingKey()
        #expect(generated.generated && generated.key.count >= 32)
        #expect(try dev.auth.signingKey().key != generated.key, "a new random key each time")
    }

    @Test func keyFilesAreReadWithoutTheirTrailingNewline() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/jwt.key"
        let key = String(repeating: "z", count: 33)
        try Data((key + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let configuration = try HuddleConfiguration(
            reader: .init(provider: InMemoryProvider(values: ["auth.jwt-key-file": .init(.string(path), isSecret: false)])))
        #expect(configuration.auth.jwtKey == Array(key.utf8))
    }

    @Test func accessTokensRoundTripAndExpireByTheirClock() async throws {
        let now = Mutex(Date(timeIntervalSince1970: 1_000_000))
        let tokens = await AccessTokens(
            key: Array(repeating: 1, count: 32), accessLifetime: .seconds(900), guestLifetime: .seconds(60),
            now: { now.withLock { $0 } })
        let ada = Identity(id: "u1", name: "Ada", role: .agent, username: "ada")
        let (token, expiresIn) = try await tokens.issue(for: ada)
        #expect(expiresIn == 900)
        let claims = try await tokens.verify(token)
        #expect(claims.userID == "u1" && claims.role == "agent" && claims.username == "ada" && claims.name == "Ada")
        #expect(AccessTokens.headerAlgorithm(of: token) == "HS256")

        now.withLock { $0 = $0.addingTimeInterval(899) }
        _ = try await tokens.verify(token)
        now.withLock { $0 = $0.addingTimeInterval(1) }
        await #expect(throws: TokenRejection.expired) { _ = try await tokens.verify(token) }

        let guest = try await tokens.issue(for: .guest(id: "guest-1", name: "Bo k3"))
        #expect(guest.expiresIn == 60)
        let guestClaims = try await tokens.verify(guest.token)
        #expect(guestClaims.role == nil && guestClaims.username == nil)
    }

    @Test func theLoginThrottleBlocksAfterTheLimitUntilTheWindowEnds() {
        let clock = Mutex(0.0)
        let throttle = LoginThrottle(attempts: 3, window: .seconds(60)) { clock.withLock { $0 } }
        for _ in 1...3 {
            #expect(throttle.retryAfter("ada|1.2.3.4") == nil)
            throttle.recordFailure("ada|1.2.3.4")
        }
        #expect(throttle.retryAfter("ada|1.2.3.4") == 60)
        #expect(throttle.retryAfter("ada|5.6.7.8") == nil, "another address is another key")
        clock.withLock { $0 = 45.2 }
        #expect(throttle.retryAfter("ada|1.2.3.4") == 15)
        clock.withLock { $0 = 60 }
        #expect(throttle.retryAfter("ada|1.2.3.4") == nil, "the window is over")
        throttle.recordFailure("ada|1.2.3.4")
        #expect(throttle.retryAfter("ada|1.2.3.4") == nil, "a new window starts counting from one")
        throttle.recordFailure("bo|1")
        throttle.recordSuccess("bo|1")
        throttle.recordFailure("bo|1")
        throttle.recordFailure("bo|1")
        #expect(throttle.retryAfter("bo|1") == nil, "a success cleared the earlier failure")
    }

    @Test func refreshTokensAreRandomAndStoredAsSHA256() {
        let a = SessionAuthority.randomToken()
        let b = SessionAuthority.randomToken()
        #expect(a != b && a.count == 43)
        #expect(a.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(SessionAuthority.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
