public import NIOCore

/// A Redis command: how to write it, and what its reply decodes to.
public protocol RESPCommand: Sendable {
    /// What a successful reply becomes (error replies throw ``RESPError`` before decoding).
    associatedtype Response: RESPTokenDecodable = RESPToken

    /// Writes the command as an array of bulk strings.
    func encode(into encoder: inout RESPCommandEncoder)

    /// Whether the command may write: a `READONLY` reply to such a command means the server
    /// was demoted, which a Sentinel-aware client answers by finding the new master.
    var isWrite: Bool { get }
}

extension RESPCommand {
    public var isWrite: Bool { false }

    /// The command's bytes, in a new buffer (for tests and logging).
    public var encoded: ByteBuffer {
        var encoder = RESPCommandEncoder()
        self.encode(into: &encoder)
        return encoder.buffer
    }
}

/// Any command, given as its words: for commands this library does not model.
public struct RawCommand: RESPCommand {
    public typealias Response = RESPToken
    public var arguments: [RESPArgument]
    public var isWrite: Bool

    public init(_ arguments: [RESPArgument], isWrite: Bool = false) {
        self.arguments = arguments
        self.isWrite = isWrite
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        encoder.encodeArray(self.arguments)
    }
}
