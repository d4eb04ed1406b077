import HuddleCore
import Hummingbird
import Logging

/// `/api/v1/users`: any signed-in account may list and read users (emails only for admins and
/// the user themselves); only admins create and change them.
struct UserRoutes {
    let registry: UserRegistry
    let changes: AccountChanges

    static let pageLimit = 200

    /// The `q` parameter: 1–100 characters, or nil when absent or blank.
    static func search(_ request: Request) throws -> String? {
        guard let text = request.uri.queryParameters.get("q")?.trimmingSpaces, !text.isEmpty else { return nil }
        guard text.count <= 100 else { throw APIError(.badRequest, "q is at most 100 characters.") }
        return text
    }

    func register(on router: Router<AppRequestContext>) {
        let users = router.group("api/v1/users")
        users.get { request, context in
            let viewer = try context.requireAccount()
            let offset = try Self.number(request, "offset", default: 0, in: 0...1_000_000_000)
            let limit = try Self.number(request, "limit", default: 50, in: 1...Self.pageLimit)
            let accounts = self.registry.accounts
            // Emails are searched only for admins, who see them: nobody else may probe them.
            let search = try Self.search(request).map { UserSearch($0, includesEmail: viewer.isAdmin) }
            let page = try await accounts.users(matching: search, offset: offset, limit: limit)
            return try JSONResponse.make(
                UserPage(
                    users: page.map { AccountBody(user: $0, showPrivate: viewer.isAdmin || viewer.id == $0.id) },
                    total: try await accounts.userCount(matching: search), offset: offset, limit: limit))
        }
        users.get("{id}") { _, context in
            let viewer = try context.requireAccount()
            let user = try await self.user(context)
            return try JSONResponse.make(AccountBody(user: user, showPrivate: viewer.isAdmin || viewer.id == user.id))
        }
        users.post { request, context in
            let admin = try context.requireAdmin()
            let input = try await request.decode(as: CreateUserInput.self, context: context)
            let role = try Self.role(input.role) ?? .user
            let user = try await self.registry.create(
                username: input.username, email: input.email, password: input.password, displayName: input.displayName,
                role: role)
            context.logger.info("Admin created a user", metadata: ["admin": .string(admin.id), "user": .string(user.id)])
            return try JSONResponse.make(AccountBody(user: user, showPrivate: true), status: .created)
        }
        users.patch("{id}") { request, context in
            let admin = try context.requireAdmin()
            let input = try await request.decode(as: PatchUserInput.self, context: context)
            var changes = UserChanges(role: try Self.role(input.role), active: input.active)
            if let displayName = input.displayName {
                guard let valid = AccountValidation.displayName(displayName) else {
                    throw InvalidFields([.displayName: AccountValidation.message(for: .displayName)])
                }
                changes.displayName = valid
            }
            let target = try await self.user(context)
            // An admin who demotes or deactivates themselves could leave nobody able to undo it.
            if target.id == admin.id && (changes.active == false || (changes.role.map { $0 != .admin } ?? false)) {
                throw APIError(.conflict, "You cannot deactivate or demote yourself; ask another admin.")
            }
            guard let updated = try await self.registry.update(id: target.id, changes) else {
                throw APIError(.notFound, "No such user.")
            }
            // Before answering: the admin's "done" means the user's sockets have been told.
            await self.changes.announce(updated.id)
            context.logger.info(
                "Admin changed a user",
                metadata: [
                    "admin": .string(admin.id), "user": .string(updated.id), "role": .string(updated.role.rawValue),
                    "active": .stringConvertible(updated.active),
                ])
            return try JSONResponse.make(AccountBody(user: updated, showPrivate: true))
        }
    }

    private func user(_ context: AppRequestContext) async throws -> User {
        guard let id = context.parameters.get("id"), let user = try await self.registry.accounts.user(id: id) else {
            throw APIError(.notFound, "No such user.")
        }
        return user
    }

    static func role(_ text: String?) throws -> Role? {
        guard let text else { return nil }
        guard let role = Role(rawValue: text.lowercased()) else {
            throw InvalidFields([.role: AccountValidation.message(for: .role)])
        }
        return role
    }

    static func number(_ request: Request, _ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = request.uri.queryParameters.get(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw APIError(
                .badRequest, "'\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound).",
                fields: [name: "Must be a whole number from \(range.lowerBound) to \(range.upperBound)."])
        }
        return number
    }
}
