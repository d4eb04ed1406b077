/// What a customer, an agent, an admin or the server asks of a conversation. Decided by
/// ``ConversationState/decide(_:by:)``; typing indicators are signals, never commands.
public enum ConversationCommand: Sendable, Hashable {
    /// A message from the customer, or from the agent holding the conversation. The customer's
    /// text `escalate` (trimmed, any case) while the bot has the conversation escalates instead
    /// of being posted. `id` is the client's (for retries) or a fresh one.
    case send(text: String, id: String)
    /// The customer's "Ask for a person" button.
    case escalate
    /// An agent takes a queued conversation.
    case claim
    /// The holder (or an admin) hands it to agent `to`, or back to the queue when `to` is nil.
    /// `toName` is the name shown for `to`: the routes look it up; the domain cannot.
    case transfer(to: String?, toName: String?)
    /// The holder (or an admin) hands it back to the bot.
    case resolve
    /// The server's bot answers customer message `replyTo`.
    case botReply(id: String, replyTo: String, text: String, offersPerson: Bool)
    /// A note from the server ("the assistant is unavailable; you can ask for a person"),
    /// answering `replyTo` when given.
    case systemNote(id: String, text: String, replyTo: String?)
    /// "An agent joined / left": an agent's or admin's own marker, or the server's for `agent`
    /// (when presence says an agent's last connection went).
    case agentPresence(joined: Bool, agent: ChatAgent?)

    /// Reads a realtime command (`name` and JSON `data`), or explains what is wrong with it.
    /// `newID` names messages whose client did not.
    public static func parse(name: String, data: JSONValue, newID: () -> String) throws(CommandRejection) -> ConversationCommand {
        func string(_ key: String) throws(CommandRejection) -> String {
            guard let value = data[key]?.stringValue else { throw .badRequest("\(name) needs a string '\(key)'") }
            return value
        }
        func optional(_ key: String) throws(CommandRejection) -> String? {
            switch data[key] {
            case nil, .null?: return nil
            case .string(let value)?: return value
            default: throw .badRequest("\(name)'s '\(key)' must be a string")
            }
        }
        func messageID() throws(CommandRejection) -> String {
            guard let id = try optional("id") else { return newID() }
            guard ChatLimits.isValidMessageID(id) else {
                throw .badRequest("a message id is 1 to \(ChatLimits.messageIDBytes) of A-Z a-z 0-9 _ . -")
            }
            return id
        }
        switch name {
        case "send": return .send(text: try string("text"), id: try messageID())
        case "escalate": return .escalate
        case "claim": return .claim
        case "transfer": return .transfer(to: try optional("to"), toName: try optional("toName"))
        case "resolve": return .resolve
        case "botReply":
            let offersPerson: Bool
            switch data["offersPerson"] {
            case nil, .null?: offersPerson = false
            case .bool(let value)?: offersPerson = value
            default: throw .badRequest("botReply's 'offersPerson' must be true or false")
            }
            return .botReply(id: try messageID(), replyTo: try string("replyTo"), text: try string("text"), offersPerson: offersPerson)
        case "systemNote": return .systemNote(id: try messageID(), text: try string("text"), replyTo: try optional("replyTo"))
        case "agentPresence":
            guard case .bool(let joined)? = data["joined"] else { throw .badRequest("agentPresence needs true or false 'joined'") }
            switch (try optional("agent"), try optional("agentName")) {
            case (nil, nil): return .agentPresence(joined: joined, agent: nil)
            case (let id?, let agentName?): return .agentPresence(joined: joined, agent: ChatAgent(id: id, name: agentName))
            default: throw .badRequest("agentPresence names an agent with both 'agent' and 'agentName', or neither")
            }
        default: throw .unknownCommand(name, kind: ConversationState.kind)
        }
    }
}
