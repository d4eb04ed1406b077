/// What the bot remembers of a conversation: what the customer said about themselves. The
/// conversation's own messages are the memory, so any replica answering knows as much as the
/// one that answered before it.
public struct ChatMemory: Sendable, Hashable {
    /// The name the customer last gave ("my name is Ada", "I'm Ada", "call me Ada"), or else
    /// the name they started the conversation with.
    public var name: String?
    /// Whether ``name`` is one they said, not the one they started with.
    public var nameWasSaid: Bool
    /// The order number they last mentioned ("order 12345", "order #A-1234", "#12345"), upper case.
    public var orderNumber: String?

    /// The memory of the customer's messages among `messages`, oldest first.
    public init(messages: [ChatMessage], customerName: String? = nil) {
        let said = messages.filter { $0.role == .customer }
        let name = said.lazy.reversed().compactMap { Self.name(in: $0.text) }.first
        self.name = name ?? customerName
        self.nameWasSaid = name != nil
        self.orderNumber = said.lazy.reversed().compactMap { Self.orderNumber(in: $0.text) }.first
    }

    /// The name `text` introduces, capitalised when it was typed in lower case.
    ///
    /// "My name is" and "call me" are taken at their word. "I'm" / "I am" are also how people say
    /// how they are ("I'm waiting for my parcel"), so the word after them counts as a name only
    /// when it is no common word and either capitalised or the end of its clause ("hi, i'm ada").
    public static func name(in text: String) -> String? {
        for clause in ChatText.clauses(text) {
            let words = clause.split(whereSeparator: \.isWhitespace).map { String($0.replacing("’", with: "'")) }
            let lower = words.map { $0.lowercased() }
            for start in lower.indices {
                let rest = start..<lower.endIndex
                var nameAt: Int?
                var strict = false
                if lower[rest].starts(with: ["my", "name", "is"]) { nameAt = start + 3 }
                if lower[rest].starts(with: ["my", "name's"]) || lower[rest].starts(with: ["call", "me"]) { nameAt = start + 2 }
                if lower[rest].starts(with: ["i", "am"]) { (nameAt, strict) = (start + 2, true) }
                if ["i'm", "im"].contains(lower[start]) { (nameAt, strict) = (start + 1, true) }
                guard let at = nameAt, at < words.count, let first = Self.nameWord(words[at]),
                    !Self.notNames.contains(first.lowercased())
                else { continue }
                if strict {
                    let capitalised = words[at].first?.isUppercase ?? false
                    guard !first.lowercased().hasSuffix("ing"), capitalised || at == words.count - 1 else { continue }
                }
                var name = [first]
                // A surname the customer capitalised too: "my name is Ada Lovelace".
                if at + 1 < words.count, words[at + 1].first?.isUppercase == true, let second = Self.nameWord(words[at + 1]),
                    !Self.notNames.contains(second.lowercased())
                {
                    name.append(second)
                }
                return name.map(Self.capitalised).joined(separator: " ")
            }
        }
        return nil
    }

    /// The order number `text` mentions: 3–20 of letters, digits and inner hyphens with a digit
    /// among them, after "order" (and "number", "no", "id", "is", "#"…) or after a `#`.
    public static func orderNumber(in text: String) -> String? {
        let words = text.split(whereSeparator: { $0.isWhitespace || ",;!?()\"".contains($0) }).map { word in
            String(word.drop(while: { ".:".contains($0) }).reversed().drop(while: { ".:".contains($0) }).reversed())
        }
        for (index, word) in words.enumerated() {
            if word.hasPrefix("#"), let number = Self.orderToken(word.dropFirst()) { return number }
            guard ["order", "order#"].contains(word.lowercased()) else { continue }
            for next in words.dropFirst(index + 1).prefix(4) {
                if let number = Self.orderToken(next.drop(while: { $0 == "#" })) { return number }
                guard Self.orderFillers.contains(next.lowercased()) else { break }
            }
        }
        return nil
    }

    private static let orderFillers: Set<String> = ["number", "no", "nr", "num", "id", "is", "was", "#", "ref", "reference"]

    private static func orderToken(_ token: Substring) -> String? {
        guard (3...20).contains(token.count), token.contains(where: \.isNumber),
            token.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" }),
            token.first != "-", token.last != "-"
        else { return nil }
        return token.uppercased()
    }

    /// `word` without trailing punctuation when it can be a name: letters, inner ' and -.
    private static func nameWord(_ word: String) -> String? {
        let trimmed = String(word.reversed().drop(while: { !$0.isLetter }).reversed())
        guard (2...30).contains(trimmed.count), trimmed.first?.isLetter == true,
            trimmed.allSatisfy({ $0.isLetter || $0 == "'" || $0 == "-" }),
            !ChatText.stopWords.contains(trimmed.lowercased())
        else { return nil }
        return trimmed
    }

    private static func capitalised(_ word: String) -> String {
        word == word.lowercased() ? word.prefix(1).uppercased() + word.dropFirst() : word
    }

    /// What follows "I'm" or "call me" when it is no name.
    private static let notNames: Set<String> = [
        "afraid", "able", "angry", "annoyed", "asking", "away", "back", "bit", "busy", "calling", "concerned", "confused",
        "contacting", "curious", "currently", "delighted", "disappointed", "done", "fine", "frustrated", "glad", "great",
        "happy", "hoping", "interested", "kind", "looking", "lost", "new", "pleased", "quite", "ready", "sad", "sick",
        "sorry", "stuck", "sure", "thinking", "tired", "trying", "unable", "unhappy", "upset", "waiting", "well",
        "wondering", "worried", "writing", "customer", "from", "over", "only", "always", "never", "unsure", "totally",
        "tomorrow", "today", "tonight", "later", "asap", "soon", "sometime",
    ]
}
