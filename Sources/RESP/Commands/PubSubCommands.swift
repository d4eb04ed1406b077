public import NIOCore

// Pub/sub commands. SUBSCRIBE and UNSUBSCRIBE are only sent by ``RESPSubscriber``: their
// confirmations arrive as pushes, not as replies.

/// `PUBLISH channel message`: how many subscribers (on this node) received it.
public struct PUBLISH: RESPCommand {
    public typealias Response = Int
    public var channel: String
    public var message: RESPArgument

    public init(channel: String, message: RESPArgument) {
        self.channel = channel
        self.message = message
    }

    public init(channel: String, message: ByteBuffer) {
        self.init(channel: channel, message: .bytes(message))
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        encoder.encodeArray(["PUBLISH", .string(self.channel), self.message])
    }
}

/// `SUBSCRIBE channel…`.
package struct SUBSCRIBE: RESPCommand {
    package var channels: [String]

    package init(channels: [String]) {
        self.channels = channels
    }

    package func encode(into encoder: inout RESPCommandEncoder) {
        encoder.encodeArray(["SUBSCRIBE"] + self.channels.map { .string($0) })
    }
}

/// `UNSUBSCRIBE channel…`.
package struct UNSUBSCRIBE: RESPCommand {
    package var channels: [String]

    package init(channels: [String]) {
        self.channels = channels
    }

    package func encode(into encoder: inout RESPCommandEncoder) {
        encoder.encodeArray(["UNSUBSCRIBE"] + self.channels.map { .string($0) })
    }
}
