import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HuddleCore
import Hummingbird
import HummingbirdAuth
import JWTKit
import Logging

/// Logins, refresh-token sessions, guests, and turning tokens into identities.
///
/// Refresh tokens are 32 random bytes; only their SHA-256 hash is stored. Each refresh rotates
/// the token, and presenting a rotated one revokes its whole family (see ``RefreshSession``),
/// unless it was rotated less than ``refreshReuseInterval`` ago: then the answer was probably
/// lost on the way, and the family gets one more token instead.
struct SessionAuthority: Sendable {
    let accounts: any Accounts
    let passwords: PasswordHasher
    let tokens: AccessTokens
    /// Failed logins per login name and client address.
    let throttle: LoginThrottle
    /// Failed logins per client address, whatever the name (a flood of made-up names), and
    /// registrations per client address.
    let addressThrottle: LoginThrottle
    let registrationThrottle: LoginThrottle
    let refreshLifetime: Duration
    /// How long a rotated refresh token still refreshes (its answer may have been lost).
    let refreshReuseInterval: Duration
    /// What a guest's pass lasts (``pass(for:)``).
    let guestPassLifetime: Duration
    let clock: @Sendable () -> Int64
    let logger: Logger
    /// A hash with the configured cost, checked when the login names nobody, so that an unknown
    /// login takes as long as a wrong password and does not reveal which accounts exist.
    let decoyHash: String

    /// What a successful login, registration or refresh hands the client.
    struct Grant: Sendable {
        var identity: Identity
        var user: User?
        var accessToken: String
        var expiresIn: Int
        /// Set for accounts (guests get none): goes into the cookie.
        var refreshToken: String?
    }

    func login(_ login: String?, password: String?, client: String) async throws -> Grant {
        var problems: [AccountField: String] = [:]
        if (login ?? "").isEmpty { problems[.login] = AccountValidation.message(for: .login) }
        if (password ?? "").isEmpty { problems[.password] = "Enter your password." }
        guard problems.isEmpty, let login, let password else { throw InvalidFields(problems) }

        let name = login.lowercased()
        let key = name + "|" + client
        let found: User? = try await Self.pausingRefusals {
            try self.admitPasswordAttempt(throttleKey: key, client: client)
            // The place among the hashes comes first: a refused login reads nothing.
            return try await self.passwords.reserving { hashing in
                let user = try await self.accounts.user(login: name)
                return try await self.checkPassword(password, of: user, throttleKey: key, client: client, with: hashing) ? user : nil
            }
        }
        guard let user = found else { throw APIError(.unauthorized, "Wrong username, email or password.") }
        guard user.active else { throw APIError(.forbidden, "This account is deactivated.") }
        return try await self.startSession(for: user)
    }

    /// How long a refused password attempt (429: over a limit, 503: the hashes' queue is full)
    /// waits before it is answered. A flood's clients send their next attempt when the last
    /// one is answered: answered at once, a few hundred connections make thousands of
    /// requests a second that crowd out everyone else's; answered after a pause, each costs
    /// a timer. Never longer than the `Retry-After` it sends.
    static let refusalPause = Duration.seconds(1)

