import HuddleCore
public import Logging
import NIOSSL
import PostgresNIO

/// The cluster database: a `PostgresClient` pool shared by every PostgreSQL backend.
///
/// The pool only works while ``run()`` runs (the server runs it as a service). Every statement
/// goes through ``query(_:)``, which bounds how long it may take and reports a database that
/// cannot be reached as ``EventStoreError/unavailable(_:)``, so callers answer 503, not 500.
public final class PostgresStorage: Sendable {
    let client: PostgresClient
    let settings: PostgresSettings
    let logger: Logger

    public init(settings: PostgresSettings, logger: Logger) {
        var configuration = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password,
            database: settings.database, tls: Self.tls(settings.tls))
        configuration.options.maximumConnections = settings.poolSize
        configuration.options.connectTimeout = min(settings.timeout, .seconds(3))
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.settings = settings
        self.logger = logger
    }

    /// Runs the connection pool until the task is cancelled.
    public func run() async {
        await self.client.run()
    }

    /// Runs the pool around `body`: for commands and tests that use the database briefly.
    public func withRunning<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    /// Whether a trivial statement succeeds within a second: the readiness probe.
    public func isReachable() async -> Bool {
        do {
            _ = try await withDeadline(.seconds(1)) { try await self.client.query("SELECT 1", logger: self.logger) }
            return true
        } catch {
            return false
        }
    }

    /// Runs a statement and collects its rows; see the type's comment for errors.
    func query(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await self.bounded {
            var rows: [PostgresRow] = []
            for try await row in try await self.client.query(query, logger: self.logger) {
                rows.append(row)
            }
            return rows
        }
    }

    /// Bounds `body` by the configured timeout and maps connection trouble to `unavailable`.
    func bounded<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await withDeadline(self.settings.timeout, body)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == nil || Self.isTransient(error) {
            self.logger.warning("PostgreSQL unavailable", metadata: Self.describe(error))
            throw EventStoreError.unavailable("PostgreSQL is unavailable")
        } catch is DeadlineExceeded {
            self.logger.warning("PostgreSQL statement timed out", metadata: ["timeout": "\(self.settings.timeout)"])
            throw EventStoreError.unavailable("PostgreSQL did not answer in time")
        }
    }

    /// Server errors that mean "not now" rather than "wrong": shutting down, starting up,
    /// too many connections, or tables a concurrent migration has not created yet.
    private static func isTransient(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return true }
        return state.hasPrefix("57") || state.hasPrefix("08") || state == "53300" || state == "42P01"
    }

    /// What went wrong, for the log (PSQLError's own description hides its details). Only
    /// connection trouble and transient server states get here, whose messages hold no data.
    static func describe(_ error: PSQLError) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["error": "\(error.code)"]
        if let state = error.serverInfo?[.sqlState] { metadata["sqlState"] = .string(state) }
        if let message = error.serverInfo?[.message] { metadata["message"] = .string(message) }
        if let cause = error.underlying { metadata["cause"] = "\(cause)" }
        return metadata
    }

    static func sqlState(of error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    private static func tls(_ mode: PostgresSettings.TLSMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }
}
