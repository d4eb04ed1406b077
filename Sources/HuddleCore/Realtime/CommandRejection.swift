/// A command an app refuses, with a code clients can act on (`bad_request`, `locked`,
/// `unknown_command`…) and a message people can read.
public struct CommandRejection: Error, Sendable, Hashable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public static func unknownCommand(_ name: String, kind: String) -> Self {
        Self(code: "unknown_command", message: "\(kind) channels have no command '\(name)'")
    }

    public static func badRequest(_ message: String) -> Self {
        Self(code: "bad_request", message: message)
    }
}
