public import NIOCore

// String and generic key commands.

/// `GET key`: the value, or nil if the key does not exist.
public struct GET: RESPCommand {
    public typealias Response = ByteBuffer?
    public var key: String

    public init(_ key: String) {
        self.key = key
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        encoder.encodeArray(["GET", .string(self.key)])
    }
}

/// `SET key value [NX | XX] [EX s | PX ms | KEEPTTL]`. The response is whether the value was
/// set (false when `NX`/`XX` prevented it).
public struct SET: RESPCommand {
    /// `NX` (only if absent) or `XX` (only if present).
    public enum Condition: Sendable, Hashable {
        case ifNotExists
        case ifExists
    }

    /// How long the key lives.
    public enum Expiration: Sendable, Hashable {
        case seconds(Int)
        case milliseconds(Int)
        case keepTTL
    }

    public typealias Response = Bool
    public var key: String
    public var value: RESPArgument
    public var condition: Condition?
    public var expiration: Expiration?
    public var isWrite: Bool { true }

    public init(_ key: String, value: RESPArgument, condition: Condition? = nil, expiration: Expiration? = nil) {
        self.key = key
        self.value = value
        self.condition = condition
        self.expiration = expiration
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        var arguments: [RESPArgument] = ["SET", .string(self.key), self.value]
        switch self.condition {
        case .ifNotExists: arguments.append("NX")
        case .ifExists: arguments.append("XX")
        case nil: break
        }
        switch self.expiration {
        case .seconds(let seconds): arguments += ["EX", .integer(Int64(seconds))]
        case .milliseconds(let milliseconds): arguments += ["PX", .integer(Int64(milliseconds))]
        case .keepTTL: arguments.append("KEEPTTL")
        case nil: break
        }
        encoder.encodeArray(arguments)
    }
}

/// `INCR key`: the value after incrementing.
public struct INCR: RESPCommand {
    public typealias Response = Int64
    public var key: String
    public var isWrite: Bool { true }

    public init(_ key: String) {
        self.key = key
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        encoder.encodeArray(["INCR", .string(self.key)])
    }
}

/// `INCRBY key increment`: the value after incrementing.
public struct INCRBY: RESPCommand {
    public typealias Response = Int64
    public var key: String
    public var increment: Int64
    public var isWrite: Bool { true }

    public init(_ key: String, by increment: Int64) {
        self.key = key
        self.increment = increment
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        encoder.encodeArray(["INCRBY", .string(self.key), .integer(self.increment)])
    }
}

/// `DEL key…`: how many keys were removed.
public struct DEL: RESPCommand {
    public typealias Response = Int
    public var keys: [String]
    public var isWrite: Bool { true }

    public init(_ keys: String...) {
        self.keys = keys
    }

    public init(keys: [String]) {
        self.keys = keys
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        encoder.encodeArray(["DEL"] + self.keys.map { .string($0) })
    }
}

/// `EXPIRE key seconds`: whether a timeout was set (false if the key does not exist).
public struct EXPIRE: RESPCommand {
    public typealias Response = Bool
    public var key: String
    public var seconds: Int
    public var isWrite: Bool { true }

    public init(_ key: String, seconds: Int) {
        self.key = key
        self.seconds = seconds
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        encoder.encodeArray(["EXPIRE", .string(self.key), .integer(Int64(self.seconds))])
    }
}

/// `PEXPIRE key milliseconds`: whether a timeout was set.
public struct PEXPIRE: RESPCommand {
    public typealias Response = Bool
    public var key: String
    public var milliseconds: Int
    public var isWrite: Bool { true }

    public init(_ key: String, milliseconds: Int) {
        self.key = key
        self.milliseconds = milliseconds
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        encoder.encodeArray(["PEXPIRE", .string(self.key), .integer(Int64(self.milliseconds))])
    }
}
