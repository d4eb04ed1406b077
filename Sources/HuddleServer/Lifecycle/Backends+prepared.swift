public import HuddleCore
public import Logging

extension Backends {
    /// Opens the configured backends, brings the schema up to date, runs `body`, and closes
    /// them: for commands that use the store briefly (`huddle migrate`, `huddle user create`).
    static func withPrepared<Result: Sendable>(
        _ configuration: HuddleConfiguration, logger: Logger, _ body: @Sendable (Backends) async throws -> Result
    ) async throws -> Result {
        let backends = try await Backends.make(configuration, logger: logger)
        // Closed (and awaited) on every path: a command must not exit before its store is.
        let result: Swift.Result<Result, any Error>
        do {
            result = .success(
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await backends.run() }
                    defer { group.cancelAll() }
                    try await backends.prepare()
                    return try await body(backends)
                })
        } catch {
            result = .failure(error)
        }
        await backends.close()
        return try result.get()
    }
}

/// Brings the configured store's schema up to date: `huddle migrate`.
public func migrateStorage(_ configuration: HuddleConfiguration, logger: Logger) async throws {
    try await Backends.withPrepared(configuration, logger: logger) { _ in }
}

/// Creates an account in the configured store, with the same rules as registration:
/// `huddle user create` (bootstrapping the first admin). Throws ``InvalidFields`` or
/// ``AccountsError/taken(_:)``.
public func createUser(
    _ configuration: HuddleConfiguration, username: String, email: String, password: String, displayName: String?,
    role: Role, logger: Logger
) async throws -> User {
    try await Backends.withPrepared(configuration, logger: logger) { backends in
        try await UserRegistry(
            accounts: backends.accounts, bcryptCost: configuration.auth.bcryptCost, hashQueue: configuration.auth.hashQueue).create(
            username: username, email: email, password: password, displayName: displayName, role: role)
    }
}
