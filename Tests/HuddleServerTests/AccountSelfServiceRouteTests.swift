import Foundation
import HTTPTypes
import HuddleCore
@testable import HuddleServer
import Hummingbird
import HummingbirdTesting
import Testing

/// A user managing their own account: `PATCH /api/v1/auth/me` and `POST /api/v1/auth/password`.
@Suite(.timeLimit(.minutes(1))) struct AccountSelfServiceRouteTests {
    typealias Route = AccountRouteTests

    static func id(_ reply: AccountRouteTests.Reply) throws -> String {
        try #require((reply.body["user"] as? [String: Any])?["id"] as? String)
    }

    @Test func onlyASignedInUserMayChangeTheirAccount() async throws {
        try await Route.withServer { _, client, _ in
            let guest = try #require(try await Route.call(client, .post, "/api/v1/auth/guest").token)
            for (method, path, body) in [
                (HTTPRequest.Method.patch, "/api/v1/auth/me", ["displayName": "Eve"]),
                (.post, "/api/v1/auth/password", ["currentPassword": "correct horse", "newPassword": "another horse"]),
            ] {
                #expect(try await Route.call(client, method, path, json: body).status == .unauthorized, "\(path) without a token")
                #expect(try await Route.call(client, method, path, json: body, token: guest).status == .forbidden, "\(path) as a guest")
            }
        }
    }

    @Test func aUserChangesTheirNameAndEmailWithTheRegistrationRules() async throws {
        try await Route.withServer { _, client, _ in
            let kit = try await Route.register(client, "kit")
            let token = try #require(kit.token)
            _ = try await Route.register(client, "lou")

            let invalid = try await Route.call(
                client, .patch, "/api/v1/auth/me", json: ["displayName": "  ", "email": "not an email"], token: token)
            #expect(invalid.status == .badRequest)
            #expect(invalid.fields == [
                "displayName": AccountValidation.message(for: .displayName), "email": AccountValidation.message(for: .email),
            ])
            let taken = try await Route.call(client, .patch, "/api/v1/auth/me", json: ["email": "LOU@Example.com"], token: token)
            #expect(taken.status == .conflict)
            #expect(taken.fields.keys.sorted() == ["email"])

            let changed = try await Route.call(
                client, .patch, "/api/v1/auth/me", json: ["displayName": "  Kit Marlowe ", "email": "Kit@Marlowe.example"],
                token: token)
            #expect(changed.status == .ok)
            #expect(changed.body["displayName"] as? String == "Kit Marlowe")
            #expect(changed.body["email"] as? String == "kit@marlowe.example")
            #expect(changed.body["username"] as? String == "kit")
            let me = try await Route.call(client, .get, "/api/v1/auth/me", token: token)
            #expect(me.body["displayName"] as? String == "Kit Marlowe" && me.body["email"] as? String == "kit@marlowe.example")
            // Only the display name was given: the email stays; one's own email again is no conflict.
            let renamed = try await Route.call(
                client, .patch, "/api/v1/auth/me", json: ["displayName": "Kit", "email": "kit@marlowe.example"], token: token)
            #expect(renamed.status == .ok && renamed.body["email"] as? String == "kit@marlowe.example")
            // The new email logs in, the old one no longer does.
            let byNewEmail = try await Route.call(
                client, .post, "/api/v1/auth/login", json: ["login": "kit@marlowe.example", "password": "correct horse"])
            #expect(byNewEmail.status == .ok)
            let byOldEmail = try await Route.call(
                client, .post, "/api/v1/auth/login", json: ["login": "kit@example.com", "password": "correct horse"])
            #expect(byOldEmail.status == .unauthorized)
        }
    }

    /// The gateway follows the `accounts` channel (``AccountWatch``); its reaction is tested in
    /// `AppKitFixTests`. Here: a new display name is announced there before the answer.
    @Test func aNewDisplayNameIsAnnouncedToTheUsersSockets() async throws {
        try await Route.withServer { server, client, _ in
            let mae = try await Route.register(client, "mae")
            let (announced, continuation) = AsyncStream.makeStream(of: String.self)
            let subscription = try await server.backends.broker.subscribe(to: AccountChanges.channel) { delivery in
                if case .message(let message) = delivery { continuation.yield(message.frame) }
            }
            defer { Task { await subscription.cancel() } }
            let patched = try await Route.call(client, .patch, "/api/v1/auth/me", json: ["displayName": "Mae W"], token: mae.token)
            #expect(patched.status == .ok)
            var iterator = announced.makeAsyncIterator()
            #expect(await iterator.next() == (try Self.id(mae)))
        }
    }

    @Test func changingThePasswordNeedsTheCurrentOneAndEndsEveryOtherSession() async throws {
        try await Route.withServer { _, client, _ in
            let here = try await Route.register(client, "ned")
            let hereRefresh = try #require(here.refreshToken)
            let elsewhere = try await Route.call(
                client, .post, "/api/v1/auth/login", json: ["login": "ned", "password": "correct horse"])
            let elsewhereRefresh = try #require(elsewhere.refreshToken)

            let missing = try await Route.call(client, .post, "/api/v1/auth/password", json: [:], token: here.token)
            #expect(missing.status == .badRequest)
            #expect(missing.fields.keys.sorted() == ["currentPassword", "newPassword"])
            let short = try await Route.call(
                client, .post, "/api/v1/auth/password", json: ["currentPassword": "correct horse", "newPassword": "short"],
                token: here.token)
            #expect(short.status == .badRequest && short.fields == ["newPassword": AccountValidation.message(for: .password)])
            let wrong = try await Route.call(
                client, .post, "/api/v1/auth/password", json: ["currentPassword": "guess guess", "newPassword": "battery staple"],
                token: here.token, refresh: hereRefresh)
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body["error"] as? String == "wrong_password")
            #expect(wrong.fields.keys.sorted() == ["currentPassword"])
            // Nothing changed: both sessions live on.
            #expect(try await Route.call(client, .post, "/api/v1/auth/login", json: ["login": "ned", "password": "correct horse"]).status == .ok)

            let changed = try await Route.call(
                client, .post, "/api/v1/auth/password", json: ["currentPassword": "correct horse", "newPassword": "battery staple"],
                token: here.token, refresh: hereRefresh)
            #expect(changed.status == .noContent)
            #expect(changed.cookie == nil, "the session that changed it keeps its cookie")
            #expect(try await Route.call(client, .post, "/api/v1/auth/refresh", refresh: elsewhereRefresh).status == .unauthorized)
            #expect(try await Route.call(client, .post, "/api/v1/auth/refresh", refresh: hereRefresh).status == .ok)
            #expect(try await Route.call(client, .post, "/api/v1/auth/login", json: ["login": "ned", "password": "correct horse"]).status == .unauthorized)
            #expect(try await Route.call(client, .post, "/api/v1/auth/login", json: ["login": "ned", "password": "battery staple"]).status == .ok)
        }
    }

    /// A script (no cookie) changing the password ends every refresh session, its own too.
    @Test func withoutACookieEverySessionEnds() async throws {
        try await Route.withServer { _, client, _ in
            let ola = try await Route.register(client, "ola")
            let refresh = try #require(ola.refreshToken)
            let changed = try await Route.call(
                client, .post, "/api/v1/auth/password", json: ["currentPassword": "correct horse", "newPassword": "battery staple"],
                token: ola.token)
            #expect(changed.status == .noContent)
            #expect(try await Route.call(client, .post, "/api/v1/auth/refresh", refresh: refresh).status == .unauthorized)
        }
    }

    /// A stolen access token must not guess the password faster than a login could: wrong
    /// current passwords count against the same limit as failed logins of that username.
    @Test func wrongCurrentPasswordsShareTheLoginThrottle() async throws {
        try await Route.withServer(configure: { $0.auth.loginAttempts = 2 }) { _, client, _ in
            let pia = try await Route.register(client, "pia")
            let guess: [String: Any] = ["currentPassword": "guess guess", "newPassword": "battery staple"]
            #expect(try await Route.call(client, .post, "/api/v1/auth/password", json: guess, token: pia.token).status == .unauthorized)
            #expect(try await Route.call(client, .post, "/api/v1/auth/login", json: ["login": "pia", "password": "guess again"]).status == .unauthorized)
            let limited = try await Route.call(client, .post, "/api/v1/auth/password", json: guess, token: pia.token)
            #expect(limited.status == .tooManyRequests)
            let login = try await Route.call(client, .post, "/api/v1/auth/login", json: ["login": "pia", "password": "correct horse"])
            #expect(login.status == .tooManyRequests)
        }
    }
}
