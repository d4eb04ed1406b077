import HuddleCore
import HuddleGateway
@testable import HuddleServer
import Logging
import Testing

/// The bot's answering, as two replicas sharing one store do it.
@Suite struct ChatResponderTests {
    let store = InMemoryEventStore()
    let customer = Identity.guest(id: "guest-ada", name: "Ada")

    func replica() -> (StreamApp<ConversationState>, ChatResponder) {
        let app = StreamApp<ConversationState>(log: EventLog(store: self.store, broker: InProcessBroker()))
        let faq = try! FAQ.parse(json: #"[{"question": "How long does delivery take?", "answer": "Two to four days."}]"#)
        return (app, ChatResponder(app: app, assistant: .builtIn(ChatBot(faq: faq)), logger: Logger(label: "test")))
    }

    /// A conversation whose customer asked one question nobody answered yet.
    func asked(on app: StreamApp<ConversationState>) async throws -> ChannelName {
        let channel = app.channel("c1")!
        _ = try await app.start(channel, with: try ConversationState.creation(customer: self.customer))
        _ = try await app.run(.send(text: "How long does delivery take?", id: "m1"), on: channel, as: self.customer)
        return channel
    }

    @Test func twoReplicasAnsweringOneMessageWriteOneReply() async throws {
        let (one, first) = self.replica()
        let (two, second) = self.replica()
        let channel = try await self.asked(on: one)
        _ = try await two.state(of: channel)
        async let a: Void = first.answer(channel)
        async let b: Void = second.answer(channel)
        _ = await (a, b)
        let state = try await one.state(of: channel)
        let replies = state.messages.filter { $0.replyTo == "m1" }
        #expect(replies.count == 1 && replies.first?.role == .bot && replies.first?.text.contains("Two to four days") == true)
        #expect(state.unanswered.isEmpty)
    }

    @Test func aSweepAnswersWhatAnotherReplicaLeftAndLeavesFreshMessagesToItsReplica() async throws {
        let (app, responder) = self.replica()
        let channel = try await self.asked(on: app)
        let index = StateCache<ConversationIndex>(limit: 1)
        _ = try await app.log.append(ConversationIndex.listing(id: "c1", customer: self.customer.id), to: ConversationIndex.stream, expecting: .any)
        let storedAt = try await app.state(of: channel).messages[0].at

        let early = ChatSweeper(app: app, index: index, responder: responder, clock: { storedAt + 500 }, logger: Logger(label: "test"))
        await early.sweep()
        #expect(try await app.state(of: channel).unanswered.map(\.id) == ["m1"], "within the grace period it is the storing replica's")

        let late = ChatSweeper(app: app, index: index, responder: responder, clock: { storedAt + 1_500 }, logger: Logger(label: "test"))
        await late.sweep()
        #expect(try await app.state(of: channel).unanswered.isEmpty)
    }
}
