import HuddleCore
import Testing

@Suite struct ConversationCommandTests {
    func parse(_ name: String, _ data: JSONValue = .null) throws(CommandRejection) -> ConversationCommand {
        try ConversationCommand.parse(name: name, data: data, newID: { "fresh" })
    }

    @Test func commandsAreReadFromRealtimeFrames() throws {
        #expect(try self.parse("send", .object(["text": .string("Hi")])) == .send(text: "Hi", id: "fresh"))
        #expect(try self.parse("send", .object(["text": .string("Hi"), "id": .string("c-9.x_Y")])) == .send(text: "Hi", id: "c-9.x_Y"))
        #expect(try self.parse("send", .object(["text": .string("Hi"), "id": .null])) == .send(text: "Hi", id: "fresh"))
        #expect(try self.parse("escalate") == .escalate && self.parse("claim", .object([:])) == .claim && self.parse("resolve") == .resolve)
        #expect(try self.parse("transfer") == .transfer(to: nil, toName: nil))
        #expect(try self.parse("transfer", .object(["to": .string("a2"), "toName": .string("Alan")])) == .transfer(to: "a2", toName: "Alan"))
        #expect(try self.parse("botReply", .object(["replyTo": .string("q1"), "text": .string("Hello")])) == .botReply(id: "fresh", replyTo: "q1", text: "Hello", offersPerson: false))
        #expect(try self.parse("botReply", .object(["replyTo": .string("q1"), "text": .string("?"), "offersPerson": .bool(true), "id": .string("r1")])) == .botReply(id: "r1", replyTo: "q1", text: "?", offersPerson: true))
        #expect(try self.parse("systemNote", .object(["text": .string("Down")])) == .systemNote(id: "fresh", text: "Down", replyTo: nil))
        #expect(try self.parse("systemNote", .object(["text": .string("Down"), "replyTo": .string("q1")])) == .systemNote(id: "fresh", text: "Down", replyTo: "q1"))
        #expect(try self.parse("agentPresence", .object(["joined": .bool(false)])) == .agentPresence(joined: false, agent: nil))
        #expect(try self.parse("agentPresence", .object(["joined": .bool(true), "agent": .string("a1"), "agentName": .string("Grace")]))
            == .agentPresence(joined: true, agent: ChatAgent(id: "a1", name: "Grace")))
        // The model names messages with fresh random ids.
        guard case .send(_, let id) = try ConversationState.parse(command: "send", data: .object(["text": .string("Hi")])) else {
            Issue.record("not a send")
            return
        }
        #expect(ChatLimits.isValidMessageID(id))
    }

    @Test(arguments: [
        ("send", JSONValue.null, "send needs a string 'text'"),
        ("send", .object(["text": .integer(5)]), "send needs a string 'text'"),
        ("send", .object(["text": .string("x"), "id": .integer(5)]), "send's 'id' must be a string"),
        ("send", .object(["text": .string("x"), "id": .string("no spaces")]), "a message id is 1 to 64 of A-Z a-z 0-9 _ . -"),
        ("transfer", .object(["to": .bool(true)]), "transfer's 'to' must be a string"),
        ("transfer", .object(["to": .string("a2"), "toName": .integer(3)]), "transfer's 'toName' must be a string"),
        ("botReply", .object(["text": .string("x")]), "botReply needs a string 'replyTo'"),
        ("botReply", .object(["replyTo": .string("q1"), "text": .string("x"), "offersPerson": .string("yes")]), "botReply's 'offersPerson' must be true or false"),
        ("systemNote", .object(["text": .string("x"), "replyTo": .array([.string("q1")])]), "systemNote's 'replyTo' must be a string"),
        ("agentPresence", .object([:]), "agentPresence needs true or false 'joined'"),
        ("agentPresence", .object(["joined": .bool(true), "agent": .string("a1")]), "agentPresence names an agent with both 'agent' and 'agentName', or neither"),
    ] as [(String, JSONValue, String)])
    func malformedCommandsAreBadRequests(_ name: String, _ data: JSONValue, _ message: String) {
        #expect(throws: CommandRejection.badRequest(message)) { try self.parse(name, data) }
    }

    @Test func unknownCommandsAreNamed() {
        #expect(throws: CommandRejection.unknownCommand("typing", kind: "chat")) { try ConversationState.parse(command: "typing", data: .null) }
    }

    @Test func everyRefusalCarriesItsStatus() {
        let codes: [(RejectionCode, String)] = [
            (.alreadyClaimed, "already_claimed"), (.alreadyAnswered, "already_answered"), (.alreadyEscalated, "already_escalated"),
            (.alreadyPosted, "already_posted"), (.notQueued, "not_queued"), (.notClaimed, "not_claimed"),
            (.notEscalated, "not_escalated"), (.notWithBot, "not_with_bot"), (.presenceUnchanged, "presence_unchanged"),
            (.conversationFull, "conversation_full"),
        ]
        for (code, raw) in codes {
            #expect(code.rawValue == raw && code.httpStatus == 409 && !code.isClientMistake)
        }
    }
}
