/// Chat as a ``StreamModel``: the gateway's stream app serves `chat:{id}` with it.
extension ConversationState: StreamModel {
    public static func parse(command name: String, data: JSONValue) throws(CommandRejection) -> ConversationCommand {
        try ConversationCommand.parse(name: name, data: data, newID: RandomID.make)
    }

    /// Times come from the store (`recordedAt`), not from `now`: one clock for every replica.
    public func decide(_ command: ConversationCommand, by identity: Identity, at now: Int64) throws(CommandRejection) -> NewEvent {
        try self.decide(command, by: identity).stored
    }

    /// Only the conversation's customer, agents, admins and the server: nobody reads another
    /// customer's conversation. Only conversations that exist: a channel for any made-up id would
    /// otherwise be a free relay for presence and typing signals.
    public func admit(_ identity: Identity) throws(CommandRejection) {
        guard let customer = self.customer else { throw CommandRejection(.notFound, "there is no such conversation") }
        guard identity.id == customer || identity.isAgent || identity.isAdmin || identity.isChatServer else {
            throw CommandRejection(.forbidden, "this conversation is another customer's")
        }
    }

    /// The first event of a new conversation's stream: `customer` starts it as `customerName`
    /// (trimmed, 1–40 characters), or under their own name.
    public static func creation(customer: Identity, customerName: String? = nil) throws(CommandRejection) -> NewEvent {
        guard !customer.isChatServer else { throw CommandRejection(.forbidden, "the server does not start conversations") }
        guard let name = ChatLimits.checkedName(customerName ?? customer.name) else { throw Self.badName("customerName") }
        return ConversationEvent.started(customer: customer.id, customerName: name).stored
    }
}

extension RejectionCode {
    /// Another agent (or the same one) claimed the conversation first.
    public static let alreadyClaimed = Self("already_claimed", httpStatus: 409)
    /// The customer message has its bot reply or system note already (another replica answered).
    public static let alreadyAnswered = Self("already_answered", httpStatus: 409)
    /// The customer is already waiting for, or talking to, a person.
    public static let alreadyEscalated = Self("already_escalated", httpStatus: 409)
    /// A message with this id is in the conversation: a retried send that was stored.
    public static let alreadyPosted = Self("already_posted", httpStatus: 409)
    /// Claimed while the bot has the conversation: nobody asked for a person.
    public static let notQueued = Self("not_queued", httpStatus: 409)
    /// Transferred (or resolved by an agent) while no agent holds it.
    public static let notClaimed = Self("not_claimed", httpStatus: 409)
    /// Resolved while the bot has the conversation already.
    public static let notEscalated = Self("not_escalated", httpStatus: 409)
    /// The bot answers a message the customer has since handed to a person.
    public static let notWithBot = Self("not_with_bot", httpStatus: 409)
    /// An agent's presence marker that would say what the last one said (a second tab, or two
    /// replicas seeing the same presence change).
    public static let presenceUnchanged = Self("presence_unchanged", httpStatus: 409)
    /// The conversation holds ``ChatLimits/maxMessages`` messages.
    public static let conversationFull = Self("conversation_full", httpStatus: 409)
}
