/// An error reply from the server (`-ERR …`, `-READONLY …`, `!…`).
///
/// Redis starts every error with an upper-case word that says what kind it is; ``prefix``
/// holds it so that callers can switch on it (a `READONLY` from a demoted master means
/// "find the new master", a `NOAUTH` means the password is missing).
public struct RESPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The leading upper-case word (`ERR`, `READONLY`, `NOAUTH`, `WRONGPASS`, `MOVED`…), or
    /// empty if the message does not start with one.
    public var prefix: String
    /// The rest of the message, after the prefix and a space.
    public var message: String

    public init(prefix: String, message: String) {
        self.prefix = prefix
        self.message = message
    }

    /// Splits a server's error text into its prefix and message.
    public init(message full: String) {
        let word = full.prefix { $0 != " " }
        let isPrefix = !word.isEmpty && word.allSatisfy { ($0.isUppercase && $0.isASCII) || $0 == "_" || $0.isNumber }
        if isPrefix {
            self.prefix = String(word)
            self.message = String(full.dropFirst(word.count).drop { $0 == " " })
        } else {
            self.prefix = ""
            self.message = full
        }
    }

    /// The master was demoted: writes must go to the new master.
    public var isReadOnly: Bool { self.prefix == "READONLY" }
    /// Authentication is missing or wrong.
    public var isAuthenticationError: Bool { self.prefix == "NOAUTH" || self.prefix == "WRONGPASS" }

    public var description: String { self.prefix.isEmpty ? self.message : "\(self.prefix) \(self.message)" }
}
