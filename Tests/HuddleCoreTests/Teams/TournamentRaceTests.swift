import HuddleCore
import Testing

/// Two replicas deciding against the same state, as the stream app does: decide, append
/// expecting the state's offset; the loser's append conflicts, it catches up, decides again and
/// is refused.
@Suite struct TournamentRaceTests {
    let store: any EventStore = InMemoryEventStore(clock: { 0 })
    let stream = "tournament:t1"

    func fold<Fold: StreamFold>(_ stream: String) async throws -> Fold {
        var state = Fold()
        for event in try await self.store.read(stream, after: 0, limit: 1_000) { state.apply(event) }
        return state
    }

    /// Both decisions are made against one state and both are allowed; only the first append
    /// lands, and the second, decided again, is refused with `code`.
    func race<Fold: StreamFold>(
        on stream: String, _ decide: (Fold, Int) throws -> NewEvent, loserIsTold code: RejectionCode
    ) async throws {
        let before: Fold = try await self.fold(stream)
        let first = try decide(before, 0)
        let second = try decide(before, 1)
        _ = try await self.store.append(first, to: stream, expecting: .exactly(before.offset))
        await #expect(throws: EventStoreError.conflict(stream: stream, expected: before.offset, actual: before.offset + 1)) {
            try await self.store.append(second, to: stream, expecting: .exactly(before.offset))
        }
        let after: Fold = try await self.fold(stream)
        do {
            _ = try decide(after, 1)
            Issue.record("the loser was not refused")
        } catch let error as CommandRejection {
            #expect(error.code == code)
        }
    }

    /// A tournament whose first `players` joined, each having picked when `picking`.
    func start(playerLimit: Int, players: Int, picking: Bool = false) async throws {
        let settings = try TournamentSettings(name: "Cup", playerLimit: playerLimit)
        _ = try await self.store.append(TournamentEvent.created(settings, organiser: "org").stored, to: self.stream, expecting: .exactly(0))
        var commands = (0..<players).map { (TournamentCommand.join(name: "P\($0)", surname: "S"), "id\($0)") }
        if picking { commands += (0..<players).map { (.pick(club: settings.clubs[$0], playerId: nil), "id\($0)") } }
        for (command, identity) in commands {
            let state: TournamentState = try await self.fold(self.stream)
            _ = try await self.store.append(try state.decided(command, by: identity).stored, to: self.stream, expecting: .exactly(state.offset))
        }
    }

    @Test func twoPicksOfOneClubOneWins() async throws {
        try await self.start(playerLimit: 2, players: 2)
        try await self.race(on: self.stream, { (state: TournamentState, contender: Int) in
            try state.decided(.pick(club: "Chelsea", playerId: nil), by: "id\(contender)").stored
        }, loserIsTold: .clubTaken)
        let state: TournamentState = try await self.fold(self.stream)
        #expect(state.player(holding: "Chelsea")?.id == "p1" && state.players[1].pickedClub == nil)
    }

    @Test func twoJoinsAtTheLimitOneWins() async throws {
        try await self.start(playerLimit: 3, players: 2)
        try await self.race(on: self.stream, { (state: TournamentState, contender: Int) in
            try state.decided(.join(name: "Late\(contender)", surname: "S"), by: "late\(contender)").stored
        }, loserIsTold: .tournamentFull)
        let state: TournamentState = try await self.fold(self.stream)
        #expect(state.players.count == 3 && state.players.last?.name == "Late0")
    }

    @Test func twoIdenticalJoinsOneWins() async throws {
        try await self.start(playerLimit: 4, players: 0)
        try await self.race(on: self.stream, { (state: TournamentState, contender: Int) in
            try state.decided(.join(name: "Ada", surname: "Lovelace"), by: "phone\(contender)").stored
        }, loserIsTold: .alreadyJoined)
    }

    @Test func twoDrawsOneWinsAndStaysFixed() async throws {
        try await self.start(playerLimit: 3, players: 3, picking: true)
        try await self.race(on: self.stream, { (state: TournamentState, contender: Int) in
            try state.decided(.draw, by: "org", seed: UInt64(contender)).stored
        }, loserIsTold: .alreadyDrawn)
        let events = try await self.store.read(self.stream, after: 0, limit: 100)
        #expect(events.filter { $0.name == "drawn" }.count == 1)
    }

    @Test func twoCreatesOfOneNameOneWins() async throws {
        let settings = try TournamentSettings(name: "Friday Cup", playerLimit: 2)
        let stream = TournamentName.stream(digest: "friday-cup")
        try await self.race(on: stream, { (name: TournamentName, contender: Int) in
            try #require(try name.decide(creating: settings, id: "t\(contender)", by: .guest(id: "guest-\(contender)")).claim)
        }, loserIsTold: .nameTaken)
        let name: TournamentName = try await self.fold(stream)
        #expect(name.claim?.id == "t0" && name.claim?.organiser == "guest-0")
    }
}
