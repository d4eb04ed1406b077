import HuddleCore
import Hummingbird
import HummingbirdAuth

/// Fills ``AppRequestContext/identity`` from an `Authorization: Bearer` access token.
///
/// A missing or refused token leaves the request anonymous rather than failing it: public
/// routes (the Counter) keep working, and routes that need someone answer 401 through
/// ``AppRequestContext/requireAccount()``, naming what was wrong with the token.
struct IdentityMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let authority: SessionAuthority

    func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let bearer = request.headers.bearer else { return try await next(request, context) }
        var context = context
        do {
            let identity = try await self.authority.identity(accessToken: bearer.token)
            context.identity = identity
            context.requestLog.user = identity.id
        } catch let rejection as TokenRejection {
            context.tokenProblem =
                switch rejection {
                case .expired: "The access token has expired; refresh it."
                case .invalid: "The access token is not valid."
                case .inactive: "This account is deactivated."
                }
        }
        return try await next(request, context)
    }
}

extension AppRequestContext {
    /// Anyone with a valid token, guests included; 401 otherwise.
    func requireIdentity() throws -> Identity {
        guard let identity = self.identity else {
            throw APIError(.unauthorized, self.tokenProblem ?? "Log in first: no access token was sent.")
        }
        return identity
    }

    /// A signed-in account (401 without a valid token, 403 for a guest).
    func requireAccount() throws -> Identity {
        let identity = try self.requireIdentity()
        guard !identity.isGuest else { throw APIError(.forbidden, "Guests cannot do this; log in or register.") }
        return identity
    }

    /// An admin (401 without a valid token, 403 for anyone else).
    func requireAdmin() throws -> Identity {
        let identity = try self.requireAccount()
        guard identity.isAdmin else { throw APIError(.forbidden, "Only admins can do this.") }
        return identity
    }
}
