import HuddleCore
import Testing

/// Who may do what: the customer, another customer, a guest, agents, an admin and the server.
@Suite struct ConversationAccessTests {
    static let outsiders = [People.bo, People.guest, Identity.guest(id: "guest-6f1c-ada", name: "Ada")]

    @Test func onlyTheCustomerAgentsAdminsAndTheServerAreAdmitted() throws {
        let state = try ConversationState.started()
        for identity in [People.ada, People.grace, People.alan, People.root, People.bot] { try state.admit(identity) }
        for identity in Self.outsiders {
            #expect(throws: CommandRejection(.forbidden, "this conversation is another customer's")) { try state.admit(identity) }
        }
        #expect(throws: CommandRejection(.notFound, "there is no such conversation")) { try ConversationState().admit(People.ada) }
    }

    @Test func outsidersAreRefusedEveryCommandAndANonExistentConversationEveryone() throws {
        let commands: [ConversationCommand] = [
            .send(text: "hi", id: "x"), .escalate, .claim, .transfer(to: nil, toName: nil), .resolve,
            .botReply(id: "r", replyTo: "m2", text: "x", offersPerson: false), .systemNote(id: "n", text: "x", replyTo: nil),
            .agentPresence(joined: true, agent: nil),
        ]
        var state = try ConversationState.started()
        try state.say("hi")
        for command in commands {
            for identity in Self.outsiders {
                #expect(state.refusal(command, by: identity) == CommandRejection(.forbidden, "this conversation is another customer's"))
            }
            for identity in [People.ada, People.grace, People.root, People.bot] {
                #expect(ConversationState().refusal(command, by: identity) == CommandRejection(.notFound, "there is no such conversation"))
            }
        }
    }

    @Test func onlyTheCustomerAndTheHoldingAgentWrite() throws {
        var state = try ConversationState.started()
        let send = ConversationCommand.send(text: "hello", id: "x")
        #expect(state.refusal(send, by: People.grace) == CommandRejection(.forbidden, "claim this conversation before replying"))
        #expect(state.refusal(send, by: People.root) == CommandRejection(.forbidden, "only the customer and the agent holding this conversation write in it"))
        #expect(state.refusal(send, by: People.bot)?.code == .forbidden, "the bot answers with botReply")
        try state.run(.escalate, by: People.ada)
        try state.run(.claim, by: People.grace)
        #expect(state.refusal(send, by: People.alan) == CommandRejection(.forbidden, "Grace holds this conversation; only they reply"))
        #expect(state.refusal(send, by: People.ada) == nil && state.refusal(send, by: People.grace) == nil)
    }

    @Test func onlyTheCustomerEscalatesAndOnlyAgentsClaimAQueuedConversation() throws {
        var state = try ConversationState.started()
        for identity in [People.grace, People.root, People.bot] {
            #expect(state.refusal(.escalate, by: identity) == CommandRejection(.forbidden, "only the customer asks for a person"))
        }
        #expect(state.refusal(.claim, by: People.grace) == CommandRejection(.notQueued, "nobody is waiting for a person in this conversation"))
        try state.run(.escalate, by: People.ada)
        for identity in [People.ada, People.root, People.bot] {
            #expect(state.refusal(.claim, by: identity) == CommandRejection(.forbidden, "only agents claim conversations"))
        }
        try state.run(.claim, by: People.grace)
        #expect(state.refusal(.claim, by: People.alan) == CommandRejection(.alreadyClaimed, "Grace has already claimed this conversation"))
        #expect(state.refusal(.claim, by: People.grace) == CommandRejection(.alreadyClaimed, "you have already claimed this conversation"))
    }

