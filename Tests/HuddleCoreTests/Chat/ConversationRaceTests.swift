import HuddleCore
import Testing

/// Two replicas deciding against one state, as the stream app does: decide, append expecting
/// the state's offset; the loser's append conflicts, it catches up, decides again and is refused.
@Suite struct ConversationRaceTests {
    let store: any EventStore = InMemoryEventStore(clock: { 0 })
    let stream = "chat:c1"

    func state() async throws -> ConversationState {
        var state = ConversationState()
        for event in try await self.store.read(self.stream, after: 0, limit: 1_000) { state.apply(event) }
        return state
    }

    /// Starts the conversation and runs `steps` one after another.
    func start(_ steps: [(ConversationCommand, Identity)]) async throws {
        _ = try await self.store.append(try ConversationState.creation(customer: People.ada), to: self.stream, expecting: .exactly(0))
        for (command, identity) in steps {
            let state = try await self.state()
            _ = try await self.store.append(try state.decide(command, by: identity).stored, to: self.stream, expecting: .exactly(state.offset))
        }
    }

    /// Both contenders decide against one state and both are allowed; only the first append
    /// lands, and the second, decided again against the newer state, is refused with `code`.
    func race(_ contenders: [(ConversationCommand, Identity)], loserIsTold expected: CommandRejection) async throws {
        let before = try await self.state()
        let first = try before.decide(contenders[0].0, by: contenders[0].1).stored
        let second = try before.decide(contenders[1].0, by: contenders[1].1).stored
        _ = try await self.store.append(first, to: self.stream, expecting: .exactly(before.offset))
        await #expect(throws: EventStoreError.conflict(stream: self.stream, expected: before.offset, actual: before.offset + 1)) {
            try await self.store.append(second, to: self.stream, expecting: .exactly(before.offset))
        }
        let after = try await self.state()
        #expect(after.refusal(contenders[1].0, by: contenders[1].1) == expected)
    }

    @Test func twoAgentsClaimingAtOnceOneWinsAndTheOtherIsToldWho() async throws {
        try await self.start([(.escalate, People.ada)])
        try await self.race([(.claim, People.grace), (.claim, People.alan)],
            loserIsTold: CommandRejection(.alreadyClaimed, "Grace has already claimed this conversation"))
        #expect(try await self.state().agent?.id == "a1-grace")
    }

    @Test func twoReplicasAnsweringOneMessageOneReplyIsStored() async throws {
        try await self.start([(.send(text: "Where is my parcel?", id: "q1"), People.ada)])
        try await self.race([
            (.botReply(id: "replica-a", replyTo: "q1", text: "Answer A", offersPerson: false), People.bot),
            (.botReply(id: "replica-b", replyTo: "q1", text: "Answer B", offersPerson: false), People.bot),
        ], loserIsTold: CommandRejection(.alreadyAnswered, "message q1 has been answered"))
        let state = try await self.state()
        #expect(state.messages.filter { $0.replyTo == "q1" }.map(\.text) == ["Answer A"] && state.unanswered.isEmpty)
    }

    @Test func aBotReplyRacingTheCustomersEscalationIsNotPosted() async throws {
        try await self.start([(.send(text: "Hello", id: "q1"), People.ada)])
        try await self.race([
            (.escalate, People.ada), (.botReply(id: "r", replyTo: "q1", text: "Hi!", offersPerson: false), People.bot),
        ], loserIsTold: CommandRejection(.notWithBot, "message q1 is for a person to answer: the customer asked for one"))
    }

    @Test func aReplyRacingATransferIsRefusedToTheAgentWhoLetGo() async throws {
        try await self.start([(.escalate, People.ada), (.claim, People.grace)])
        try await self.race([
            (.transfer(to: "a2-alan", toName: "Alan"), People.grace), (.send(text: "One moment", id: "g1"), People.grace),
        ], loserIsTold: CommandRejection(.forbidden, "Alan holds this conversation; only they reply"))
    }

    @Test func twoReplicasMarkingOneAgentGoneOneMarkerIsStored() async throws {
        try await self.start([(.agentPresence(joined: true, agent: nil), People.grace)])
        let gone = ConversationCommand.agentPresence(joined: false, agent: ChatAgent(id: "a1-grace", name: "Grace"))
        try await self.race([(gone, People.bot), (gone, People.bot)], loserIsTold: CommandRejection(.presenceUnchanged, "Grace is not here"))
    }
}
