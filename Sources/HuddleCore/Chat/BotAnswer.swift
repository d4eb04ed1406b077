/// What the built-in bot says to a customer message.
public struct BotAnswer: Sendable, Hashable {
    public var text: String
    /// Whether it offers a person: it did not know, or the customer asked how to reach one.
    public var offersPerson: Bool
    /// The FAQ question it answered from; nil for answers from memory, small talk, or "I don't know".
    public var matchedQuestion: String?

    public init(text: String, offersPerson: Bool = false, matchedQuestion: String? = nil) {
        self.text = text
        self.offersPerson = offersPerson
        self.matchedQuestion = matchedQuestion
    }

    /// The command that posts this answer to customer message `replyTo`, as message `id`.
    public func command(replyingTo replyTo: String, id: String) -> ConversationCommand {
        .botReply(id: id, replyTo: replyTo, text: self.text, offersPerson: self.offersPerson)
    }
}
