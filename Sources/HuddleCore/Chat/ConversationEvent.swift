#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What happened in a support conversation: the events of its stream (`chat:{id}`). Times are
/// not in the data: a message's time is when the store committed its event (`recordedAt`).
public enum ConversationEvent: Sendable, Hashable {
    /// How a customer asked for a person.
    public enum EscalationReason: String, Sendable, Hashable, Codable, CaseIterable {
        /// They sent the message `escalate`.
        case keyword
        /// They pressed "Ask for a person".
        case button
    }

    /// Always the stream's first event; `customer` is the identity id of the only customer who
    /// may read and write it.
    case started(customer: String, customerName: String)
    /// `author` is an identity id, or `bot` / `system`; `replyTo` is the customer message a bot
    /// reply or a system note answers.
    case messagePosted(
        id: String, author: String, authorName: String, role: ChatMessage.Role, text: String, replyTo: String?,
        offersPerson: Bool)
    case escalated(by: String, reason: EscalationReason)
    case claimed(agent: String, agentName: String)
    /// `to` nil: back to the queue. `by` is the holder, or the admin who moved it.
    case transferred(from: String, to: String?, toName: String?, by: String)
    /// Handed back to the bot.
    case resolved(by: String)
    /// The "an agent joined / left" markers the customer sees.
    case agentPresence(agent: String, agentName: String, joined: Bool)

    /// The stored form: a name and JSON data; optional members are absent when nil or false.
    public var stored: NewEvent {
        switch self {
        case .started(let customer, let customerName):
            Self.event("conversationStarted", ["customer": .string(customer), "customerName": .string(customerName)])
        case .messagePosted(let id, let author, let authorName, let role, let text, let replyTo, let offersPerson):
            Self.event("messagePosted", [
                "id": .string(id), "author": .string(author), "authorName": .string(authorName),
                "role": .string(role.rawValue), "text": .string(text),
                "replyTo": replyTo.map(JSONValue.string), "offersPerson": offersPerson ? .bool(true) : nil,
            ])
        case .escalated(let by, let reason):
            Self.event("escalated", ["by": .string(by), "reason": .string(reason.rawValue)])
        case .claimed(let agent, let agentName):
            Self.event("claimed", ["agent": .string(agent), "agentName": .string(agentName)])
        case .transferred(let from, let to, let toName, let by):
            Self.event("transferred", [
                "from": .string(from), "to": to.map(JSONValue.string), "toName": toName.map(JSONValue.string), "by": .string(by),
            ])
        case .resolved(let by):
            Self.event("resolved", ["by": .string(by)])
        case .agentPresence(let agent, let agentName, let joined):
            Self.event("agentPresence", ["agent": .string(agent), "agentName": .string(agentName), "joined": .bool(joined)])
        }
    }

    /// The event a stored one is, or nil for one this version does not know or cannot read (a
    /// newer replica may have written it).
    public init?(name eventName: String, data text: String) {
        guard let data = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { return nil }
        func string(_ key: String) -> String? { data[key]?.stringValue }
        /// Absent or null is nil; anything but a string makes the event unreadable.
        func optional(_ key: String) -> String?? {
            switch data[key] {
            case nil, .null?: .some(nil)
            case .string(let value)?: .some(value)
            default: nil
            }
        }
        switch eventName {
        case "conversationStarted":
            guard let customer = string("customer"), let name = string("customerName") else { return nil }
            self = .started(customer: customer, customerName: name)
        case "messagePosted":
            guard let id = string("id"), let author = string("author"), let authorName = string("authorName"),
                let role = string("role").flatMap(ChatMessage.Role.init(rawValue:)), let text = string("text"),
                let replyTo = optional("replyTo")
            else { return nil }
            let offersPerson: Bool
            switch data["offersPerson"] {
            case nil, .null?: offersPerson = false
            case .bool(let value)?: offersPerson = value
            default: return nil
            }
            self = .messagePosted(
                id: id, author: author, authorName: authorName, role: role, text: text, replyTo: replyTo, offersPerson: offersPerson)
        case "escalated":
            guard let by = string("by"), let reason = string("reason").flatMap(EscalationReason.init(rawValue:)) else { return nil }
            self = .escalated(by: by, reason: reason)
        case "claimed":
            guard let agent = string("agent"), let name = string("agentName") else { return nil }
            self = .claimed(agent: agent, agentName: name)
        case "transferred":
            guard let from = string("from"), let by = string("by"), let to = optional("to"), let toName = optional("toName")
            else { return nil }
            self = .transferred(from: from, to: to, toName: toName, by: by)
        case "resolved":
            guard let by = string("by") else { return nil }
            self = .resolved(by: by)
        case "agentPresence":
            guard let agent = string("agent"), let name = string("agentName"), case .bool(let joined)? = data["joined"]
            else { return nil }
            self = .agentPresence(agent: agent, agentName: name, joined: joined)
        default:
            return nil
        }
    }

    /// Members whose value is nil are left out.
    private static func event(_ name: String, _ members: [String: JSONValue?]) -> NewEvent {
        NewEvent(name: name, data: JSONValue.object(members.compactMapValues { $0 }).jsonText)
    }
}
