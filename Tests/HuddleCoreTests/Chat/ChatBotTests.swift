import HuddleCore
import Testing

@Suite struct ChatBotTests {
    static let bot = ChatBot(faq: try! FAQ(entries: [
        FAQ.Entry(question: "Where is my order?", keywords: ["track", "parcel", "arrive"],
            answer: "[Order #{order} is on its way|Your order is on its way][, {name}]."),
        FAQ.Entry(question: "How do I return an item?", keywords: ["send back"], answer: "Within 30 days."),
        FAQ.Entry(question: "Can I talk to a person?", keywords: ["human", "agent"], answer: "Type escalate.", offersPerson: true),
    ]))

    /// The customer's messages, with the bot's answer after each one but the last.
    func conversation(_ texts: [String]) -> [ChatMessage] {
        texts.enumerated().flatMap { index, text in
            let asked = ChatMessage(id: "q\(index)", author: "u", authorName: "Ada", role: .customer, text: text, at: 0, offset: Int64(2 * index + 2))
            let answered = ChatMessage(id: "r\(index)", author: "bot", authorName: "Assistant", role: .bot, text: "…", replyTo: asked.id, at: 0, offset: Int64(2 * index + 3))
            return index == texts.count - 1 ? [asked] : [asked, answered]
        }
    }

    func reply(_ texts: String..., customerName: String? = nil) -> BotAnswer {
        Self.bot.reply(to: self.conversation(texts), customerName: customerName)
    }

    @Test func itAnswersFromTheFAQ() {
        let answer = self.reply("where's my parcel?")
        #expect(answer == BotAnswer(text: "Your order is on its way.", offersPerson: false, matchedQuestion: "Where is my order?"))
        #expect(self.reply("Can I speak to a human?") == BotAnswer(text: "Type escalate.", offersPerson: true, matchedQuestion: "Can I talk to a person?"))
    }

    @Test func whenItDoesNotKnowItSaysSoPlainlyAndOffersAPerson() {
        let answer = self.reply("What is the meaning of life?")
        #expect(answer.offersPerson && answer.matchedQuestion == nil)
        #expect(answer.text == "Sorry, I don't know the answer to that. Shall I get you a person? Type escalate or press “Ask for a person”.")
        #expect(self.reply("My name is Ada", "Can you juggle?").text.hasPrefix("Sorry, Ada, I don't know"))
        #expect(self.reply("ok").offersPerson, "nothing to go on")
    }

    @Test func itRemembersTheCustomersNameAndGreetsByIt() {
        #expect(self.reply("My name is Ada") == BotAnswer(text: "Nice to meet you, Ada! How can I help you today?"))
        #expect(self.reply("Hi, I'm Ada", "where is my parcel").text == "Your order is on its way, Ada.")
        #expect(self.reply("call me Ada", "do you remember my name?").text == "Your name is Ada.")
        #expect(self.reply("i'm ada", "What's my name?").text == "Your name is Ada.")
        #expect(self.reply("What is my name?").text == "You haven't told me your name yet. What should I call you?")
        #expect(self.reply("Who am I?", customerName: "Ada L.").text == "You started this chat as Ada L.")
        #expect(self.reply("hello", customerName: "Ada").text.hasPrefix("Hello Ada! I'm the assistant"))
        #expect(self.reply("thanks!", customerName: "Ada").text == "You're welcome, Ada! Is there anything else I can help you with?")
        #expect(self.reply("Thank you so much").text == "You're welcome! Is there anything else I can help you with?")
    }

    @Test func aNameGivenWithAQuestionIsGreetedAndLeftOutOfTheMatch() {
        #expect(self.reply("Hi, my name is Parcel and I want to return an item").text == "Nice to meet you, Parcel! Within 30 days.")
    }

    @Test func itsFirstReplyGreetsTheNameTheConversationStartedWith() {
        #expect(self.reply("how do I send back a jacket?", customerName: "Ada").text == "Hi Ada! Within 30 days.")
        #expect(self.reply("hello", "how do I send back a jacket?", customerName: "Ada").text == "Within 30 days.", "only the first time")
    }

    @Test func itRemembersTheOrderNumberAndUsesIt() {
        #expect(self.reply("my order number is 12345") == BotAnswer(text: "I've noted your order number, 12345. What would you like to know about it?"))
        #expect(self.reply("I'm Ada, order #A-1234").text == "Nice to meet you, Ada! I've noted your order number, A-1234. What would you like to know about it?")
        #expect(self.reply("Order 12345 please", "when will it arrive?").text == "Order #12345 is on its way.")
        #expect(self.reply("Order 12345", "What is my order number?").text == "Your order number is 12345.")
        #expect(self.reply("Do you remember my order number?").text == "You haven't told me an order number yet. What is it? (For example: order 12345.)")
        #expect(self.reply("My name is Ada, order 777", "hello", "do you remember my name and my order number?").text
            == "Your name is Ada. Your order number is 777.")
        #expect(self.reply("Where is order #A-1234?").text == "Order #A-1234 is on its way.", "a number asked about is used at once")
    }

    @Test func itAnswersAMessageWithWhatWasSaidUpToItNotAfter() throws {
        var state = try ConversationState.started(as: "Ada L.")
        try state.say("where is my parcel?", id: "q1")
        try state.say("My name is Augusta, order 4242", id: "q2")
        let first = try #require(state.message("q1"))
        #expect(Self.bot.reply(to: first, in: state).text == "Hi Ada L.! Your order is on its way, Ada L.")
        let second = try #require(state.message("q2"))
        #expect(Self.bot.reply(to: second, in: state).text.hasPrefix("Nice to meet you, Augusta!"))

        // What the server does with each unanswered message.
        let answer = Self.bot.reply(to: first, in: state)
        try state.run(answer.command(replyingTo: "q1", id: "r1"), by: .chatServer)
        #expect(state.unanswered.map(\.id) == ["q2"] && state.message("r1")?.text == answer.text)
    }

    @Test func anAnswerNeverOutgrowsAMessage() throws {
        // 1,500 characters of template that fill to more than 2,000.
        let names = "[" + String(repeating: "{name}", count: 20) + "]"
        let long = String(repeating: "é", count: FAQ.answerLength - names.count) + names
        let bot = ChatBot(faq: try FAQ(entries: [FAQ.Entry(question: "Refunds?", answer: long)]))
        let name = String(repeating: "N", count: 30)
        let answer = bot.reply(to: self.conversation(["My name is \(name), what about refunds?"]))
        #expect(answer.text.count == ChatLimits.textLength && ChatLimits.checkedText(answer.text) != nil)
    }
}
