/// Why a FAQ file was refused: what the server logs when it cannot load one.
public struct InvalidFAQ: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { self.message }
}
