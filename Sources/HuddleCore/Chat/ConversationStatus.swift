/// Who a conversation is with: `bot` → (escalate) `queued` → (claim) `withAgent` → (transfer)
/// another agent or back to `queued` → (resolve) `bot` again, from which the customer may
/// escalate again.
public enum ConversationStatus: Sendable, Hashable {
    /// The built-in bot answers.
    case bot
    /// Waiting for an agent since this time (ms since 1970): when it was escalated, or when an
    /// agent handed it back to the queue.
    case queued(since: Int64)
    /// This agent holds it: only they (and admins) transfer or resolve it, only they reply.
    case withAgent(ChatAgent)

    /// `bot`, `queued` or `withAgent`: the status in JSON and logs.
    public var name: String { ConversationView.Status(self).rawValue }
}
