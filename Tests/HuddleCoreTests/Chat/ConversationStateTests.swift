import HuddleCore
import Testing

@Suite struct ConversationStateTests {
    @Test func aConversationStartsWithTheBotUnderTheNameTheCustomerChose() throws {
        let state = try ConversationState.started(as: "  Ada L. ")
        #expect(state.exists && state.offset == 1 && state.createdAt == 1_000)
        #expect(state.customer == "6f1c-ada" && state.customerName == "Ada L." && state.status == .bot)
        #expect(state.messages.isEmpty && state.lastMessage == nil && state.agent == nil && state.queuedSince == nil)
        #expect(try ConversationState.started().customerName == "Ada", "without a name, the identity's")
        #expect(try ConversationState.started(by: People.guest).customerName == "Zed k3")
    }

    @Test(arguments: ["", "   ", String(repeating: "n", count: 41), "tab\tname", "a" + String(repeating: "\u{301}", count: 200)])
    func aStartUnderANameOutsideTheRulesIsRefused(_ name: String) {
        #expect(throws: CommandRejection.badRequest("'customerName' is 1 to 40 characters (160 bytes), without control characters")) {
            try ConversationState.creation(customer: People.ada, customerName: name)
        }
    }

    @Test func theServerStartsNoConversation() {
        #expect(throws: CommandRejection(.forbidden, "the server does not start conversations")) {
            try ConversationState.creation(customer: People.bot)
        }
    }

    @Test func theStatusGoesFromTheBotToTheQueueToAgentsAndBackToTheBot() throws {
        var state = try ConversationState.started()
        try state.say("Hello")
        #expect(try state.run(.escalate, by: People.ada) == .escalated(by: "6f1c-ada", reason: .button))
        #expect(state.status == .queued(since: 3_000) && state.queuedSince == 3_000)

        #expect(try state.run(.claim, by: People.grace) == .claimed(agent: "a1-grace", agentName: "Grace"))
        #expect(state.status == .withAgent(ChatAgent(id: "a1-grace", name: "Grace")) && state.agent?.name == "Grace")
        #expect(state.queuedSince == nil)

        try state.run(.transfer(to: "a2-alan", toName: " Alan "), by: People.grace)
        #expect(state.agent == ChatAgent(id: "a2-alan", name: "Alan"))
        try state.run(.transfer(to: nil, toName: nil), by: People.alan)
        #expect(state.status == .queued(since: 6_000), "back in the queue, waiting since it was handed back")

        try state.run(.claim, by: People.grace)
        #expect(try state.run(.resolve, by: People.grace) == .resolved(by: "a1-grace"))
        #expect(state.status == .bot)

        // The customer may ask again, and an admin may move it without holding it.
        try state.run(.escalate, by: People.ada)
        try state.run(.claim, by: People.alan)
        try state.run(.transfer(to: "a1-grace", toName: nil), by: People.root)
        #expect(state.agent == ChatAgent(id: "a1-grace", name: "a1-grace"), "without a name, the id is shown")
        #expect(try state.run(.transfer(to: nil, toName: nil), by: People.root) == .transferred(from: "a1-grace", to: nil, toName: nil, by: "r1-root"))
        try state.run(.resolve, by: People.root)
        #expect(state.status == .bot && state.offset == 13)
    }

    @Test(arguments: ["escalate", "ESCALATE", "  Escalate\n", "\teScAlAtE  "])
    func theCustomersWordEscalateAsksForAPersonInsteadOfBeingPosted(_ text: String) throws {
        var state = try ConversationState.started()
        #expect(try state.say(text) == .escalated(by: "6f1c-ada", reason: .keyword))
        #expect(state.status == .queued(since: 2_000) && state.messages.isEmpty)
    }

    @Test func escalateIsAnOrdinaryMessageOnceAPersonIsComingOrHereOrWhenNotTheWholeText() throws {
        var state = try ConversationState.started()
        try state.say("please escalate")
        try state.say("escalate!")
        #expect(state.messages.map(\.text) == ["please escalate", "escalate!"] && state.status == .bot)
        try state.say("escalate")
        try state.say("Escalate", id: "again")
        #expect(state.status == .queued(since: 4_000) && state.lastMessage?.text == "Escalate")
        try state.run(.claim, by: People.grace)
        try state.say("escalate", id: "more")
        try state.say("escalate", by: People.grace, id: "agent")
        #expect(state.messages.map(\.id) == ["m2", "m3", "again", "more", "agent"] && state.agent?.id == "a1-grace")
    }

    @Test func theButtonAsksOnceUntilTheConversationIsBackWithTheBot() throws {
        var state = try ConversationState.started()
        try state.run(.escalate, by: People.ada)
        #expect(state.refusal(.escalate, by: People.ada) == CommandRejection(.alreadyEscalated, "you are already waiting for a person"))
        try state.run(.claim, by: People.grace)
        #expect(state.refusal(.escalate, by: People.ada) == CommandRejection(.alreadyEscalated, "Grace is with you"))
        try state.run(.resolve, by: People.grace)
        #expect(state.refusal(.escalate, by: People.ada) == nil)
    }

    @Test func messagesAreTrimmedKeepTheirLinesAndCarryTheirAuthorRoleTimeAndOffset() throws {
        var state = try ConversationState.started(as: "Ada L.")
        try state.say("  Hello\r\nthere\tfriend\r ", id: "hello")
        let hello = try #require(state.message("hello"))
        #expect(hello == ChatMessage(
            id: "hello", author: "6f1c-ada", authorName: "Ada L.", role: .customer, text: "Hello\nthere\tfriend", at: 2_000, offset: 2))
        try state.run(.escalate, by: People.ada)
        try state.run(.claim, by: People.grace)
        try state.say("Hi Ada, Grace here.", by: People.grace, id: "g1")
        #expect(state.lastMessage.map { [$0.author, $0.authorName, $0.role.rawValue] } == ["a1-grace", "Grace", "agent"])
        #expect(state.messages.count == 2)
    }

    @Test(arguments: [
        "", " \n\t ", "bell\u{7}", "nul\u{0}", "esc\u{1B}[31m", "c1\u{85}x",
        String(repeating: "x", count: 2_001),
        String(repeating: "🇪🇺", count: 1_001),  // 1,001 characters, 8,008 bytes
    ])
    func messagesOutsideTheRulesAreRefused(_ text: String) throws {
        let state = try ConversationState.withGrace()
        for (command, identity) in [
            (ConversationCommand.send(text: text, id: "m"), People.ada), (.send(text: text, id: "m"), People.grace),
            (.systemNote(id: "n", text: text, replyTo: nil), People.bot),
        ] {
            #expect(state.refusal(command, by: identity)?.code == .badRequest, "\(command)")
        }
    }

    @Test func messagesUpToTheLimitsAreWelcome() throws {
        var state = try ConversationState.started()
        try state.say(String(repeating: "é", count: 2_000), id: "long")
        try state.say(String(repeating: "🇪🇺", count: 1_000), id: "flags")  // 8,000 bytes
        #expect(state.messages.count == 2)
    }

    @Test func messageIdsAreUniqueAndWellFormed() throws {
        var state = try ConversationState.started()
        try state.say("one", id: "c-1")
        #expect(state.refusal(.send(text: "again", id: "c-1"), by: People.ada) == CommandRejection(.alreadyPosted, "there is already a message c-1 here"))
        #expect(state.refusal(.botReply(id: "c-1", replyTo: "c-1", text: "x", offersPerson: false), by: People.bot)?.code == .alreadyPosted)
        for id in ["", "with space", "slash/id", String(repeating: "i", count: 65)] {
            #expect(state.refusal(.send(text: "x", id: id), by: People.ada)?.code == .badRequest, "\(id)")
        }
    }

    @Test func aConversationTakesAThousandMessagesFromPeopleButStillEveryAnswer() throws {
        var state = try ConversationState.started()
        for index in 0..<ChatLimits.maxMessages { try state.say("message \(index)", id: "m\(index)") }
        #expect(state.refusal(.send(text: "one more", id: "late"), by: People.ada)
            == CommandRejection(.conversationFull, "this conversation holds 1000 messages; start a new one"))
        try state.answer("m999")
        try state.run(.systemNote(id: "n1", text: "Still here.", replyTo: "m998"), by: People.bot)
        #expect(state.messages.count == 1_002)
        try state.say("escalate", id: "e")
        #expect(state.status == .queued(since: state.offset * 1_000), "asking for a person is not a message")
    }

    @Test func presenceMarkersSayWhoJoinedAndLeftOnce() throws {
        var state = try ConversationState.withGrace()
        #expect(try state.run(.agentPresence(joined: true, agent: nil), by: People.grace) == .agentPresence(agent: "a1-grace", agentName: "Grace", joined: true))
        try state.run(.agentPresence(joined: true, agent: nil), by: People.root)
        #expect(state.agentsPresent.map(\.name) == ["Grace", "Root"])
        #expect(state.refusal(.agentPresence(joined: true, agent: nil), by: People.grace) == CommandRejection(.presenceUnchanged, "Grace has already joined"))
        #expect(state.refusal(.agentPresence(joined: false, agent: nil), by: People.alan) == CommandRejection(.presenceUnchanged, "Alan is not here"))
        // The server marks an agent gone when presence says their last connection went.
        try state.run(.agentPresence(joined: false, agent: ChatAgent(id: "a1-grace", name: "Grace")), by: People.bot)
        #expect(state.agentsPresent.map(\.name) == ["Root"])
        #expect(state.refusal(.agentPresence(joined: false, agent: nil), by: People.bot)?.code == .badRequest)
        #expect(state.refusal(.agentPresence(joined: true, agent: ChatAgent(id: "a1-grace", name: "\u{7}")), by: People.bot)?.code == .badRequest)
        #expect(state.agent?.id == "a1-grace", "markers do not change who holds it")
    }
}
