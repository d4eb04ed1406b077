#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HuddleCore
import Testing

@Suite struct ConversationEventTests {
    static let events: [ConversationEvent] = [
        .started(customer: "guest-1", customerName: "Zoë \"Z\" O'Brien\\"),
        .messagePosted(id: "m1", author: "guest-1", authorName: "Zoë", role: .customer, text: "Line one\nline\ttwo \u{2028} </script>", replyTo: nil, offersPerson: false),
        .messagePosted(id: "r1", author: "bot", authorName: "Assistant", role: .bot, text: "I don't know.", replyTo: "m1", offersPerson: true),
        .messagePosted(id: "n1", author: "system", authorName: "Huddle", role: .system, text: "Unavailable", replyTo: "m1", offersPerson: false),
        .escalated(by: "guest-1", reason: .keyword),
        .escalated(by: "guest-1", reason: .button),
        .claimed(agent: "a1", agentName: "Grace"),
        .transferred(from: "a1", to: "a2", toName: "Alan", by: "a1"),
        .transferred(from: "a2", to: "a3", toName: nil, by: "root"),
        .transferred(from: "a3", to: nil, toName: nil, by: "a3"),
        .resolved(by: "a1"),
        .agentPresence(agent: "a1", agentName: "Grace", joined: true),
        .agentPresence(agent: "a1", agentName: "Grace", joined: false),
    ]

    @Test(arguments: Self.events)
    func eventsRoundTripThroughTheirStoredJSON(_ event: ConversationEvent) throws {
        let stored = event.stored
        #expect(ConversationEvent(name: stored.name, data: stored.data) == event)
        _ = try JSONDecoder().decode(JSONValue.self, from: Data(stored.data.utf8))
    }

    @Test func theStoredFormIsStable() {
        let stored = Self.events.map(\.stored)
        #expect(stored.map(\.name) == [
            "conversationStarted", "messagePosted", "messagePosted", "messagePosted", "escalated", "escalated", "claimed",
            "transferred", "transferred", "transferred", "resolved", "agentPresence", "agentPresence",
        ])
        #expect(stored[2].data == #"{"author":"bot","authorName":"Assistant","id":"r1","offersPerson":true,"replyTo":"m1","role":"bot","text":"I don't know."}"#)
        #expect(ConversationEvent.messagePosted(id: "m", author: "u", authorName: "U", role: .agent, text: "t", replyTo: nil, offersPerson: false).stored.data
            == #"{"author":"u","authorName":"U","id":"m","role":"agent","text":"t"}"#)
        #expect(stored[4].data == #"{"by":"guest-1","reason":"keyword"}"#)
        #expect(stored[9].data == #"{"by":"a3","from":"a3"}"#)
        #expect(stored[11].data == #"{"agent":"a1","agentName":"Grace","joined":true}"#)
    }

    @Test func unknownMalformedOrContradictoryEventsAreSkippedButMoveTheOffset() throws {
        var state = ConversationState()
        state.apply(StoredEvent(Self.events[1].stored, at: 1, in: "chat:c1"))
        #expect(state.messages.isEmpty && !state.exists, "nothing happens before the conversation starts")
        state.apply(StoredEvent(Self.events[0].stored, at: 2, in: "chat:c1"))
        let unreadable = [
            NewEvent(name: "conversationArchived", data: "{}"),
            NewEvent(name: "messagePosted", data: "not json"),
            NewEvent(name: "messagePosted", data: #"{"id":"m1","author":"a","authorName":"A","role":"robot","text":"t"}"#),
            NewEvent(name: "messagePosted", data: #"{"id":"m1","author":"a","authorName":"A","role":"bot","text":"t","replyTo":7}"#),
            NewEvent(name: "messagePosted", data: #"{"id":"m1","author":"a","authorName":"A","role":"bot","text":"t","offersPerson":"yes"}"#),
            NewEvent(name: "escalated", data: #"{"by":"guest-1","reason":"shouting"}"#),
            NewEvent(name: "transferred", data: #"{"from":"a1","by":"a1","to":1}"#),
            NewEvent(name: "agentPresence", data: #"{"agent":"a1","agentName":"Grace","joined":"yes"}"#),
        ]
        let contradictory = [
            ConversationEvent.started(customer: "mallory", customerName: "M"),
            .claimed(agent: "a1", agentName: "Grace"),  // nobody asked for a person
            .transferred(from: "a1", to: nil, toName: nil, by: "a1"),
            .resolved(by: "a1"),
        ].map(\.stored)
        for (index, event) in (unreadable + contradictory).enumerated() { state.apply(StoredEvent(event, at: Int64(3 + index), in: "chat:c1")) }
        #expect(state.offset == Int64(2 + unreadable.count + contradictory.count))
        #expect(state.customer == "guest-1" && state.status == .bot && state.messages.isEmpty)
        for event in unreadable { #expect(ConversationEvent(name: event.name, data: event.data) == nil, "\(event)") }

        // A message id posted twice keeps its first message.
        state.apply(StoredEvent(Self.events[1].stored, at: 20, in: "chat:c1"))
        state.apply(StoredEvent(Self.events[1].stored, at: 21, in: "chat:c1"))
        #expect(state.messages.count == 1 && state.messages[0].offset == 20 && state.offset == 21)
    }

    @Test func aFoldOfTheStoredEventsIsTheStateTheDecisionsBuilt() throws {
        var state = try ConversationState.started()
        var history = [NewEvent]()
        func run(_ command: ConversationCommand, by identity: Identity) throws {
            history.append(try state.run(command, by: identity).stored)
        }
        try run(.send(text: "Hi, I'm Ada", id: "q1"), by: People.ada)
        try run(.botReply(id: "r1", replyTo: "q1", text: "Hello Ada!", offersPerson: false), by: People.bot)
        try run(.send(text: "escalate", id: "q2"), by: People.ada)
        try run(.claim, by: People.grace)
        try run(.agentPresence(joined: true, agent: nil), by: People.grace)
        try run(.send(text: "Grace here", id: "g1"), by: People.grace)
        try run(.transfer(to: "a2-alan", toName: "Alan"), by: People.grace)
        try run(.resolve, by: People.alan)
        try run(.send(text: "Thanks", id: "q3"), by: People.ada)

        var replayed = try ConversationState.started()
        for (index, event) in history.enumerated() {
            replayed.apply(StoredEvent(event, at: Int64(index + 2), in: "chat:c1", recordedAt: Int64(index + 2) * 1_000))
        }
        #expect(replayed == state)
        #expect(replayed.unanswered.map(\.id) == ["q3"] && replayed.agentsPresent.map(\.id) == ["a1-grace"])
    }
}
