// Replication and scripting commands.

/// `WAIT numreplicas timeout`: blocks until that many replicas acknowledged the connection's
/// writes, or the timeout (milliseconds, 0 = forever) passed. Replies how many did.
public struct WAIT: RESPCommand {
    public typealias Response = Int
    public var replicas: Int
    public var timeoutMilliseconds: Int

    public init(replicas: Int, timeoutMilliseconds: Int) {
        self.replicas = replicas
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        encoder.encodeArray(["WAIT", .integer(Int64(self.replicas)), .integer(Int64(self.timeoutMilliseconds))])
    }
}

/// `ROLE`: whether the server is a master, a replica or a sentinel.
public struct ROLE: RESPCommand {
    public typealias Response = RESPRole

    public init() {}

    public func encode(into encoder: inout RESPCommandEncoder) {
        encoder.encodeArray(["ROLE"])
    }
}

/// `EVAL script numkeys key… arg…`.
public struct EVAL: RESPCommand {
    public typealias Response = RESPToken
    public var script: String
    public var keys: [String]
    public var arguments: [RESPArgument]
    public var isWrite: Bool { true }

    public init(_ script: String, keys: [String] = [], arguments: [RESPArgument] = []) {
        self.script = script
        self.keys = keys
        self.arguments = arguments
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        encoder.encodeArray(
            ["EVAL", .string(self.script), .integer(Int64(self.keys.count))] + self.keys.map { .string($0) } + self.arguments
        )
    }
}

/// `EVALSHA sha1 numkeys key… arg…`; a `NOSCRIPT` error means the script must be sent with
/// ``EVAL`` first.
public struct EVALSHA: RESPCommand {
    public typealias Response = RESPToken
    public var sha1: String
    public var keys: [String]
    public var arguments: [RESPArgument]
    public var isWrite: Bool { true }

    public init(_ sha1: String, keys: [String] = [], arguments: [RESPArgument] = []) {
        self.sha1 = sha1
        self.keys = keys
        self.arguments = arguments
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        encoder.encodeArray(
            ["EVALSHA", .string(self.sha1), .integer(Int64(self.keys.count))] + self.keys.map { .string($0) } + self.arguments
        )
    }
}
