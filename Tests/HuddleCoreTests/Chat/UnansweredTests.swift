import HuddleCore
import Testing

/// "No customer message is left unanswered": what the bot owes, for any replica to find.
@Suite struct UnansweredTests {
    @Test func customerMessagesWaitUntilABotReplyOrASystemNoteAnswersThem() throws {
        var state = try ConversationState.started()
        try state.say("Hi", id: "q1")
        try state.say("Where is my parcel?", id: "q2")
        #expect(state.unanswered.map(\.id) == ["q1", "q2"], "oldest first")
        try state.answer("q2")
        #expect(state.unanswered.map(\.id) == ["q1"] && state.isAnswered("q2") && !state.isAnswered("q1"))
        try state.run(.systemNote(id: "n0", text: "We are updating our systems.", replyTo: nil), by: People.bot)
        #expect(state.unanswered.map(\.id) == ["q1"], "a note that answers nothing leaves the work where it was")
        try state.run(.systemNote(id: "n1", text: "The assistant is unavailable; you can ask for a person.", replyTo: "q1"), by: People.bot)
        #expect(state.unanswered.isEmpty && state.isAnswered("q1"))
    }

    @Test func aMessageIsAnsweredOnceAndOnlyIfItIsACustomerMessageTheBotOwes() throws {
        var state = try ConversationState.started()
        try state.say("Hi", id: "q1")
        try state.answer("q1")
        let again = ConversationCommand.botReply(id: "r2", replyTo: "q1", text: "Hello again", offersPerson: false)
        #expect(state.refusal(again, by: People.bot) == CommandRejection(.alreadyAnswered, "message q1 has been answered"))
        #expect(state.refusal(.systemNote(id: "n", text: "x", replyTo: "q1"), by: People.bot)?.code == .alreadyAnswered)
        for replyTo in ["nope", "r-q1"] {  // no such message; the bot's own reply
            #expect(state.refusal(.botReply(id: "r3", replyTo: replyTo, text: "x", offersPerson: false), by: People.bot)
                == CommandRejection(.notFound, "there is no customer message \(replyTo) in this conversation"))
        }
    }

    @Test func askingForAPersonHandsWhatTheBotOwedToTheAgent() throws {
        var state = try ConversationState.started()
        try state.say("My parcel is late", id: "q1")
        try state.run(.escalate, by: People.ada)
        #expect(state.unanswered.isEmpty)
        #expect(state.refusal(.botReply(id: "r", replyTo: "q1", text: "x", offersPerson: false), by: People.bot)
            == CommandRejection(.notWithBot, "message q1 is for a person to answer: the customer asked for one"))
        try state.say("Hello? Anyone?", id: "q2")
        try state.run(.claim, by: People.grace)
        try state.say("Still waiting", id: "q3")
        #expect(state.unanswered.isEmpty, "what is said to the queue or an agent is for people")
        try state.run(.resolve, by: People.grace)
        #expect(state.unanswered.isEmpty, "old questions are not answered out of the blue after a resolve")
        try state.say("Thanks! One more thing", id: "q4")
        #expect(state.unanswered.map(\.id) == ["q4"])
    }

    @Test func escalatingByKeywordLeavesNothingForTheBot() throws {
        var state = try ConversationState.started()
        try state.say("I need help", id: "q1")
        try state.say(" ESCALATE ", id: "e")
        #expect(state.unanswered.isEmpty && state.message("e") == nil && state.queuedSince != nil)
    }
}
