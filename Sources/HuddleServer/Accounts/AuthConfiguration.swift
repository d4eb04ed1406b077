public import Configuration
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Accounts and sessions: the `auth.*` keys of ``Settings``.
public struct AuthConfiguration: Sendable {
    /// The signing key as configured; nil when none is (allowed only with ``dev``).
    public var jwtKey: [UInt8]?
    public var dev: Bool
    public var accessTokenLifetime: Duration
    public var guestTokenLifetime: Duration
    /// What a guest's token lasts once they created or joined a tournament.
    public var guestPassLifetime: Duration
    public var refreshLifetime: Duration
    /// How long a rotated refresh token still refreshes instead of revoking its session.
    public var refreshReuseInterval: Duration
    public var bcryptCost: Int
    /// Password hashes waiting or running at once before logins get 503.
    public var hashQueue: Int
    public var loginAttempts: Int
    /// Failed logins per client address, whatever the login name.
    public var addressAttempts: Int
    /// Registrations per client address.
    public var registrations: Int
    public var loginWindow: Duration

    /// HS256 keys shorter than the hash are weak (and jwt-kit traps on them).
    public static let minimumKeyBytes = 32

    /// Every `auth.*` setting at its default.
    public init() {
        try! self.init(reader: ConfigReader(provider: InMemoryProvider(name: "defaults", values: [:])))
    }

    public init(reader: ConfigReader) throws {
        self.dev = try reader.flag(Settings.authDev)
        if let key = reader.value(Settings.authJWTKey) {
            self.jwtKey = Array(key.utf8)
        } else if let file = reader.value(Settings.authJWTKeyFile) {
            self.jwtKey = Array(try HuddleConfiguration.secret(fromFile: file, setting: Settings.authJWTKeyFile).utf8)
        }
        if let key = self.jwtKey, key.count < Self.minimumKeyBytes {
            throw ConfigurationError(
                description: "auth.jwt-key (HUDDLE_AUTH_JWT_KEY or HUDDLE_AUTH_JWT_KEY_FILE) must be at least "
                    + "\(Self.minimumKeyBytes) bytes, not \(key.count); make one with `openssl rand -base64 48`")
        }
        self.accessTokenLifetime = .seconds(try reader.integer(Settings.authAccessTTL, in: 10...(24 * 3600)))
        self.guestTokenLifetime = .seconds(try reader.integer(Settings.authGuestTTL, in: 10...(7 * 24 * 3600)))
        self.guestPassLifetime = .seconds(try reader.integer(Settings.authGuestPassTTL, in: 10...(30 * 24 * 3600)))
        self.refreshLifetime = .seconds(try reader.integer(Settings.authRefreshTTL, in: 1...365) * 24 * 3600)
        self.refreshReuseInterval = .seconds(try reader.integer(Settings.authRefreshReuseInterval, in: 0...300))
        self.bcryptCost = try reader.integer(Settings.authBcryptCost, in: 4...16)
        self.hashQueue = try reader.integer(Settings.authHashQueue, in: 1...100_000)
        self.loginAttempts = try reader.integer(Settings.authLoginAttempts, in: 1...1000)
        self.addressAttempts = try reader.integer(Settings.authAddressAttempts, in: 1...100_000)
        self.registrations = try reader.integer(Settings.authRegistrations, in: 1...100_000)
        self.loginWindow = .seconds(try reader.integer(Settings.authLoginWindow, in: 1...(24 * 3600)))
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
