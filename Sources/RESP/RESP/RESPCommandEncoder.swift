public import NIOCore

/// Writes commands the way Redis reads them: an array of bulk strings.
public struct RESPCommandEncoder: Sendable {
    /// The bytes written so far.
    public var buffer: ByteBuffer

    public init(buffer: ByteBuffer = ByteBuffer()) {
        self.buffer = buffer
    }

    /// Appends one command (name first, then its arguments).
    public mutating func encodeArray(_ arguments: [RESPArgument]) {
        self.buffer.writeInteger(RESPTypeIdentifier.array.rawValue)
        self.buffer.writeString(String(arguments.count))
        self.buffer.writeStaticString("\r\n")
        for argument in arguments {
            self.buffer.writeInteger(RESPTypeIdentifier.bulkString.rawValue)
            self.buffer.writeString(String(argument.byteCount))
            self.buffer.writeStaticString("\r\n")
            argument.write(into: &self.buffer)
            self.buffer.writeStaticString("\r\n")
        }
    }

    /// Appends one command.
    public mutating func encode(_ command: some RESPCommand) {
        command.encode(into: &self)
    }
}