    /// Runs `body`; a 429 or 503 it throws is thrown after ``refusalPause``.
    static func pausingRefusals<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as APIError where error.status == .tooManyRequests || error.status == .serviceUnavailable {
            try? await Task.sleep(for: self.refusalPause)
            throw error
        }
    }

    /// 429 while `throttleKey` (a login name and client) or `client` is over its limit of
    /// failed password checks.
    private func admitPasswordAttempt(throttleKey key: String, client: String) throws {
        if let wait = self.throttle.retryAfter(key) ?? self.addressThrottle.retryAfter(client) {
            throw APIError(.tooManyRequests, "Too many failed logins; try again in \(wait) seconds.", retryAfter: wait)
        }
    }

    /// Whether `password` is `user`'s (the decoy's hash when nil), checked with bcrypt on the
    /// hashing threads; a failure counts against `throttleKey` and `client`, a success clears
    /// `throttleKey`'s count. Call ``admitPasswordAttempt(throttleKey:client:)`` first.
    private func checkPassword(
        _ password: String, of user: User?, throttleKey key: String, client: String, with hashing: PasswordHasher.Hashing
    ) async throws -> Bool {
        let matches = try await hashing.verify(password, hash: user?.passwordHash ?? self.decoyHash)
        guard user != nil, matches else {
            self.throttle.recordFailure(key)
            // Never cleared by a success: a valid login now and then must not reset a flood.
            self.addressThrottle.recordFailure(client)
            return false
        }
        self.throttle.recordSuccess(key)
        return true
    }

    /// A signed-in user's new password: `current` must be theirs (checked and throttled as a
    /// login by their username is, so that a stolen access token cannot guess it faster) and
    /// `new` must pass the registration rules. Then every session of the user ends but the
    /// one whose refresh token is `keeping` (the request's cookie; nil or not this user's:
    /// all of them). Throws ``InvalidFields`` (400), or a 401 naming `currentPassword`.
    func changePassword(
        of user: User, current: String?, new: String?, keeping refreshToken: String?, client: String
    ) async throws {
        var problems: [AccountField: String] = [:]
        if (current ?? "").isEmpty { problems[.currentPassword] = AccountValidation.message(for: .currentPassword) }
        if !(new.map(AccountValidation.isValidPassword) ?? false) {
            problems[.newPassword] = AccountValidation.message(for: .newPassword)
        }
        guard problems.isEmpty, let current, let new else { throw InvalidFields(problems) }
        let key = user.username + "|" + client
        let hash: String = try await Self.pausingRefusals {
            try self.admitPasswordAttempt(throttleKey: key, client: client)
            return try await self.passwords.reserving { hashing in
                guard try await self.checkPassword(current, of: user, throttleKey: key, client: client, with: hashing) else {
                    throw APIError(
                        .unauthorized, code: "wrong_password", "The current password is wrong.",
                        fields: [AccountField.currentPassword.rawValue: "That is not your current password."])
                }
                return try await hashing.hash(new)
            }
        }
        guard try await self.accounts.update(id: user.id, UserChanges(passwordHash: hash)) != nil else {
            throw APIError(.notFound, "No such user.")
        }
        let now = self.clock()
        var kept: String?
        if let refreshToken, !refreshToken.isEmpty,
            let session = try await self.accounts.session(tokenHash: Self.hash(refreshToken), now: now), session.userID == user.id
        {
            kept = session.familyID
        }
        try await self.accounts.revokeSessions(ofUser: user.id, except: kept, now: now)
    }

    /// Counts a registration from `client`; throws 429 past the per-address limit.
    func admitRegistration(from client: String) throws {
        if let wait = self.registrationThrottle.retryAfter(client) {
            throw APIError(.tooManyRequests, "Too many registrations from here; try again in \(wait) seconds.", retryAfter: wait)
        }
        self.registrationThrottle.recordFailure(client)
    }

    /// A new session family for `user`: an access token and its first refresh token.
    func startSession(for user: User) async throws -> Grant {
        let refresh = Self.randomToken()
        let now = self.clock()
        try await self.accounts.startSession(
            RefreshSession(
                tokenHash: Self.hash(refresh), familyID: UUID().uuidString.lowercased(), userID: user.id, createdAt: now,
                expiresAt: now + self.refreshLifetime.milliseconds64))
        let identity = Identity(user: user)
        let (token, expiresIn) = try await self.tokens.issue(for: identity)
        return Grant(identity: identity, user: user, accessToken: token, expiresIn: expiresIn, refreshToken: refresh)
    }

    func refresh(_ presented: String?) async throws -> Grant {
        guard let presented, !presented.isEmpty else { throw APIError(.unauthorized, "No session; log in.") }
        let replacement = Self.randomToken()
        let now = self.clock()
        let outcome = try await self.accounts.rotate(
            tokenHash: Self.hash(presented), replacementHash: Self.hash(replacement), now: now,
            expiresAt: now + self.refreshLifetime.milliseconds64, reuseInterval: self.refreshReuseInterval.milliseconds64)
        switch outcome {
        case .rotated(let session):
            guard let user = try await self.accounts.user(id: session.userID), user.active else {
                try await self.accounts.revokeSessions(ofUser: session.userID, now: now)
                throw APIError(.unauthorized, "The session has ended; log in.")
            }
            let identity = Identity(user: user)
            let (token, expiresIn) = try await self.tokens.issue(for: identity)
            return Grant(identity: identity, user: user, accessToken: token, expiresIn: expiresIn, refreshToken: replacement)
        case .reused(let family, let userID):
            self.logger.warning(
                "A rotated refresh token was presented again; its session is revoked",
                metadata: ["family": .string(family), "user": .string(userID)])
            throw APIError(.unauthorized, "The session has ended; log in.")
        case .invalid:
            throw APIError(.unauthorized, "The session has ended; log in.")
        }
    }

    func logout(_ presented: String?) async throws {
        guard let presented, !presented.isEmpty else { return }
        try await self.accounts.revokeFamily(ofTokenHash: Self.hash(presented), now: self.clock())
    }

    func guest() async throws -> Grant {
        let identity = Identity.guest(id: "guest-" + Self.randomToken().prefix(16).lowercased())
        let (token, expiresIn) = try await self.tokens.issue(for: identity)
        return Grant(identity: identity, user: nil, accessToken: token, expiresIn: expiresIn, refreshToken: nil)
    }

    /// A longer-lived token for a guest who now is somebody in an app (a tournament's organiser
    /// or player), so that their page resumes as them after a reload; nil for a user, whose
    /// session already lasts. Worth no more than the guest's own token: a guest owns only what
    /// it created or joined.
    func pass(for identity: Identity) async throws -> Grant? {
        guard identity.isGuest else { return nil }
        let (token, expiresIn) = try await self.tokens.issue(for: identity, lifetime: self.guestPassLifetime)
        return Grant(identity: identity, user: nil, accessToken: token, expiresIn: expiresIn, refreshToken: nil)
    }

    /// The identity an access token stands for. A user's token also needs the user to exist
    /// and be active now, and the role is read from the store, so that deactivation and role
    /// changes apply at once rather than when the token expires.
    func identity(accessToken: String) async throws -> Identity {
        let claims = try await self.tokens.verify(accessToken)
        guard claims.role != nil else { return Identity.guest(id: claims.userID, name: claims.name) }
        guard let user = try await self.accounts.user(id: claims.userID), user.active else {
            throw TokenRejection.inactive
        }
        return Identity(user: user)
    }

    /// A user as they are now, for connections that already authenticated: nil when the
    /// account is gone or deactivated.
    func identity(userID: String) async throws -> Identity? {
        guard let user = try await self.accounts.user(id: userID), user.active else { return nil }
        return Identity(user: user)
    }

    /// The identity of a live refresh-token session, without rotating it (a WebSocket upgrade
    /// that carries the cookie).
    func identity(refreshToken: String) async throws -> Identity? {
        guard let session = try await self.accounts.session(tokenHash: Self.hash(refreshToken), now: self.clock()),
            let user = try await self.accounts.user(id: session.userID), user.active
        else { return nil }
        return Identity(user: user)
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in generator.next() as UInt8 }
        return Data(bytes).base64EncodedString().replacing("+", with: "-").replacing("/", with: "_").replacing("=", with: "")
    }

    static func hash(_ token: String) -> String {
        SHA256.hex(of: token)
    }
}

extension Duration {
    var milliseconds64: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

extension SessionAuthority {
    /// Who opens a WebSocket, from what the upgrade request carries: an `Authorization: Bearer`
    /// access token (scripts), or the refresh cookie of a live session (sent only where the
    /// cookie's path allows). Neither, or an invalid one: a guest, who may authenticate later
    /// with an `auth` frame.
    func identity(atUpgrade request: Request) async -> Identity? {
        if let bearer = request.headers.bearer {
            return try? await self.identity(accessToken: bearer.token)
        }
        if let cookie = request.cookies[AuthRoutes.cookieName]?.value, !cookie.isEmpty {
            return try? await self.identity(refreshToken: cookie)
        }
        return nil
    }
}
