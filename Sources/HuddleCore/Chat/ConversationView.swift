/// A conversation as the HTTP API answers it (`GET /api/v1/chats/{id}`, and without its
/// messages in listings such as the agents' queue) and its pages show it. Optional members are
/// absent from the JSON when nil.
public struct ConversationView: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case bot, queued, withAgent

        init(_ status: ConversationStatus) {
            switch status {
            case .bot: self = .bot
            case .queued: self = .queued
            case .withAgent: self = .withAgent
            }
        }
    }

    public var id: String
    /// The identity id of the customer.
    public var customer: String
    public var customerName: String
    /// When it was started (ms since 1970).
    public var createdAt: Int64
    public var status: Status
    /// Since when it has waited for an agent: the queue's order, oldest first. Only when queued.
    public var queuedSince: Int64?
    /// The agent holding it. Only when with an agent.
    public var agent: ChatAgent?
    /// Agents whose "joined" marker stands.
    public var agentsPresent: [ChatAgent]
    /// Oldest first; empty in listings.
    public var messages: [ChatMessage]
    /// The newest message, also in listings.
    public var lastMessage: ChatMessage?
    /// How many messages there are, also in listings (unread counts are the messages after the
    /// reader's last offset).
    public var messageCount: Int
    /// Ids of the customer messages the bot owes an answer, oldest first.
    public var unanswered: [String]
    /// The offset the view reflects: where a realtime subscription resumes (`since`).
    public var offset: Int64

    /// The view of conversation `id`, with its messages unless `includingMessages` is false;
    /// nil when it does not exist.
    public init?(id: String, _ state: ConversationState, includingMessages: Bool = true) {
        guard let customer = state.customer else { return nil }
        self.id = id
        self.customer = customer
        self.customerName = state.customerName ?? ""
        self.createdAt = state.createdAt ?? 0
        self.status = Status(state.status)
        self.queuedSince = state.queuedSince
        self.agent = state.agent
        self.agentsPresent = state.agentsPresent
        self.messages = includingMessages ? state.messages : []
        self.lastMessage = state.lastMessage
        self.messageCount = state.messages.count
        self.unanswered = state.unanswered.map(\.id)
        self.offset = state.offset
    }
}
