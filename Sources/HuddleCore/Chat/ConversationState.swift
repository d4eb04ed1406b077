/// A support conversation as its events leave it: a fold of its stream (`chat:{id}`). Replicas
/// decide commands against it and append with its offset as the expected one, so two agents
/// claiming at once, or two replicas answering one message, cannot both win: the loser is
/// decided again against the newer state, and refused (`already_claimed`, `already_answered`).
public struct ConversationState: Sendable, Hashable {
    public static let kind = "chat"
    /// The author of the server's notes (`systemNote`), and the name shown for them.
    public static let systemAuthor = "system"
    public static let systemName = "Huddle"

    /// The identity id of the customer who started it; nil for a conversation that does not exist.
    public private(set) var customer: String?
    /// The name the customer chose to start with.
    public private(set) var customerName: String?
    /// When it was started (ms since 1970).
    public private(set) var createdAt: Int64?
    public private(set) var status: ConversationStatus = .bot
    /// Oldest first.
    public private(set) var messages: [ChatMessage] = []
    /// Agents whose last marker says they joined, in the order they joined.
    public private(set) var agentsPresent: [ChatAgent] = []
    public private(set) var offset: Int64 = 0

    /// Where each message is in ``messages``.
    private var positions: [String: Int] = [:]
    /// Customer messages posted while with the bot and not answered yet, oldest first.
    private var pending: [String] = []
    /// Customer messages a bot reply or a system note answers.
    private var answered: Set<String> = []
    /// Customers' and agents' messages: what ``ChatLimits/maxMessages`` counts.
    private(set) var postedByPeople = 0

    public init() {}

    public var exists: Bool { self.customer != nil }

    /// Since when it has waited for an agent; nil unless queued.
    public var queuedSince: Int64? {
        if case .queued(let since) = self.status { return since }
        return nil
    }

    /// The agent holding it; nil unless with an agent.
    public var agent: ChatAgent? {
        if case .withAgent(let agent) = self.status { return agent }
        return nil
    }

    public var lastMessage: ChatMessage? { self.messages.last }

    /// Customer messages the bot owes an answer, oldest first: posted while the bot had the
    /// conversation, with neither a bot reply nor a system note answering them yet. Work any
    /// replica can pick up after another died between storing a message and answering it.
    /// Empty once the customer asks for a person: what they said is the agent's to answer then,
    /// and stays so after the conversation comes back to the bot (a stale question is not
    /// answered out of the blue).
    public var unanswered: [ChatMessage] {
        self.pending.compactMap(self.message)
    }

    public func message(_ id: String) -> ChatMessage? {
        self.positions[id].map { self.messages[$0] }
    }

    /// Whether a bot reply or a system note answers customer message `id`.
    public func isAnswered(_ id: String) -> Bool {
        self.answered.contains(id)
    }

    func isPending(_ id: String) -> Bool {
        self.pending.contains(id)
    }

    /// Folds one stored event in. Events it does not know are skipped (a newer replica may have
    /// written them), but the offset still moves; so are events that contradict the stream so
    /// far (decisions never write them).
    public mutating func apply(_ event: StoredEvent) {
        self.offset = event.offset
        guard let decoded = ConversationEvent(name: event.name, data: event.data) else { return }
        let at = event.recordedAt ?? 0
        if case .started(let customer, let customerName) = decoded {
            guard !self.exists else { return }
            self.customer = customer
            self.customerName = customerName
            self.createdAt = at
            return
        }
        guard self.exists else { return }
        switch decoded {
        case .started:
            break
        case .messagePosted(let id, let author, let authorName, let role, let text, let replyTo, let offersPerson):
            guard self.positions[id] == nil else { return }
            self.positions[id] = self.messages.count
            self.messages.append(ChatMessage(
                id: id, author: author, authorName: authorName, role: role, text: text, replyTo: replyTo,
                offersPerson: offersPerson ? true : nil, at: at, offset: event.offset))
            switch role {
            case .customer, .agent:
                self.postedByPeople += 1
                if role == .customer, self.status == .bot { self.pending.append(id) }
            case .bot, .system:
                guard let replyTo else { return }
                self.pending.removeAll { $0 == replyTo }
                self.answered.insert(replyTo)
            }
        case .escalated:
            guard self.status == .bot else { return }
            self.status = .queued(since: at)
            self.pending = []
        case .claimed(let agent, let agentName):
            guard case .queued = self.status else { return }
            self.status = .withAgent(ChatAgent(id: agent, name: agentName))
        case .transferred(let from, let to, let toName, _):
            guard self.agent?.id == from else { return }
            self.status = to.map { .withAgent(ChatAgent(id: $0, name: toName ?? $0)) } ?? .queued(since: at)
        case .resolved:
            guard self.status != .bot else { return }
            self.status = .bot
        case .agentPresence(let agent, let agentName, let joined):
            self.agentsPresent.removeAll { $0.id == agent }
            if joined { self.agentsPresent.append(ChatAgent(id: agent, name: agentName)) }
        }
    }
}
