/// The limits every chat command is checked against. Character limits are what people see; the
/// byte limits are what protect the store (one character may be a letter with a thousand
/// combining marks).
public enum ChatLimits {
    /// One message's text.
    public static let textLength = 2_000
    public static let textBytes = 8_000
    /// A customer's name as they typed it to start, and an agent's name in a transfer.
    public static let nameLength = 40
    public static let nameBytes = 160
    /// A message id a client chooses: 1–64 of `A-Z a-z 0-9 _ . -`.
    public static let messageIDBytes = 64
    /// Customers' and agents' messages a conversation takes; replies to them are not counted
    /// (each answers a message that was taken), so no message is left unanswered by the limit.
    /// A state is held in every replica's cache: without a limit one chatty client could fill it.
    public static let maxMessages = 1_000

    /// A message's text without surrounding white space, line breaks as `\n`, when that is 1 to
    /// ``textLength`` characters and at most ``textBytes`` bytes with no control character but
    /// newline and tab; nil otherwise. `\r\n` and a lone `\r` become `\n` first, so that scripts
    /// posting Windows line ends are not refused for an invisible difference.
    public static func checkedText(_ text: String) -> String? {
        let unified = text.contains("\r") ? text.replacing("\r\n", with: "\n").replacing("\r", with: "\n") : text
        return Self.checked(unified, characters: Self.textLength, bytes: Self.textBytes, allowing: ["\n", "\t"])
    }

    /// A name without surrounding white space: 1 to ``nameLength`` characters (``nameBytes``
    /// bytes), no control characters at all.
    public static func checkedName(_ name: String) -> String? {
        Self.checked(name, characters: Self.nameLength, bytes: Self.nameBytes, allowing: [])
    }

    public static func isValidMessageID(_ id: String) -> Bool {
        id.utf8.count <= Self.messageIDBytes && ChannelName.isValidID(id)
    }

    private static func checked(_ text: String, characters: Int, bytes: Int, allowing allowed: Set<Unicode.Scalar>) -> String? {
        let trimmed = text.trimmingWhitespace
        guard (1...characters).contains(trimmed.count), trimmed.utf8.count <= bytes,
            !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !allowed.contains($0) })
        else { return nil }
        return trimmed
    }
}
