#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HuddleCore
import JWTKit

/// Signs and checks access tokens: HS256 JWTs carrying who the bearer is.
///
/// A token is accepted only when its header says HS256, its signature is ours and it has not
/// expired. jwt-kit checks the signature with our key whatever the header says, so `alg: none`
/// fails there too; refusing other algorithms up front makes that explicit.
struct AccessTokens: Sendable {
    let keys: JWTKeyCollection
    let accessLifetime: Duration
    let guestLifetime: Duration
    let now: @Sendable () -> Date

    init(key: [UInt8], accessLifetime: Duration, guestLifetime: Duration, now: @escaping @Sendable () -> Date = { Date() })
        async
    {
        self.keys = await JWTKeyCollection().add(hmac: HMACKey(from: key), digestAlgorithm: .sha256)
        self.accessLifetime = accessLifetime
        self.guestLifetime = guestLifetime
        self.now = now
    }

    /// A signed token for `identity`, and its lifetime in seconds: `lifetime`, or the one
    /// configured for guests or users.
    func issue(for identity: Identity, lifetime: Duration? = nil) async throws -> (token: String, expiresIn: Int) {
        let lifetime = lifetime ?? (identity.isGuest ? self.guestLifetime : self.accessLifetime)
        let seconds = Int(lifetime.components.seconds)
        let issued = self.now()
        let claims = AccessClaims(
            sub: .init(value: identity.id), exp: .init(value: issued.addingTimeInterval(Double(seconds))),
            iat: .init(value: issued), name: identity.name, role: identity.role?.rawValue, username: identity.username)
        return (try await self.keys.sign(claims), seconds)
    }

    /// The claims of a valid token; throws ``TokenRejection`` otherwise.
    func verify(_ token: String) async throws -> AccessClaims {
        guard Self.headerAlgorithm(of: token) == "HS256" else { throw TokenRejection.invalid }
        let claims: AccessClaims
        do {
            claims = try await self.keys.verify(token, as: AccessClaims.self)
        } catch {
            throw TokenRejection.invalid
        }
        guard self.now() < claims.exp.value else { throw TokenRejection.expired }
        return claims
    }

    /// The `alg` of a token's header, without trusting anything else in it.
    static func headerAlgorithm(of token: String) -> String? {
        guard let header = token.split(separator: ".", omittingEmptySubsequences: false).first else { return nil }
        var base64 = String(header).replacing("-", with: "+").replacing("_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else { return nil }
        return (try? JSONDecoder().decode(Header.self, from: data))?.alg
    }

    private struct Header: Decodable {
        var alg: String?
    }
}

/// Why a bearer token was refused (the message is the same for the client either way).
enum TokenRejection: Error, Equatable {
    case invalid
    case expired
    case inactive
}

/// The claims of a Huddle access token. A guest's token has no `role` and no `username`.
struct AccessClaims: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var name: String
    var role: String?
    var username: String?

    var userID: String { self.sub.value }

    /// Expiry is checked by ``AccessTokens/verify(_:)`` against its own clock, so that tests can
    /// move time instead of waiting.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
