// Commands of Redis's "connection" group. Grouped in one file like Redis's own docs do:
// each is a few lines and they are read together.

/// `PING [message]`: replies `PONG`, or echoes the message.
public struct PING: RESPCommand {
    public typealias Response = String
    public var message: String?

    public init(message: String? = nil) {
        self.message = message
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        if let message { encoder.encodeArray(["PING", .string(message)]) } else { encoder.encodeArray(["PING"]) }
    }
}

/// `AUTH [username] password`: a password alone uses the `default` ACL user.
public struct AUTH: RESPCommand {
    public typealias Response = RESPToken
    public var username: String?
    public var password: String

    public init(username: String? = nil, password: String) {
        self.username = username
        self.password = password
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        if let username {
            encoder.encodeArray(["AUTH", .string(username), .string(self.password)])
        } else {
            encoder.encodeArray(["AUTH", .string(self.password)])
        }
    }
}

/// `HELLO protover [AUTH username password] [SETNAME name]`: switches protocol, and may
/// authenticate in the same round trip.
public struct HELLO: RESPCommand {
    public typealias Response = RESPToken
    public var protocolVersion: Int
    public var username: String?
    public var password: String?
    public var clientName: String?

    public init(protocolVersion: Int = 3, username: String? = nil, password: String? = nil, clientName: String? = nil) {
        self.protocolVersion = protocolVersion
        self.username = username
        self.password = password
        self.clientName = clientName
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        var arguments: [RESPArgument] = ["HELLO", .integer(Int64(self.protocolVersion))]
        if let password = self.password {
            arguments += ["AUTH", .string(self.username ?? "default"), .string(password)]
        }
        if let clientName { arguments += ["SETNAME", .string(clientName)] }
        encoder.encodeArray(arguments)
    }
}

/// `SELECT index`: the logical database of the connection.
public struct SELECT: RESPCommand {
    public typealias Response = RESPToken
    public var database: Int

    public init(database: Int) {
        self.database = database
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        encoder.encodeArray(["SELECT", .integer(Int64(self.database))])
    }
}
