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

extension RESPCommandEncoder {
    /// The name of the command at the start of `bytes` (`INCR`, `PUBLISH`), upper-cased, as
    /// spans and logs call it; `COMMAND` when the bytes are not an encoded command.
    public static func commandName(in bytes: ByteBuffer) -> String {
        var bytes = bytes
        // `*<count>\r\n$<length>\r\n<name>\r\n…`
        guard bytes.readInteger(as: UInt8.self) == RESPTypeIdentifier.array.rawValue,
            Self.skipLine(&bytes), bytes.readInteger(as: UInt8.self) == RESPTypeIdentifier.bulkString.rawValue,
            let length = Self.readLength(&bytes), (1...64).contains(length),
            let name = bytes.readString(length: length)
        else { return "COMMAND" }
        return name.uppercased()
    }

    private static func skipLine(_ bytes: inout ByteBuffer) -> Bool {
        guard let end = bytes.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else { return false }
        bytes.moveReaderIndex(to: end + 1)
        return true
    }

    private static func readLength(_ bytes: inout ByteBuffer) -> Int? {
        guard let end = bytes.readableBytesView.firstIndex(of: UInt8(ascii: "\r")),
            let text = bytes.readString(length: end - bytes.readerIndex)
        else { return nil }
        bytes.moveReaderIndex(forwardBy: 2)
        return Int(text)
    }
}
