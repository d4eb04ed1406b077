import Foundation
import HTTPTypes
import HuddleCore
@testable import HuddleGateway
@testable import HuddleServer
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The accounts API in-process: registration, login, refresh rotation and reuse, logout,
/// guests, admin-only routes, and every way an access token is refused.
@Suite struct AccountRouteTests {
    typealias Client = any TestClientProtocol

    struct Reply {
        var status: HTTPResponse.Status
        var body: [String: Any]
        var headers: HTTPFields

        var cookie: String? { self.headers[.setCookie] }
        /// The refresh token the response set, if any.
        var refreshToken: String? {
            guard let cookie, cookie.hasPrefix("huddle_refresh=") else { return nil }
            let value = cookie.dropFirst("huddle_refresh=".count).prefix { $0 != ";" }
            return value.isEmpty ? nil : String(value)
        }
        var token: String? { self.body["accessToken"] as? String }
        var fields: [String: String] { self.body["fields"] as? [String: String] ?? [:] }
    }

    static func call(
        _ client: Client, _ method: HTTPRequest.Method, _ uri: String, json: [String: Any]? = nil, token: String? = nil,
        refresh: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let refresh { headers[.cookie] = "huddle_refresh=\(refresh)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            let text = String(buffer: response.body)
            let object = text.isEmpty ? [:] : (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:])
            return Reply(status: response.status, body: object, headers: response.headers)
        }
    }

    static func register(
        _ client: Client, _ name: String, password: String = "correct horse", headers: HTTPFields = [:]
    ) async throws -> Reply {
        try await Self.call(
            client, .post, "/api/v1/auth/register",
            json: ["username": name, "email": "\(name)@example.com", "password": password], headers: headers)
    }

    /// A server with an admin `root` (password `admin password`) already in the store.
    static func withServer(
        configure: (inout HuddleConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (HuddleServer, Client, String) async throws -> Void
    ) async throws {
        var configuration = ServerFixture.configuration()
        configure(&configuration)
        let server = try await ServerFixture.make(configuration)
        _ = try await server.accounts.registry.create(
            username: "root", email: "root@example.com", password: "admin password", role: .admin)
        try await server.application.test(.router) { client in
            let login = try await Self.call(
                client, .post, "/api/v1/auth/login", json: ["login": "root", "password": "admin password"])
            try await body(server, client, try #require(login.token))
        }
    }

    @Test func registerReturnsTheUserATokenAndAStrictHttpOnlyCookie() async throws {
        try await Self.withServer { _, client, _ in
            let reply = try await Self.register(client, "Ada.L", headers: [.hostHeader: "huddle.example.com"])
            #expect(reply.status == .created)
            let user = try #require(reply.body["user"] as? [String: Any])
            #expect(user["username"] as? String == "ada.l", "usernames are case-insensitive, stored lower-case")
            #expect(user["email"] as? String == "ada.l@example.com")
            #expect(user["role"] as? String == "user")
            #expect(user["passwordHash"] == nil && user["password_hash"] == nil)
            #expect(reply.body["tokenType"] as? String == "Bearer")
            #expect(reply.body["expiresIn"] as? Int == 900)
            let cookie = try #require(reply.cookie)
            #expect(reply.refreshToken != nil)
            for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/v1/auth"] {
                #expect(cookie.contains(attribute), "cookie has \(attribute): \(cookie)")
            }
            let me = try await Self.call(client, .get, "/api/v1/auth/me", token: reply.token)
            #expect(me.status == .ok)
            #expect(me.body["username"] as? String == "ada.l")
            #expect(me.body["guest"] as? Bool == false)
        }
    }

    @Test func theCookieDropsSecureOnlyForPlainHTTPLocalhost() async throws {
        try await Self.withServer { _, client, _ in
            let local = try await Self.call(
                client, .post, "/api/v1/auth/register",
                json: ["username": "loc", "email": "loc@example.com", "password": "correct horse"],
                headers: [.hostHeader: "localhost:8080"])
            #expect(local.cookie?.contains("Secure") == false)
            #expect(local.cookie?.contains("HttpOnly") == true)
            let proxied = try await Self.call(
                client, .post, "/api/v1/auth/login", json: ["login": "loc", "password": "correct horse"],
                headers: [.hostHeader: "localhost:8080", .xForwardedProto: "https"])
            #expect(proxied.cookie?.contains("Secure") == true)
            let remote = try await Self.call(
                client, .post, "/api/v1/auth/login", json: ["login": "loc", "password": "correct horse"],
                headers: [.hostHeader: "huddle.example.com"])
            #expect(remote.cookie?.contains("Secure") == true)
        }
    }

    @Test func invalidRegistrationsGetAMessagePerField() async throws {
        try await Self.withServer { _, client, _ in
            let reply = try await Self.call(
                client, .post, "/api/v1/auth/register", json: ["username": "a!", "email": "not-an-email", "password": "short"])
            #expect(reply.status == .badRequest)
            #expect(reply.body["error"] as? String == "bad_request")
            #expect((reply.body["requestId"] as? String)?.isEmpty == false)
            #expect(Set(reply.fields.keys) == ["username", "email", "password"])
            let empty = try await Self.call(client, .post, "/api/v1/auth/register", json: [:])
            #expect(Set(empty.fields.keys) == ["username", "email", "password"])
            let nineCharacters = try await Self.register(client, "nine", password: "123456789")
            #expect(nineCharacters.fields.keys.sorted() == ["password"])
            #expect(try await Self.register(client, "ten", password: "1234567890").status == .created)
        }
    }

    @Test func aTakenUsernameOrEmailIsAConflictWhateverItsCase() async throws {
        try await Self.withServer { _, client, _ in
            #expect(try await Self.register(client, "bea").status == .created)
            let sameName = try await Self.call(
                client, .post, "/api/v1/auth/register",
                json: ["username": "BEA", "email": "other@example.com", "password": "correct horse"])
            #expect(sameName.status == .conflict)
            #expect(sameName.fields.keys.sorted() == ["username"])
            let sameEmail = try await Self.call(
                client, .post, "/api/v1/auth/register",
                json: ["username": "bea2", "email": "Bea@Example.com", "password": "correct horse"])
            #expect(sameEmail.status == .conflict)
            #expect(sameEmail.fields.keys.sorted() == ["email"])
        }
    }

    @Test func loginByUsernameOrEmailAndTheSameRefusalForUnknownUserOrWrongPassword() async throws {
        try await Self.withServer { _, client, _ in
            _ = try await Self.register(client, "cai")
            for login in ["cai", "CAI", "cai@example.com"] {
                let reply = try await Self.call(client, .post, "/api/v1/auth/login", json: ["login": login, "password": "correct horse"])
                #expect(reply.status == .ok, "login \(login)")
                #expect(reply.token != nil && reply.refreshToken != nil)
            }
            let wrong = try await Self.call(client, .post, "/api/v1/auth/login", json: ["login": "cai", "password": "wrong horse"])
            let unknown = try await Self.call(client, .post, "/api/v1/auth/login", json: ["login": "nobody", "password": "wrong horse"])
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
            #expect(wrong.body["message"] as? String == unknown.body["message"] as? String)
            let missing = try await Self.call(client, .post, "/api/v1/auth/login", json: [:])
            #expect(missing.status == .badRequest)
            #expect(Set(missing.fields.keys) == ["login", "password"])
        }
    }

    @Test func repeatedFailedLoginsAreRateLimitedWithRetryAfter() async throws {
        try await Self.withServer(configure: { $0.auth.loginAttempts = 3 }) { _, client, _ in
            _ = try await Self.register(client, "dara")
            for _ in 1...3 {
                let reply = try await Self.call(client, .post, "/api/v1/auth/login", json: ["login": "dara", "password": "guess guess"])
                #expect(reply.status == .unauthorized)
            }
            // Now even the right password waits.
            let limited = try await Self.call(client, .post, "/api/v1/auth/login", json: ["login": "Dara", "password": "correct horse"])
            #expect(limited.status == .tooManyRequests)
            #expect(limited.body["error"] as? String == "rate_limited")
            let retryAfter = try #require(limited.headers[.retryAfter].flatMap { Int($0) })
            #expect(retryAfter > 1 && retryAfter <= 900)
            // Another login name is not affected.
            let other = try await Self.call(client, .post, "/api/v1/auth/login", json: ["login": "root", "password": "admin password"])
            #expect(other.status == .ok)
        }
    }

    @Test func aSuccessfulLoginClearsTheFailureCount() async throws {
        try await Self.withServer(configure: { $0.auth.loginAttempts = 2 }) { _, client, _ in
            _ = try await Self.register(client, "eli")
            for _ in 1...3 {
                let wrong = try await Self.call(client, .post, "/api/v1/auth/login", json: ["login": "eli", "password": "guess guess"])
                #expect(wrong.status == .unauthorized)
                let right = try await Self.call(client, .post, "/api/v1/auth/login", json: ["login": "eli", "password": "correct horse"])
                #expect(right.status == .ok)
            }
        }
    }

    /// Without a reuse interval (a lost answer's grace, tested in the contract suite and in
    /// test_hostile.py), so that the replay right after is a reuse.
    @Test func refreshRotatesTheTokenAndReusingARotatedOneEndsTheSession() async throws {
        try await Self.withServer(configure: { $0.auth.refreshReuseInterval = .zero }) { _, client, _ in
            let registered = try await Self.register(client, "finn")
            let first = try #require(registered.refreshToken)
            let refreshed = try await Self.call(client, .post, "/api/v1/auth/refresh", refresh: first)
            #expect(refreshed.status == .ok)
            let second = try #require(refreshed.refreshToken)
            #expect(second != first, "every refresh rotates the refresh token")
            #expect((refreshed.body["user"] as? [String: Any])?["username"] as? String == "finn")
            #expect(try await Self.call(client, .get, "/api/v1/auth/me", token: refreshed.token).status == .ok)
            let third = try #require(try await Self.call(client, .post, "/api/v1/auth/refresh", refresh: second).refreshToken)

            // The first token again: stolen. The whole family is revoked, the newest token too.
            let replay = try await Self.call(client, .post, "/api/v1/auth/refresh", refresh: first)
            #expect(replay.status == .unauthorized)
            #expect(replay.cookie?.contains("Max-Age=0") == true, "the dead cookie is cleared")
            #expect(try await Self.call(client, .post, "/api/v1/auth/refresh", refresh: third).status == .unauthorized)
            // Another login of the same user is another family and lives on.
            let other = try await Self.call(client, .post, "/api/v1/auth/login", json: ["login": "finn", "password": "correct horse"])
            let otherRefresh = try #require(other.refreshToken)
            #expect(try await Self.call(client, .post, "/api/v1/auth/refresh", refresh: otherRefresh).status == .ok)
        }
    }

    /// No cookie: nobody is signed in here, which is not an error (204); a cookie that names
    /// no live session is (401).
    @Test func refreshWithoutACookieIs204AndWithABogusOne401() async throws {
        try await Self.withServer { _, client, _ in
            let none = try await Self.call(client, .post, "/api/v1/auth/refresh")
            #expect(none.status == .noContent)
            #expect(try await Self.call(client, .post, "/api/v1/auth/refresh", refresh: "bogus").status == .unauthorized)
        }
    }

    @Test func logoutRevokesTheRefreshTokenServerSide() async throws {
        try await Self.withServer { _, client, _ in
            let registered = try await Self.register(client, "gia")
            let refresh = try #require(registered.refreshToken)
            let logout = try await Self.call(client, .post, "/api/v1/auth/logout", refresh: refresh)
            #expect(logout.status == .noContent)
            #expect(logout.cookie?.contains("Max-Age=0") == true)
            #expect(try await Self.call(client, .post, "/api/v1/auth/refresh", refresh: refresh).status == .unauthorized)
            #expect(try await Self.call(client, .post, "/api/v1/auth/logout").status == .noContent, "logging out twice is fine")
        }
    }

    @Test func guestsGetAShortLivedIdentityButNoAccountRights() async throws {
        try await Self.withServer { _, client, _ in
            let guest = try await Self.call(client, .post, "/api/v1/auth/guest")
            #expect(guest.status == .ok)
            #expect(guest.refreshToken == nil, "guests get no session cookie")
            #expect(guest.body["expiresIn"] as? Int == 3600)
            let user = try #require(guest.body["user"] as? [String: Any])
            #expect(user["guest"] as? Bool == true)
            let name = try #require(user["displayName"] as? String)
            #expect(name.split(separator: " ").count == 2 && name.split(separator: " ")[1].count == 2, "a first name plus two characters")
            let me = try await Self.call(client, .get, "/api/v1/auth/me", token: guest.token)
            #expect(me.status == .ok && me.body["guest"] as? Bool == true && me.body["displayName"] as? String == name)
            #expect(try await Self.call(client, .get, "/api/v1/users", token: guest.token).status == .forbidden)
            // What guests are for: the apps.
            #expect(try await Self.call(client, .post, "/api/v1/counters/g/increment", token: guest.token).status == .ok)
        }
    }

    @Test func everyRejectedAccessTokenIs401() async throws {
        try await Self.withServer { server, client, adminToken in
            let registered = try await Self.register(client, "hana")
            let valid = try #require(registered.token)
            let userID = try #require((registered.body["user"] as? [String: Any])?["id"] as? String)
            #expect(try await Self.call(client, .get, "/api/v1/auth/me", token: valid).status == .ok)

            let identity = Identity(id: userID, name: "Hana", role: .user, username: "hana")
            let anHourAgo = await AccessTokens(
                key: ServerFixture.signingKey, accessLifetime: .seconds(900), guestLifetime: .seconds(900),
                now: { Date().addingTimeInterval(-3600) })
            let expired = try await anHourAgo.issue(for: identity).token
            let otherKey = await AccessTokens(
                key: Array(repeating: 7, count: 48), accessLifetime: .seconds(900), guestLifetime: .seconds(900))
            let wrongKey = try await otherKey.issue(for: identity).token

            let parts = valid.split(separator: ".").map(String.init)
            var claims = try #require(try JSONSerialization.jsonObject(with: Self.base64URLDecode(parts[1])) as? [String: Any])
            claims["role"] = "admin"
            let forgedPayload = Self.base64URLEncode(try JSONSerialization.data(withJSONObject: claims))
            let tampered = [parts[0], forgedPayload, parts[2]].joined(separator: ".")
            let noneHeader = Self.base64URLEncode(Data(#"{"alg":"none","typ":"JWT"}"#.utf8))
            let algNone = [noneHeader, forgedPayload, ""].joined(separator: ".")
            let algNoneSigned = [noneHeader, parts[1], parts[2]].joined(separator: ".")

            let cases = [
                ("expired", expired), ("wrong key", wrongKey), ("tampered", tampered), ("alg none", algNone),
                ("alg none, our signature", algNoneSigned), ("garbage", "not.a.jwt"),
            ]
            for (name, token) in cases {
                let reply = try await Self.call(client, .get, "/api/v1/auth/me", token: token)
                #expect(reply.status == .unauthorized, "\(name) token")
                #expect(reply.body["error"] as? String == "unauthorized", "\(name) token")
                #expect(reply.headers[.wwwAuthenticate] == "Bearer")
            }
            let expiredReply = try await Self.call(client, .get, "/api/v1/auth/me", token: expired)
            #expect((expiredReply.body["message"] as? String)?.contains("expired") == true)

            // A deactivated user's still-unexpired token is refused at once, and the session ends.
            let patch = try await Self.call(client, .patch, "/api/v1/users/\(userID)", json: ["active": false], token: adminToken)
            #expect(patch.status == .ok)
            #expect(try await Self.call(client, .get, "/api/v1/auth/me", token: valid).status == .unauthorized)
            let refresh = try #require(registered.refreshToken)
            #expect(try await Self.call(client, .post, "/api/v1/auth/refresh", refresh: refresh).status == .unauthorized)
            let login = try await Self.call(client, .post, "/api/v1/auth/login", json: ["login": "hana", "password": "correct horse"])
            #expect(login.status == .forbidden, "an inactive user cannot log in")
            _ = server
        }
    }

    @Test func userRoutesNeedAnAccountAndChangesNeedAnAdmin() async throws {
        try await Self.withServer { _, client, adminToken in
            let ivo = try await Self.register(client, "ivo")
            let userToken = try #require(ivo.token)
            let ivoID = try #require((ivo.body["user"] as? [String: Any])?["id"] as? String)
            let newUser: [String: Any] = ["username": "jun", "email": "jun@example.com", "password": "correct horse"]

            // No token: 401 everywhere.
            #expect(try await Self.call(client, .get, "/api/v1/users").status == .unauthorized)
            #expect(try await Self.call(client, .get, "/api/v1/users/\(ivoID)").status == .unauthorized)
            #expect(try await Self.call(client, .post, "/api/v1/users", json: newUser).status == .unauthorized)
            #expect(try await Self.call(client, .patch, "/api/v1/users/\(ivoID)", json: ["role": "admin"]).status == .unauthorized)
            #expect(try await Self.call(client, .get, "/api/v1/auth/me").status == .unauthorized)

            // A user reads (without others' emails) but may not create or change.
            let list = try await Self.call(client, .get, "/api/v1/users", token: userToken)
            #expect(list.status == .ok)
            let listed = try #require(list.body["users"] as? [[String: Any]])
            #expect(listed.first { $0["username"] as? String == "root" }?["email"] == nil)
            #expect(listed.first { $0["username"] as? String == "ivo" }?["email"] as? String == "ivo@example.com")
            #expect(try await Self.call(client, .post, "/api/v1/users", json: newUser, token: userToken).status == .forbidden)
            let selfPromotion = try await Self.call(client, .patch, "/api/v1/users/\(ivoID)", json: ["role": "admin"], token: userToken)
            #expect(selfPromotion.status == .forbidden)

            // An admin creates, changes roles, and deactivates.
            let created = try await Self.call(client, .post, "/api/v1/users", json: newUser.merging(["role": "agent"]) { $1 }, token: adminToken)
            #expect(created.status == .created)
            #expect(created.body["role"] as? String == "agent")
            let promoted = try await Self.call(client, .patch, "/api/v1/users/\(ivoID)", json: ["role": "admin"], token: adminToken)
            #expect(promoted.status == .ok && promoted.body["role"] as? String == "admin")
            // The role applies at once, with the token Ivo already holds.
            #expect(try await Self.call(client, .post, "/api/v1/users", json: ["username": "kai", "email": "kai@example.com", "password": "correct horse"], token: userToken).status == .created)
            let badRole = try await Self.call(client, .patch, "/api/v1/users/\(ivoID)", json: ["role": "emperor"], token: adminToken)
            #expect(badRole.status == .badRequest && badRole.fields.keys.sorted() == ["role"])
            #expect(try await Self.call(client, .patch, "/api/v1/users/nobody", json: ["active": false], token: adminToken).status == .notFound)
            #expect(try await Self.call(client, .get, "/api/v1/users/nobody", token: adminToken).status == .notFound)
            let invalid = try await Self.call(client, .post, "/api/v1/users", json: ["username": "x"], token: adminToken)
            #expect(invalid.status == .badRequest && Set(invalid.fields.keys) == ["username", "email", "password"])
        }
    }

    @Test func anAdminCannotDeactivateOrDemoteThemselves() async throws {
        try await Self.withServer { _, client, adminToken in
            let me = try await Self.call(client, .get, "/api/v1/auth/me", token: adminToken)
            let id = try #require(me.body["id"] as? String)
            #expect(try await Self.call(client, .patch, "/api/v1/users/\(id)", json: ["active": false], token: adminToken).status == .conflict)
            #expect(try await Self.call(client, .patch, "/api/v1/users/\(id)", json: ["role": "user"], token: adminToken).status == .conflict)
        }
    }

    /// A flood of made-up names from one address is throttled like one name is, and so are
    /// registrations; a login that succeeds does not reset the address's count.
    @Test func failedLoginsAndRegistrationsAreLimitedPerAddress() async throws {
        try await Self.withServer(configure: {
            $0.auth.addressAttempts = 3
            $0.auth.registrations = 2
        }) { _, client, _ in
            for n in 0..<3 {
                let failed = try await Self.call(client, .post, "/api/v1/auth/login", json: ["login": "nobody\(n)", "password": "guess guess"])
                #expect(failed.status == .unauthorized)
            }
            let root = try await Self.call(client, .post, "/api/v1/auth/login", json: ["login": "root", "password": "admin password"])
            #expect(root.status == .tooManyRequests, "the address is throttled, whichever name it tries")
            #expect(root.headers[.retryAfter] != nil)

            #expect(try await Self.register(client, "first").status == .created)
            #expect(try await Self.register(client, "second").status == .created)
            #expect(try await Self.register(client, "third").status == .tooManyRequests)
        }
    }

    @Test func usersArePaginated() async throws {
        try await Self.withServer { _, client, adminToken in
            for name in ["lea", "luca", "mae", "mika"] {
                _ = try await Self.register(client, name)
            }
            let page = try await Self.call(client, .get, "/api/v1/users?offset=1&limit=2", token: adminToken)
            #expect(page.status == .ok)
            #expect(page.body["total"] as? Int == 5)
            #expect(page.body["offset"] as? Int == 1 && page.body["limit"] as? Int == 2)
            #expect((page.body["users"] as? [[String: Any]])?.map { $0["username"] as? String } == ["lea", "luca"])
            let bad = try await Self.call(client, .get, "/api/v1/users?limit=0", token: adminToken)
            #expect(bad.status == .badRequest)
        }
    }

    @Test func aServerWithoutASigningKeyRefusesToStartOutsideDevMode() async throws {
        var configuration = ServerFixture.configuration()
        configuration.auth.jwtKey = nil
        await #expect(throws: ConfigurationError.self) { _ = try await ServerFixture.make(configuration) }
        configuration.auth.jwtKey = Array("too short".utf8)
        await #expect(throws: ConfigurationError.self) { _ = try await ServerFixture.make(configuration) }
        configuration.auth.jwtKey = nil
        configuration.auth.dev = true
        let server = try await ServerFixture.make(configuration)
        try await server.application.test(.router) { (client) async throws in
            let reply = try await Self.register(client, "nia")
            #expect(reply.status == .created)
        }
    }

    static func base64URLEncode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func base64URLDecode(_ text: String) -> Data {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64) ?? Data()
    }
}
