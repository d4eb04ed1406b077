/// One message of a conversation, as its `messagePosted` event left it.
public struct ChatMessage: Sendable, Hashable, Codable {
    /// Who speaks: the customer, the built-in bot, a human agent, or the server (notes such as
    /// "the assistant is unavailable").
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case customer, bot, agent, system
    }

    /// Unique within the conversation.
    public var id: String
    /// The identity id of the customer or agent; `bot` or `system` for the server's messages.
    public var author: String
    /// The name shown beside it, as it was when posted.
    public var authorName: String
    public var role: Role
    public var text: String
    /// For the bot's and the server's replies: the customer message answered.
    public var replyTo: String?
    /// Whether the bot offers a person with this reply (it did not know, or was asked for one):
    /// the page can show an "Ask for a person" button under it. Absent from the JSON when false.
    public var offersPerson: Bool?
    /// When it was stored (ms since 1970).
    public var at: Int64
    /// The offset of its event in `chat:{id}`: what unread counts are counted against.
    public var offset: Int64

    public init(
        id: String, author: String, authorName: String, role: Role, text: String, replyTo: String? = nil,
        offersPerson: Bool? = nil, at: Int64, offset: Int64
    ) {
        self.id = id
        self.author = author
        self.authorName = authorName
        self.role = role
        self.text = text
        self.replyTo = replyTo
        self.offersPerson = offersPerson
        self.at = at
        self.offset = offset
    }
}
