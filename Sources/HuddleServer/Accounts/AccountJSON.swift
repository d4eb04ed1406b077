#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HuddleCore
import Hummingbird
import NIOCore

/// An identity or a user as the API shows it. `email` and `active` are shown to the user
/// themselves and to admins only.
struct AccountBody: Encodable {
    var id: String
    var username: String?
    var email: String?
    var displayName: String
    var role: String?
    var active: Bool?
    var createdAt: Int64?
    var guest: Bool

    init(user: User, showPrivate: Bool) {
        self.id = user.id
        self.username = user.username
        self.email = showPrivate ? user.email : nil
        self.displayName = user.displayName
        self.role = user.role.rawValue
        self.active = showPrivate ? user.active : nil
        self.createdAt = user.createdAt
        self.guest = false
    }

    init(guest identity: Identity) {
        self.id = identity.id
        self.displayName = identity.name
        self.guest = true
    }
}

/// The answer to register, login, refresh and guest.
struct GrantBody: Encodable {
    var user: AccountBody
    var accessToken: String
    var tokenType = "Bearer"
    var expiresIn: Int

    init(_ grant: SessionAuthority.Grant) {
        self.user = grant.user.map { AccountBody(user: $0, showPrivate: true) } ?? AccountBody(guest: grant.identity)
        self.accessToken = grant.accessToken
        self.expiresIn = grant.expiresIn
    }
}

struct UserPage: Encodable {
    var users: [AccountBody]
    var total: Int
    var offset: Int
    var limit: Int
}

/// Request bodies. Every field is optional so that a missing one is reported with the others
/// as a per-field 400 instead of a decoding error.
struct RegisterInput: Decodable {
    var username: String?
    var email: String?
    var password: String?
    var displayName: String?
}

struct LoginInput: Decodable {
    var login: String?
    var password: String?
}

struct CreateUserInput: Decodable {
    var username: String?
    var email: String?
    var password: String?
    var displayName: String?
    var role: String?
}

struct PatchUserInput: Decodable {
    var role: String?
    var active: Bool?
    var displayName: String?
}

/// `PATCH /api/v1/auth/me`: what a user may change about themselves.
struct ProfileInput: Decodable {
    var displayName: String?
    var email: String?
}

struct PasswordChangeInput: Decodable {
    var currentPassword: String?
    var newPassword: String?
}
