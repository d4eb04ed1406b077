/// The rules for account input, with one message per field so that forms can show each
/// message next to its field.
///
/// - username: 3–32 of `a-z 0-9 _ . -` (upper case is accepted and lower-cased)
/// - email: one `@`, something before it, a dotted domain after it, no spaces, ≤ 254 bytes
/// - password: at least 10 characters and at most 72 bytes of UTF-8 (bcrypt reads only 72
///   bytes: anything past them would not count), no NUL or other control characters
/// - display name: 1–40 characters and at most 160 bytes (a character can be one letter with
///   a million combining marks), no control characters (defaults to the username)
///
/// Limits that protect the server are in bytes; the character limits are what people see.
public enum AccountValidation {
    public static let passwordMinimum = 10
    /// Bytes of UTF-8.
    public static let passwordMaximumBytes = 72
    /// Bytes of UTF-8 in a display name.
    public static let displayNameMaximumBytes = 160

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
        guard lowered.utf8.count <= 254, !lowered.contains(where: { $0.isWhitespace || $0.isNewline }) else { return nil }
        let parts = lowered.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64 else { return nil }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }) else {
            return nil
        }
        return lowered
    }

    public static func isValidPassword(_ text: String) -> Bool {
        text.count >= Self.passwordMinimum && text.utf8.count <= Self.passwordMaximumBytes
            && !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// The trimmed display name, or nil when it breaks the rules.
    public static func displayName(_ text: String) -> String? {
        let trimmed = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        guard (1...40).contains(trimmed.count), trimmed.utf8.count <= Self.displayNameMaximumBytes,
            !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        return trimmed
    }

    /// The message a form shows for an invalid field.
    public static func message(for field: AccountField) -> String {
        switch field {
        case .username: "Use 3 to 32 of a-z, 0-9, _ . and -."
        case .email: "Enter a valid email address."
        case .password, .newPassword: "Use at least \(Self.passwordMinimum) characters (at most \(Self.passwordMaximumBytes) bytes), no control characters."
        case .displayName: "Use 1 to 40 characters."
        case .login: "Enter your username or email."
        case .role: "Role must be one of admin, agent, user."
        case .active: "Active must be true or false."
        case .currentPassword: "Enter your current password."
        }
    }
}
