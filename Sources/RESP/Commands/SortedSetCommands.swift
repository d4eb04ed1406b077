public import NIOCore

// Sorted set commands (Huddle's presence keeps members scored by their expiry time).

/// One end of a score range.
public enum RESPScoreBound: Sendable, Hashable {
    case inclusive(Double)
    case exclusive(Double)
    case negativeInfinity
    case positiveInfinity

    var argument: RESPArgument {
        switch self {
        case .inclusive(let score): .string(RESPArgument.text(of: score))
        case .exclusive(let score): .string("(" + RESPArgument.text(of: score))
        case .negativeInfinity: "-inf"
        case .positiveInfinity: "+inf"
        }
    }
}

/// `ZADD key [NX | XX] [GT | LT] [CH] score member …`: how many members were added (or
/// changed, with `CH`).
public struct ZADD: RESPCommand {
    /// Which members to touch.
    public enum Condition: Sendable, Hashable {
        case onlyNew
        case onlyExisting
        case onlyGreater
        case onlyLess
    }

    public typealias Response = Int
    public var key: String
    public var members: [(score: Double, member: RESPArgument)]
    public var condition: Condition?
    public var countChanged: Bool
    public var isWrite: Bool { true }

    public init(
        _ key: String,
        members: [(score: Double, member: RESPArgument)],
        condition: Condition? = nil,
        countChanged: Bool = false
    ) {
        self.key = key
        self.members = members
        self.condition = condition
        self.countChanged = countChanged
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        var arguments: [RESPArgument] = ["ZADD", .string(self.key)]
        switch self.condition {
        case .onlyNew: arguments.append("NX")
        case .onlyExisting: arguments.append("XX")
        case .onlyGreater: arguments.append("GT")
        case .onlyLess: arguments.append("LT")
        case nil: break
        }
        if self.countChanged { arguments.append("CH") }
        for (score, member) in self.members { arguments += [.double(score), member] }
        encoder.encodeArray(arguments)
    }
}

/// `ZREM key member…`: how many members were removed.
public struct ZREM: RESPCommand {
    public typealias Response = Int
    public var key: String
    public var members: [RESPArgument]
    public var isWrite: Bool { true }

    public init(_ key: String, members: [RESPArgument]) {
        self.key = key
        self.members = members
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        encoder.encodeArray(["ZREM", .string(self.key)] + self.members)
    }
}

/// `ZRANGEBYSCORE key min max [LIMIT offset count]`: the members in the range, lowest first.
public struct ZRANGEBYSCORE: RESPCommand {
    public typealias Response = [ByteBuffer]
    public var key: String
    public var minimum: RESPScoreBound
    public var maximum: RESPScoreBound
    public var limit: (offset: Int, count: Int)?

    public init(_ key: String, from minimum: RESPScoreBound, to maximum: RESPScoreBound, limit: (offset: Int, count: Int)? = nil) {
        self.key = key
        self.minimum = minimum
        self.maximum = maximum
        self.limit = limit
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        var arguments: [RESPArgument] = ["ZRANGEBYSCORE", .string(self.key), self.minimum.argument, self.maximum.argument]
        if let limit { arguments += ["LIMIT", .integer(Int64(limit.offset)), .integer(Int64(limit.count))] }
        encoder.encodeArray(arguments)
    }
}

/// `ZREMRANGEBYSCORE key min max`: how many members were removed.
public struct ZREMRANGEBYSCORE: RESPCommand {
    public typealias Response = Int
    public var key: String
    public var minimum: RESPScoreBound
    public var maximum: RESPScoreBound
    public var isWrite: Bool { true }

    public init(_ key: String, from minimum: RESPScoreBound, to maximum: RESPScoreBound) {
        self.key = key
        self.minimum = minimum
        self.maximum = maximum
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        encoder.encodeArray(["ZREMRANGEBYSCORE", .string(self.key), self.minimum.argument, self.maximum.argument])
    }
}
