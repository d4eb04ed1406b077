import Foundation

/// Where and how to reach PostgreSQL. Built by the server from `postgres.*` configuration.
public struct PostgresSettings: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
    }

    public var host: String
    public var port: Int
    public var username: String
    /// Never logged: ``description`` leaves it out.
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// Connections in this replica's pool.
    public var poolSize: Int
    /// How long a statement (including waiting for a pooled connection) may take before the
    /// store reports itself unavailable.
    public var timeout: Duration

    public init(
        host: String = "127.0.0.1", port: Int = 5432, username: String = "huddle", password: String? = nil,
        database: String = "huddle", tls: TLSMode = .prefer, poolSize: Int = 10, timeout: Duration = .seconds(5)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.poolSize = poolSize
        self.timeout = timeout
    }

    /// Reads `postgres://user:password@host:port/database?sslmode=disable|prefer|require`,
    /// keeping what `self` has for the parts the URL leaves out.
    public func merging(url text: String) throws -> PostgresSettings {
        guard let url = URLComponents(string: text), url.scheme == "postgres" || url.scheme == "postgresql",
            let host = url.host, !host.isEmpty
        else {
            throw PostgresSettingsError(description: "postgres.url must look like postgres://user:password@host:5432/database")
        }
        var settings = self
        settings.host = host
        if let port = url.port { settings.port = port }
        if let user = url.percentEncodedUser?.removingPercentEncoding, !user.isEmpty { settings.username = user }
        if let password = url.percentEncodedPassword?.removingPercentEncoding { settings.password = password }
        let database = url.path.drop(while: { $0 == "/" })
        if !database.isEmpty { settings.database = String(database) }
        if let mode = url.queryItems?.first(where: { $0.name == "sslmode" })?.value {
            guard let tls = TLSMode(rawValue: mode) else {
                throw PostgresSettingsError(description: "postgres.url sslmode must be disable, prefer or require, not '\(mode)'")
            }
            settings.tls = tls
        }
        return settings
    }

    public var description: String {
        "postgres://\(self.username)@\(self.host):\(self.port)/\(self.database) (tls: \(self.tls.rawValue), pool: \(self.poolSize))"
    }
}

public struct PostgresSettingsError: Error, CustomStringConvertible {
    public var description: String
}
