#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HuddleCore
import Testing

@Suite struct ConversationViewTests {
    func json(_ view: ConversationView) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(view)
        #expect(try JSONDecoder().decode(ConversationView.self, from: data) == view, "the HTTP body decodes as itself")
        return String(decoding: data, as: UTF8.self)
    }

    @Test func theViewIsWhatTheAgentConsoleAndTheCustomerPageShow() throws {
        var state = try ConversationState.started(as: "Ada L.")
        try state.say("Hi", id: "q1")
        try state.run(.botReply(id: "r1", replyTo: "q1", text: "Hello! How can I help?", offersPerson: false), by: People.bot)
        try state.say("Where is my parcel?", id: "q2")
        var view = try #require(ConversationView(id: "c1", state))
        #expect(view.status == .bot && view.queuedSince == nil && view.agent == nil && view.unanswered == ["q2"])
        #expect(view.messages.map(\.id) == ["q1", "r1", "q2"] && view.lastMessage?.id == "q2" && view.messageCount == 3)
        #expect(view.offset == 4 && view.createdAt == 1_000 && view.customer == "6f1c-ada" && view.customerName == "Ada L.")
        var text = try self.json(view)
        #expect(text.contains(#""status":"bot""#) && text.contains(#""unanswered":["q2"]"#) && !text.contains("queuedSince"))
        #expect(text.contains(#"{"at":3000,"author":"bot","authorName":"Assistant","id":"r1","offset":3,"replyTo":"q1","role":"bot","text":"Hello! How can I help?"}"#))

        try state.say("escalate")
        view = try #require(ConversationView(id: "c1", state, includingMessages: false))
        #expect(view.status == .queued && view.queuedSince == 5_000 && view.unanswered.isEmpty && state.status.name == "queued")
        #expect(view.messages.isEmpty && view.lastMessage?.id == "q2" && view.messageCount == 3, "a queue entry: the last message, no history")
        #expect(try self.json(view).contains(#""queuedSince":5000"#))

        try state.run(.claim, by: People.grace)
        try state.run(.agentPresence(joined: true, agent: nil), by: People.grace)
        view = try #require(ConversationView(id: "c1", state))
        text = try self.json(view)
        #expect(view.status == .withAgent && view.agent == ChatAgent(id: "a1-grace", name: "Grace") && view.agentsPresent == [ChatAgent(id: "a1-grace", name: "Grace")])
        #expect(text.contains(#""agent":{"id":"a1-grace","name":"Grace"}"#) && text.contains(#""status":"withAgent""#))
        #expect(ConversationView(id: "c1", ConversationState()) == nil)
    }
}

@Suite struct ConversationIndexTests {
    @Test func customersSeeTheirOwnConversationsAndAgentsAndAdminsAllNewestFirst() {
        var index = ConversationIndex()
        let listings = [("c1", People.ada.id), ("c2", People.guest.id), ("c3", People.ada.id), ("c1", People.ada.id)]
        for (offset, (id, customer)) in listings.enumerated() {
            index.apply(StoredEvent(ConversationIndex.listing(id: id, customer: customer), at: Int64(offset + 1), in: ConversationIndex.stream))
        }
        index.apply(StoredEvent(NewEvent(name: "somethingNewer", data: "{}"), at: 5, in: ConversationIndex.stream))
        index.apply(StoredEvent(NewEvent(name: "conversationListed", data: "[]"), at: 6, in: ConversationIndex.stream))
        #expect(index.offset == 6 && index.entries.count == 3, "an id listed again keeps its first entry")
        #expect(index.visible(to: People.ada).map(\.id) == ["c3", "c1"])
        #expect(index.visible(to: People.guest).map(\.id) == ["c2"] && index.visible(to: People.bo).isEmpty)
        #expect(index.visible(to: People.grace).map(\.id) == ["c3", "c2", "c1"] && index.visible(to: People.root).count == 3)
        #expect(ConversationIndex.stream == "chat-index")
    }
}
