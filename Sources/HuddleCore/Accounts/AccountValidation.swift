/// The rules for account input, with one message per field so that forms can show each
/// message next to its field.
///
/// - username: 3–32 of `a-z 0-9 _ . -` (upper case is accepted and lower-cased)
/// - email: one `@`, something before it, a dotted domain after it, no spaces, ≤ 254 characters
/// - password: at least 10 characters, at most 200 (bcrypt reads only 72 bytes; longer inputs
///   would be a cheap way to make the server hash megabytes)
/// - display name: 1–40 characters, no control characters (defaults to the username)
public enum AccountValidation {
    public static let passwordMinimum = 10
    public static let passwordMaximum = 200

    /// The canonical username, or nil when `text` breaks the rules.
    public static func username(_ text: String) -> String? {
        let lowered = text.lowercased()
        guard (3...32).contains(lowered.count),
            lowered.unicodeScalars.allSatisfy({ scalar in
                ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "." || scalar == "-"
            })
        else { return nil }
        return lowered
    }

    /// The canonical (lower-cased) email, or nil when it does not look like an address.
    public static func email(_ text: String) -> String? {
        let lowered = text.lowercased()
        guard lowered.count <= 254, !lowered.contains(where: { $0.isWhitespace || $0.isNewline }) else { return nil }
        let parts = lowered.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return nil }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }) else {
            return nil
        }
        return lowered
    }

    public static func isValidPassword(_ text: String) -> Bool {
        (Self.passwordMinimum...Self.passwordMaximum).contains(text.count)
    }

    /// The trimmed display name, or nil when it breaks the rules.
    public static func displayName(_ text: String) -> String? {
        let trimmed = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        guard (1...40).contains(trimmed.count),
            !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        return trimmed
    }

    /// The message a form shows for an invalid field.
    public static func message(for field: AccountField) -> String {
        switch field {
        case .username: "Use 3 to 32 of a-z, 0-9, _ . and -."
        case .email: "Enter a valid email address."
        case .password: "Use at least \(Self.passwordMinimum) characters (at most \(Self.passwordMaximum))."
        case .displayName: "Use 1 to 40 characters."
        case .login: "Enter your username or email."
        case .role: "Role must be one of admin, agent, user."
        case .active: "Active must be true or false."
        }
    }
}
