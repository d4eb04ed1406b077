import HuddleCore
import Logging

/// The accounts side of a replica, built once from configuration.
struct AccountsComponents: Sendable {
    let authority: SessionAuthority
    let registry: UserRegistry

    /// `signingKey` comes from ``AuthConfiguration/signingKey()``, resolved before anything
    /// else starts so that a missing key stops the replica at once.
    static func make(
        _ configuration: AuthConfiguration, signingKey: [UInt8], accounts: any Accounts, logger: Logger
    ) async throws -> AccountsComponents {
        let registry = UserRegistry(accounts: accounts, bcryptCost: configuration.bcryptCost, hashQueue: configuration.hashQueue)
        let tokens = await AccessTokens(
            key: signingKey, accessLifetime: configuration.accessTokenLifetime,
            guestLifetime: configuration.guestTokenLifetime)
        let seconds = LoginThrottle.secondsSinceStart()
        let window = configuration.loginWindow
        let authority = SessionAuthority(
            accounts: accounts, passwords: registry.passwords, tokens: tokens,
            throttle: LoginThrottle(attempts: configuration.loginAttempts, window: window, now: seconds),
            addressThrottle: LoginThrottle(attempts: configuration.addressAttempts, window: window, now: seconds),
            registrationThrottle: LoginThrottle(attempts: configuration.registrations, window: window, now: seconds),
            refreshLifetime: configuration.refreshLifetime, refreshReuseInterval: configuration.refreshReuseInterval, guestPassLifetime: configuration.guestPassLifetime, clock: WallClock.millisecondsSince1970, logger: logger,
            decoyHash: try await registry.passwords.hash(SessionAuthority.randomToken()))
        return AccountsComponents(authority: authority, registry: registry)
    }
}