    @Test func theHolderOrAnAdminTransfersAndResolves() throws {
        let held = try ConversationState.withGrace()
        for command in [ConversationCommand.transfer(to: nil, toName: nil), .resolve] {
            let verb = command == .resolve ? "resolve" : "transfer"
            #expect(held.refusal(command, by: People.alan) == CommandRejection(.forbidden, "Grace holds this conversation; only they or an admin may \(verb) it"))
            for identity in [People.ada, People.bot] {
                #expect(held.refusal(command, by: identity) == CommandRejection(.forbidden, "only the agent holding this conversation, or an admin, may \(verb) it"))
            }
            #expect(held.refusal(command, by: People.grace) == nil && held.refusal(command, by: People.root) == nil)
        }

        var queued = try ConversationState.started()
        #expect(queued.refusal(.resolve, by: People.grace) == CommandRejection(.notEscalated, "the bot already has this conversation"))
        #expect(queued.refusal(.resolve, by: People.root)?.code == .notEscalated)
        #expect(queued.refusal(.transfer(to: nil, toName: nil), by: People.root) == CommandRejection(.notClaimed, "no agent holds this conversation"))
        try queued.run(.escalate, by: People.ada)
        #expect(queued.refusal(.resolve, by: People.grace) == CommandRejection(.notClaimed, "no agent holds this conversation"), "claim it first")
        #expect(queued.refusal(.transfer(to: "a2-alan", toName: "Alan"), by: People.root)?.code == .notClaimed)
        #expect(queued.refusal(.resolve, by: People.root) == nil, "an admin clears a queued conversation whose customer left")
    }

    @Test func aTransferGoesToAnotherAgentsIdUnderAName() throws {
        let held = try ConversationState.withGrace()
        #expect(held.refusal(.transfer(to: "a1-grace", toName: nil), by: People.grace) == CommandRejection.badRequest("Grace already holds this conversation"))
        for to in ["", "has space", "6f1c-ada", "bot"] {
            #expect(held.refusal(.transfer(to: to, toName: nil), by: People.grace) == CommandRejection.badRequest("transfer's 'to' must be an agent's identity id"), "\(to)")
        }
        #expect(held.refusal(.transfer(to: "a2-alan", toName: "\u{0}"), by: People.grace)?.code == .badRequest)
    }

    @Test func onlyTheServerRepliesAsTheBotOrPostsNotes() throws {
        var state = try ConversationState.started()
        try state.say("Where is my parcel?", id: "q")
        for identity in [People.ada, People.grace, People.root] {
            #expect(state.refusal(.botReply(id: "r", replyTo: "q", text: "x", offersPerson: false), by: identity) == CommandRejection(.forbidden, "only the server's bot replies as the bot"))
            #expect(state.refusal(.systemNote(id: "n", text: "x", replyTo: nil), by: identity) == CommandRejection(.forbidden, "only the server posts system notes"))
        }
        let impostor = Identity.guest(id: "guest-bot", name: "bot")
        #expect(state.refusal(.botReply(id: "r", replyTo: "q", text: "x", offersPerson: false), by: impostor)?.code == .forbidden)
        // The server's bot may carry another name; it is known by its id.
        let named = Identity(id: "bot", name: "Penny", role: nil, username: nil)
        try state.run(.botReply(id: "r", replyTo: "q", text: "On its way.", offersPerson: true), by: named)
        #expect(state.lastMessage.map { [$0.author, $0.authorName, $0.role.rawValue, $0.replyTo] } == ["bot", "Penny", "bot", "q"])
        #expect(state.lastMessage?.offersPerson == true)
        try state.run(.systemNote(id: "n", text: "Maintenance tonight.", replyTo: nil), by: People.bot)
        #expect(state.lastMessage.map { [$0.author, $0.authorName, $0.role.rawValue] } == ["system", "Huddle", "system"])
    }

    @Test func onlyAgentsAndAdminsMarkTheirOwnPresence() throws {
        let state = try ConversationState.started()
        #expect(state.refusal(.agentPresence(joined: true, agent: nil), by: People.ada) == CommandRejection(.forbidden, "only agents join and leave conversations"))
        #expect(state.refusal(.agentPresence(joined: true, agent: ChatAgent(id: "a2-alan", name: "Alan")), by: People.grace)
            == CommandRejection(.forbidden, "an agent marks only their own presence"))
        #expect(state.refusal(.agentPresence(joined: true, agent: ChatAgent(id: "a1-grace", name: "Grace")), by: People.grace) == nil)
    }
}
