#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import HuddleCore

/// Creating and changing accounts, with the input rules of ``AccountValidation``: what the
/// HTTP routes and `huddle user create` share.
public struct UserRegistry: Sendable {
    let accounts: any Accounts
    let passwords: PasswordHasher
    let clock: @Sendable () -> Int64

    init(
        accounts: any Accounts, bcryptCost: Int, hashQueue: Int,
        clock: @escaping @Sendable () -> Int64 = WallClock.millisecondsSince1970
    ) {
        self.accounts = accounts
        self.passwords = PasswordHasher(cost: bcryptCost, queueLimit: hashQueue)
        self.clock = clock
    }

    /// Validates every field (reporting all that are wrong at once), hashes the password and
    /// stores the user. Throws ``InvalidFields`` or ``AccountsError/taken(_:)``.
    public func create(
        username: String?, email: String?, password: String?, displayName: String? = nil, role: Role = .user
    ) async throws -> User {
        var problems: [AccountField: String] = [:]
        let canonicalUsername = username.flatMap(AccountValidation.username)
        if canonicalUsername == nil { problems[.username] = AccountValidation.message(for: .username) }
        let canonicalEmail = email.flatMap(AccountValidation.email)
        if canonicalEmail == nil { problems[.email] = AccountValidation.message(for: .email) }
        if !(password.map(AccountValidation.isValidPassword) ?? false) {
            problems[.password] = AccountValidation.message(for: .password)
        }
        var name = canonicalUsername
        if let displayName {
            name = AccountValidation.displayName(displayName)
            if name == nil { problems[.displayName] = AccountValidation.message(for: .displayName) }
        }
        guard problems.isEmpty, let canonicalUsername, let canonicalEmail, let password, let name else {
            throw InvalidFields(problems)
        }
        let user = User(
            id: UUID().uuidString.lowercased(), username: canonicalUsername, email: canonicalEmail, displayName: name,
            passwordHash: try await self.passwords.hash(password), role: role, active: true, createdAt: self.clock())
        try await self.accounts.create(user)
        return user
    }

    /// A user's own changes to their display name and email, with the rules of registration
    /// (every invalid field reported at once); nil leaves a field as it is. Returns the user as
    /// stored, or nil if there is none. Throws ``InvalidFields`` or ``AccountsError/taken(_:)``.
    func updateProfile(id: String, displayName: String?, email: String?) async throws -> User? {
        var problems: [AccountField: String] = [:]
        var changes = UserChanges()
        if let displayName {
            changes.displayName = AccountValidation.displayName(displayName)
            if changes.displayName == nil { problems[.displayName] = AccountValidation.message(for: .displayName) }
        }
        if let email {
            changes.email = AccountValidation.email(email)
            if changes.email == nil { problems[.email] = AccountValidation.message(for: .email) }
        }
        guard problems.isEmpty else { throw InvalidFields(problems) }
        return try await self.accounts.update(id: id, changes)
    }

    /// Applies an admin's changes; deactivating a user also ends all of their sessions.
    func update(id: String, _ changes: UserChanges) async throws -> User? {
        guard let user = try await self.accounts.update(id: id, changes) else { return nil }
        if changes.active == false {
            try await self.accounts.revokeSessions(ofUser: id, now: self.clock())
        }
        return user
    }
}

/// Input that breaks the rules, with a message per field (HTTP 400 with `fields`).
public struct InvalidFields: Error, Sendable, CustomStringConvertible {
    public var fields: [AccountField: String]

    public init(_ fields: [AccountField: String]) {
        self.fields = fields
    }

    public var description: String {
        self.fields.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue): \($0.value)" }.joined(separator: " ")
    }
}
