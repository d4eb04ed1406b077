import Foundation
import NIOSSL
public import RESP

/// Where and how to reach Redis. Built by the server from `redis.*` configuration.
public struct RedisSettings: Sendable {
    public enum Endpoint: Sendable, Hashable {
        case standalone(host: String, port: Int)
        case sentinel(sentinels: [RESPServerAddress], masterName: String)
    }

    public var endpoint: Endpoint
    public var username: String?
    /// Never logged: ``description`` leaves it out.
    public var password: String?
    public var sentinelPassword: String?
    public var database = 0
    /// Prefix of every key and channel Huddle uses, so one Redis can serve several things.
    public var keyPrefix = "huddle:"
    /// An increment is acknowledged only once this many replicas have it (`WAIT`); 0 skips.
    public var waitReplicas = 1
    public var waitTimeout = Duration.milliseconds(1000)
    public var commandTimeout = Duration.seconds(3)
    /// TLS to Redis and to its Sentinels alike (`rediss://`, `redis.tls on`); nil: plain TCP.
    public var tls: RESPConnectionConfiguration.TLS?

    public init(endpoint: Endpoint) {
        self.endpoint = endpoint
    }

    /// `redis://[user[:password]@]host[:port][/database]`, or `rediss://…` for TLS (then
    /// ``tls`` is still to be set: ``isTLSURL`` tells).
    public static func parse(url text: String) throws -> RedisSettings {
        guard let url = URLComponents(string: text), url.scheme == "redis" || url.scheme == "rediss", let host = url.host,
            !host.isEmpty
        else {
            throw RedisSettingsError(description: "redis.url must look like redis://:password@host:6379/0 (rediss:// for TLS)")
        }
        var settings = RedisSettings(endpoint: .standalone(host: host, port: url.port ?? 6379))
        if let user = url.percentEncodedUser?.removingPercentEncoding, !user.isEmpty { settings.username = user }
        if let password = url.percentEncodedPassword?.removingPercentEncoding, !password.isEmpty {
            settings.password = password
        }
        let path = url.path.drop(while: { $0 == "/" })
        if !path.isEmpty {
            guard let database = Int(path), database >= 0 else {
                throw RedisSettingsError(description: "redis.url's path must be a database number, not '\(path)'")
            }
            settings.database = database
        }
        return settings
    }

    /// Whether `text` asks for TLS (`rediss://`).
    public static func isTLSURL(_ text: String) -> Bool {
        text.lowercased().hasPrefix("rediss://")
    }

    /// TLS that verifies the server's certificate chain and name (or IP address) against the
    /// system's trusted CAs, or only against those in `caFile` (PEM) when given.
    public static func tls(caFile: String?) throws -> RESPConnectionConfiguration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .fullVerification
        if let caFile {
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw RedisSettingsError(description: "redis.tls-ca-file: cannot read \(caFile)")
            }
            configuration.trustRoots = .file(caFile)
        }
        do {
            return RESPConnectionConfiguration.TLS(context: try NIOSSLContext(configuration: configuration))
        } catch {
            throw RedisSettingsError(description: "redis.tls-ca-file \(caFile ?? "(system)") is not usable: \(error)")
        }
    }

    /// `host:port,host:port`.
    public static func parse(sentinels text: String) throws -> [RESPServerAddress] {
        let addresses = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let parsed = addresses.compactMap { RESPServerAddress($0) }
        guard !parsed.isEmpty, parsed.count == addresses.count else {
            throw RedisSettingsError(description: "redis.sentinels must be host:port,host:port…, not '\(text)'")
        }
        return parsed
    }

    public var description: String {
        switch self.endpoint {
        case .standalone(let host, let port): "\(self.tls == nil ? "redis" : "rediss")://\(host):\(port)/\(self.database)"
        case .sentinel(let sentinels, let name):
            "sentinel master '\(name)' via \(sentinels.map(\.description).joined(separator: ","))\(self.tls == nil ? "" : " (tls)")"
        }
    }
}

public struct RedisSettingsError: Error, CustomStringConvertible {
    public var description: String
}
