/// The limits every tournament is checked against. Character limits are what people see;
/// the byte limits are what protect the store (one character may be a letter with a thousand
/// combining marks).
public enum TournamentLimits {
    public static let nameLength = 80
    /// A tournament's name in bytes of UTF-8.
    public static let nameBytes = 320
    /// A player's name, and separately their surname.
    public static let playerNameLength = 40
    public static let playerNameBytes = 160
    /// One club's name.
    public static let clubNameLength = 40
    public static let clubNameBytes = 160
    /// How many clubs an organiser's own list may hold; the player limit is 2 to that many.
    public static let clubs = 2...64

    /// The original's ten (LetChooseTeams), spelled correctly.
    public static let defaultClubs = [
        "Bayern Munich", "Paris Saint-Germain", "Manchester City", "Liverpool", "Manchester United",
        "Real Madrid", "Chelsea", "Atlético Madrid", "Juventus", "Barcelona",
    ]

    /// `text` without surrounding white space, when that is 1 to `characters` characters and at
    /// most `bytes` bytes of UTF-8 without control characters; nil otherwise.
    static func checked(_ text: String, characters: Int, bytes: Int) -> String? {
        let trimmed = Self.trimmed(text)
        guard (1...characters).contains(trimmed.count), trimmed.utf8.count <= bytes,
            !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        return trimmed
    }

    static func trimmed(_ text: String) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
            let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(text[first...last])
    }

    /// What two names are compared by when they must differ "case-insensitively": lower case of
    /// upper case, which folds what lower case alone does not (`ß` and `SS`, `ς` and `Σ`).
    /// String equality and hashing already treat canonically equivalent spellings as one.
    static func key(_ text: String) -> String {
        text.uppercased().lowercased()
    }
}
