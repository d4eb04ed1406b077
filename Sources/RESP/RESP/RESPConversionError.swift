/// A reply that does not have the shape its command's response type expects.
public struct RESPConversionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What the conversion wanted ("integer", "map"…).
    public var expected: String
    /// The reply that was received.
    public var token: RESPToken

    public init(expected: String, token: RESPToken) {
        self.expected = expected
        self.token = token
    }

    public var description: String { "expected \(self.expected), got \(self.token)" }
}
