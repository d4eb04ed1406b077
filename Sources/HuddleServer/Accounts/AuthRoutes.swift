import HTTPTypes
import HuddleCore
import Hummingbird
import Logging
import NIOCore

/// `/api/v1/auth/*`: register, login, refresh, logout, me (and changing it), password, guest.
///
/// The refresh token travels only in the `huddle_refresh` cookie (`HttpOnly; Secure;
/// SameSite=Strict; Path=/api/v1/auth`): page scripts cannot read it, other sites cannot send
/// it, and it goes to no other path. The access token is in the response body; the pages keep
/// it in memory only.
struct AuthRoutes {
    let authority: SessionAuthority
    let registry: UserRegistry
    let trustedProxies: TrustedProxies
    /// Tells the user's open WebSockets about a new display name.
    let changes: AccountChanges

    static let cookieName = "huddle_refresh"
    static let cookiePath = "/api/v1/auth"

    func register(on router: Router<AppRequestContext>) {
        let auth = router.group("api/v1/auth")
        auth.post("register") { request, context in
            let input = try await request.decode(as: RegisterInput.self, context: context)
            let user = try await SessionAuthority.pausingRefusals {
                try self.authority.admitRegistration(from: self.client(request, context))
                return try await self.registry.create(
                    username: input.username, email: input.email, password: input.password, displayName: input.displayName)
            }
            context.logger.info("Registered a user", metadata: ["user": .string(user.id)])
            return try self.grantResponse(try await self.authority.startSession(for: user), request: request, status: .created)
        }
        auth.post("login") { request, context in
            let input = try await request.decode(as: LoginInput.self, context: context)
            let grant = try await self.authority.login(input.login, password: input.password, client: self.client(request, context))
            return try self.grantResponse(grant, request: request)
        }
        auth.post("refresh") { request, context in
            // No cookie at all: nobody is signed in in this browser, which is no error (a page
            // asks on every load). A cookie whose session is over is one: 401, and it is dropped.
            guard let cookie = request.cookies[Self.cookieName]?.value else { return Response(status: .noContent) }
            do {
                let grant = try await self.authority.refresh(cookie)
                return try self.grantResponse(grant, request: request)
            } catch let error as APIError where error.status == .unauthorized {
                // A dead session's cookie is of no further use: answer 401 and drop it.
                var response = RequestMiddleware.jsonError(error, requestID: context.requestID)
                response.setCookie(Self.cookie(value: "", maxAge: 0, request: request))
                return response
            }
        }
        auth.post("logout") { request, _ in
            try await self.authority.logout(request.cookies[Self.cookieName]?.value)
            var response = Response(status: .noContent)
            response.setCookie(Self.cookie(value: "", maxAge: 0, request: request))
            return response
        }
        auth.get("me") { _, context in
            let identity = try context.requireIdentity()
            guard !identity.isGuest, let user = try await self.registry.accounts.user(id: identity.id) else {
                return try JSONResponse.make(AccountBody(guest: identity))
            }
            return try JSONResponse.make(AccountBody(user: user, showPrivate: true))
        }
        auth.patch("me") { request, context in
            let identity = try context.requireAccount()
            let input = try await request.decode(as: ProfileInput.self, context: context)
            guard
                let user = try await self.registry.updateProfile(
                    id: identity.id, displayName: input.displayName, email: input.email)
            else { throw APIError(.notFound, "No such user.") }
            // As for an admin's change: the user's sockets take on the new name before the answer.
            if input.displayName != nil { await self.changes.announce(user.id) }
            return try JSONResponse.make(AccountBody(user: user, showPrivate: true))
        }
        auth.post("password") { request, context in
            let identity = try context.requireAccount()
            let input = try await request.decode(as: PasswordChangeInput.self, context: context)
            guard let user = try await self.registry.accounts.user(id: identity.id) else {
                throw APIError(.notFound, "No such user.")
            }
            // The request's own cookie names the session that stays; its token is not rotated,
            // so the response sets no cookie.
            try await self.authority.changePassword(
                of: user, current: input.currentPassword, new: input.newPassword,
                keeping: request.cookies[Self.cookieName]?.value, client: self.client(request, context))
            context.logger.info("A user changed their password; their other sessions ended", metadata: ["user": .string(user.id)])
            return Response(status: .noContent)
        }
        auth.post("guest") { _, _ in
            try JSONResponse.make(GrantBody(try await self.authority.guest()))
        }
    }

    private func grantResponse(
        _ grant: SessionAuthority.Grant, request: Request, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        var response = try JSONResponse.make(GrantBody(grant), status: status)
        if let refresh = grant.refreshToken {
            let maxAge = Int(self.authority.refreshLifetime.components.seconds)
            response.setCookie(Self.cookie(value: refresh, maxAge: maxAge, request: request))
        }
        return response
    }

    static func cookie(value: String, maxAge: Int, request: Request) -> Cookie {
        Cookie(
            name: Self.cookieName, value: value, maxAge: maxAge, path: Self.cookiePath,
            secure: !Self.isPlainHTTPLocalhost(request), httpOnly: true, sameSite: .strict)
    }

    /// Browsers refuse to store a `Secure` cookie sent over plain HTTP except from localhost, and
    /// some refuse it for 127.0.0.1 as well; a developer's `http://localhost:8080` must work.
    /// Anything else (a real host name, or HTTPS at a proxy) gets `Secure`.
    static func isPlainHTTPLocalhost(_ request: Request) -> Bool {
        if request.headers[.xForwardedProto]?.lowercased() == "https" { return false }
        guard let authority = request.headers[.hostHeader] ?? request.head.authority else { return false }
        let host: Substring
        if authority.hasPrefix("[") {
            host = authority.prefix { $0 != "]" }.dropFirst()
        } else {
            host = authority.split(separator: ":", maxSplits: 1).first ?? ""
        }
        return host == "localhost" || host == "127.0.0.1" || host == "::1" || host.hasSuffix(".localhost")
    }

    /// The client's address, for the login rate limit: the TCP peer, or what a trusted proxy
    /// says in `X-Forwarded-For` (anyone else can send that header).
    func client(_ request: Request, _ context: AppRequestContext) -> String {
        self.trustedProxies.client(of: request, context)
    }
}

extension HTTPField.Name {
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let xForwardedFor = Self("X-Forwarded-For")!
    /// HTTP/1's Host; on the live server it arrives as the request's authority instead.
    static let hostHeader = Self("Host")!
}
