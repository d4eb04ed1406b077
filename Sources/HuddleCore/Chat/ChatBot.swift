/// The built-in bot: it works offline with nothing to configure, answering from a ``FAQ`` with
/// what the customer said earlier in the conversation (``ChatMemory``), and says plainly when it
/// does not know, offering a person. Pure: the server decides when it runs and posts its answer
/// with ``BotAnswer/command(replyingTo:id:)``.
///
/// To a customer message, in this order:
/// 1. asked what it remembers ("what is my order number?", "do you remember my name?"): the
///    answer from memory, or that it was not told;
/// 2. a FAQ entry that matches (``FAQ/threshold``): its answer with `{name}` and `{order}`
///    filled in, after "Nice to meet you, Ada!" when the message gave a name, or "Hi Ada!" in
///    its first reply of the conversation when it knows one;
/// 3. a message that only gave a name or an order number: that it noted it;
/// 4. only thanks, or only a greeting: small talk;
/// 5. anything else: "I don't know", offering a person.
public struct ChatBot: Sendable, Hashable {
    public let faq: FAQ

    public init(faq: FAQ) {
        self.faq = faq
    }

    /// The answer to `question`, one of `conversation`'s messages, with what was said up to it.
    public func reply(to question: ChatMessage, in conversation: ConversationState) -> BotAnswer {
        let history = conversation.messages.prefix { $0.offset <= question.offset }
        return self.reply(to: Array(history), customerName: conversation.customerName)
    }

    /// The answer to the last customer message of `messages` (oldest first), remembering the
    /// customer's earlier ones; `customerName` is the name they started with.
    public func reply(to messages: [ChatMessage], customerName: String? = nil) -> BotAnswer {
        guard let last = messages.lastIndex(where: { $0.role == .customer }) else {
            return BotAnswer(text: Self.greeting(customerName))
        }
        let history = messages[...last]
        let question = messages[last].text
        let memory = ChatMemory(messages: Array(history), customerName: customerName)
        let saidName = ChatMemory.name(in: question)
        let saidOrder = ChatMemory.orderNumber(in: question)
        let words = ChatText.words(question)
        if let answer = Self.recall(words, question, memory, saidName: saidName, saidOrder: saidOrder) { return answer }

        // What they just told about themselves is no topic: "my order number is 12345" is not
        // asking about orders (while "where is order 12345?" is).
        var ignored = saidName.map { Set(ChatText.terms($0)).union(["name"]) } ?? []
        if saidOrder != nil, !Self.isQuestion(words, question) { ignored.formUnion(["order", "number"]) }
        if let match = self.faq.match(question, ignoring: ignored) {
            let firstReply = !history.contains { $0.role == .bot }
            let opening = saidName.map { "Nice to meet you, \($0)! " } ?? (firstReply ? memory.name.map { "Hi \($0)! " } : nil) ?? ""
            let answer = self.faq.answer(match, name: memory.name, order: memory.orderNumber)
            return BotAnswer(
                text: Self.clamped(opening + answer), offersPerson: match.entry.offersPerson, matchedQuestion: match.entry.question)
        }
        if saidName != nil || saidOrder != nil {
            var parts: [String] = []
            if let saidName { parts.append("Nice to meet you, \(saidName)!") }
            if let saidOrder { parts.append("I've noted your order number, \(saidOrder).") }
            parts.append(saidOrder == nil ? "How can I help you today?" : "What would you like to know about it?")
            return BotAnswer(text: parts.joined(separator: " "))
        }
        if ChatText.terms(question).isEmpty {
            if words.contains(where: ChatText.thanks.contains) {
                return BotAnswer(text: "You're welcome\(memory.name.map { ", \($0)" } ?? "")! Is there anything else I can help you with?")
            }
            if words.contains(where: ChatText.greetings.contains) { return BotAnswer(text: Self.greeting(memory.name)) }
        }
        return BotAnswer(
            text: "Sorry\(memory.name.map { ", \($0)" } ?? ""), I don't know the answer to that. Shall I get you a person? "
                + "Type escalate or press “Ask for a person”.",
            offersPerson: true)
    }

    static func greeting(_ name: String?) -> String {
        "Hello\(name.map { " \($0)" } ?? "")! I'm the assistant: ask me a question. If you would rather talk to a person, "
            + "type escalate or press “Ask for a person”."
    }

    /// The answer to a question about what the customer told it; nil for other questions.
    private static func recall(
        _ words: [String], _ question: String, _ memory: ChatMemory, saidName: String?, saidOrder: String?
    ) -> BotAnswer? {
        let asking = question.contains("?") || words.contains(where: Self.askingWords.contains)
        let aboutName = [["my", "name"], ["who", "am", "i"], ["who", "i", "am"]].contains { Self.has(words, $0) }
        let asksName = saidName == nil && asking && aboutName
        let asksOrder = saidOrder == nil && asking && words.contains("order") && words.contains(where: Self.numberWords.contains)
        guard asksName || asksOrder else { return nil }
        var parts: [String] = []
        if asksName {
            parts.append(memory.name.map { Self.sentence(memory.nameWasSaid ? "Your name is \($0)" : "You started this chat as \($0)") }
                ?? "You haven't told me your name yet. What should I call you?")
        }
        if asksOrder {
            parts.append(memory.orderNumber.map { "Your order number is \($0)." }
                ?? "You haven't told me an order number yet. What is it? (For example: order 12345.)")
        }
        return BotAnswer(text: parts.joined(separator: " "))
    }

    /// Whether the message asks something: a question mark, or a question's first word.
    private static func isQuestion(_ words: [String], _ text: String) -> Bool {
        text.contains("?") || words.first.map(Self.questionWords.contains) == true
    }

    private static let questionWords: Set<String> = [
        "where", "wheres", "when", "what", "whats", "how", "why", "which", "who", "can", "could", "do", "does", "did",
        "is", "are", "will", "would", "has", "have", "should",
    ]

    /// `text` ending with a full stop, unless it ends with one already ("Ada L.").
    private static func sentence(_ text: String) -> String {
        text.hasSuffix(".") ? text : text + "."
    }

    private static let askingWords: Set<String> = ["what", "whats", "remember", "recall", "know", "forgot", "forget", "tell", "which"]
    private static let numberWords: Set<String> = ["number", "no", "nr", "id", "ref", "reference"]

    private static func has(_ words: [String], _ phrase: [String]) -> Bool {
        words.indices.contains { words[$0...].starts(with: phrase) }
    }

    /// Within a message's limits whatever the FAQ holds, so that the server's `botReply` is
    /// never refused for its length.
    static func clamped(_ text: String) -> String {
        var text = String(text.prefix(ChatLimits.textLength))
        while text.utf8.count > ChatLimits.textBytes { text.removeLast() }
        return text
    }
}
