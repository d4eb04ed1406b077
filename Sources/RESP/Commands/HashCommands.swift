public import NIOCore

// Hash commands.

/// `HSET key field value [field value …]`: how many fields were added (not updated).
public struct HSET: RESPCommand {
    public typealias Response = Int
    public var key: String
    public var fields: [(field: String, value: RESPArgument)]
    public var isWrite: Bool { true }

    public init(_ key: String, fields: [(field: String, value: RESPArgument)]) {
        self.key = key
        self.fields = fields
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        var arguments: [RESPArgument] = ["HSET", .string(self.key)]
        for (field, value) in self.fields { arguments += [.string(field), value] }
        encoder.encodeArray(arguments)
    }
}

/// `HDEL key field…`: how many fields were removed.
public struct HDEL: RESPCommand {
    public typealias Response = Int
    public var key: String
    public var fields: [String]
    public var isWrite: Bool { true }

    public init(_ key: String, fields: [String]) {
        self.key = key
        self.fields = fields
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        encoder.encodeArray(["HDEL", .string(self.key)] + self.fields.map { .string($0) })
    }
}

/// `HGETALL key`: every field and value (empty if the key does not exist).
public struct HGETALL: RESPCommand {
    public typealias Response = [String: ByteBuffer]
    public var key: String

    public init(_ key: String) {
        self.key = key
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        encoder.encodeArray(["HGETALL", .string(self.key)])
    }
}
