import HuddleCore
import Testing

/// Everyone who comes near a conversation in these tests.
enum People {
    /// The customer of every conversation here, a signed-in user.
    static let ada = Identity(id: "6f1c-ada", name: "Ada", role: .user, username: "ada")
    /// Another customer, also signed in.
    static let bo = Identity(id: "9a2e-bo", name: "Bo", role: .user, username: "bo")
    static let guest = Identity.guest(id: "guest-zed", name: "Zed k3")
    static let grace = Identity(id: "a1-grace", name: "Grace", role: .agent, username: "grace")
    static let alan = Identity(id: "a2-alan", name: "Alan", role: .agent, username: "alan")
    static let root = Identity(id: "r1-root", name: "Root", role: .admin, username: "root")
    static let bot = Identity.chatServer
}

extension ConversationState {
    /// A conversation `customer` started as `name`, at offset 1 (recorded at 1,000 ms).
    static func started(by customer: Identity = People.ada, as name: String? = nil) throws -> ConversationState {
        var state = ConversationState()
        state.apply(StoredEvent(try ConversationState.creation(customer: customer, customerName: name), at: 1, in: "chat:c1", recordedAt: 1_000))
        return state
    }

    /// Decides `command` and folds its event in as the store would record it: offset n at n
    /// seconds, so times in these tests are predictable.
    @discardableResult
    mutating func run(_ command: ConversationCommand, by identity: Identity) throws -> ConversationEvent {
        let event = try self.decide(command, by: identity)
        let offset = self.offset + 1
        self.apply(StoredEvent(event.stored, at: offset, in: "chat:c1", recordedAt: offset * 1_000))
        return event
    }

    /// `identity` sends `text` as message `id` (or `m` and the next offset).
    @discardableResult
    mutating func say(_ text: String, by identity: Identity = People.ada, id: String? = nil) throws -> ConversationEvent {
        try self.run(.send(text: text, id: id ?? "m\(self.offset + 1)"), by: identity)
    }

    /// The bot answers message `replyTo`.
    mutating func answer(_ replyTo: String, _ text: String = "Here is what I know.") throws {
        try self.run(.botReply(id: "r-\(replyTo)", replyTo: replyTo, text: text, offersPerson: false), by: People.bot)
    }

    /// Why `command` is refused to `identity`, or nil when it is not.
    func refusal(_ command: ConversationCommand, by identity: Identity) -> CommandRejection? {
        do {
            _ = try self.decide(command, by: identity)
            return nil
        } catch {
            return error
        }
    }

    /// A conversation Grace holds: Ada asked for a person, Grace claimed it.
    static func withGrace() throws -> ConversationState {
        var state = try ConversationState.started()
        try state.run(.escalate, by: People.ada)
        try state.run(.claim, by: People.grace)
        return state
    }
}
