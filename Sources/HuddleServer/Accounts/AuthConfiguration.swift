public import Configuration
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Accounts and sessions (keys under `auth.`).
///
/// - `auth.jwt-key` (secret; prefer the file) or `auth.jwt-key-file`: the HS256 key that signs
///   access tokens, at least 32 bytes. Required unless `auth.dev` is set.
/// - `auth.dev` (`true`/`false`, default false; the `--dev` flag): without a key, generate a
///   random one at start (every restart signs users out) and say so in the log.
/// - `auth.access-ttl` (seconds, 900): lifetime of an access token.
/// - `auth.guest-ttl` (seconds, 3600): lifetime of a guest token (guests cannot refresh).
/// - `auth.refresh-ttl` (days, 30): a session ends this long after its last refresh.
/// - `auth.bcrypt-cost` (12, 4–16): work factor of password hashes; 4 only in tests.
/// - `auth.login-attempts` (5) failed logins per login name and client address within
///   `auth.login-window` (seconds, 900) before further attempts get 429.
public struct AuthConfiguration: Sendable {
    /// The signing key as configured; nil when none is (allowed only with ``dev``).
    public var jwtKey: [UInt8]?
    public var dev = false
    public var accessTokenLifetime = Duration.seconds(15 * 60)
    public var guestTokenLifetime = Duration.seconds(60 * 60)
    public var refreshLifetime = Duration.seconds(30 * 24 * 3600)
    public var bcryptCost = 12
    public var loginAttempts = 5
    public var loginWindow = Duration.seconds(15 * 60)

    /// HS256 keys shorter than the hash are weak (and jwt-kit traps on them).
    public static let minimumKeyBytes = 32

    public init() {}

    public init(reader: ConfigReader) throws {
        let defaults = AuthConfiguration()
        self.dev = try reader.flag("auth.dev", default: false)
        if let key = reader.string(forKey: "auth.jwt-key", isSecret: true) {
            self.jwtKey = Array(key.utf8)
        } else if let file = reader.string(forKey: "auth.jwt-key-file") {
            self.jwtKey = Array(try HuddleConfiguration.secret(fromFile: file, key: "auth.jwt-key-file").utf8)
        }
        if let key = self.jwtKey, key.count < Self.minimumKeyBytes {
            throw ConfigurationError(
                description: "auth.jwt-key (HUDDLE_AUTH_JWT_KEY or HUDDLE_AUTH_JWT_KEY_FILE) must be at least "
                    + "\(Self.minimumKeyBytes) bytes, not \(key.count); make one with `openssl rand -base64 48`")
        }
        self.accessTokenLifetime = .seconds(
            try reader.integer("auth.access-ttl", default: 15 * 60, in: 10...(24 * 3600)))
        self.guestTokenLifetime = .seconds(try reader.integer("auth.guest-ttl", default: 3600, in: 10...(7 * 24 * 3600)))
        self.refreshLifetime = .seconds(try reader.integer("auth.refresh-ttl", default: 30, in: 1...365) * 24 * 3600)
        self.bcryptCost = try reader.integer("auth.bcrypt-cost", default: defaults.bcryptCost, in: 4...16)
        self.loginAttempts = try reader.integer("auth.login-attempts", default: defaults.loginAttempts, in: 1...1000)
        self.loginWindow = .seconds(try reader.integer("auth.login-window", default: 15 * 60, in: 1...(24 * 3600)))
    }

    /// The key to sign with: the configured one, or in dev mode a random one. Throws when
    /// there is none outside dev mode, so that a replica never starts with a guessable key.
    func signingKey() throws -> (key: [UInt8], generated: Bool) {
        if let key = self.jwtKey {
            guard key.count >= Self.minimumKeyBytes else {
                throw ConfigurationError(description: "auth.jwt-key must be at least \(Self.minimumKeyBytes) bytes")
            }
            return (key, false)
        }
        guard self.dev else {
            throw ConfigurationError(
                description: "no token signing key: set auth.jwt-key-file (HUDDLE_AUTH_JWT_KEY_FILE) to a file of at least "
                    + "\(Self.minimumKeyBytes) random bytes (`openssl rand -base64 48`), or run with --dev (HUDDLE_AUTH_DEV=true) "
                    + "for a throwaway key")
        }
        var generator = SystemRandomNumberGenerator()
        return ((0..<48).map { _ in generator.next() as UInt8 }, true)
    }
}
