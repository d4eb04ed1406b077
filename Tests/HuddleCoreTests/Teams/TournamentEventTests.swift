#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HuddleCore
import Testing

@Suite struct TournamentEventTests {
    static let events: [TournamentEvent] = [
        .created(try! TournamentSettings(name: "Cup \"Ω\"", playerLimit: 3, clubs: ["Ajax", "PSV", "Atlético Madrid"], drawRule: .noOwnClub), organiser: "guest-1"),
        .playerJoined(playerId: "p1", name: "Zoë", surname: "O'Brien\\", by: "user-7"),
        .clubPicked(playerId: "p1", club: "Atlético Madrid"),
        .drawn(pairs: [.init(playerId: "p1", club: "PSV"), .init(playerId: "p2", club: "Ajax")]),
    ]

    @Test(arguments: Self.events)
    func eventsRoundTripThroughTheirStoredJSON(_ event: TournamentEvent) throws {
        let stored = event.stored
        #expect(TournamentEvent(name: stored.name, data: stored.data) == event)
        // Valid JSON whatever the text holds.
        _ = try JSONDecoder().decode(JSONValue.self, from: Data(stored.data.utf8))
    }

    @Test func theStoredFormIsStable() {
        #expect(TournamentEvent.clubPicked(playerId: "p1", club: "Chelsea").stored
            == NewEvent(name: "clubPicked", data: #"{"club":"Chelsea","playerId":"p1"}"#))
        #expect(TournamentEvent.drawn(pairs: [.init(playerId: "p1", club: "PSV")]).stored.data == #"{"pairs":[{"club":"PSV","playerId":"p1"}]}"#)
    }

    @Test func unknownMalformedOrContradictoryEventsAreSkippedButMoveTheOffset() throws {
        var state = TournamentState()
        state.apply(StoredEvent(NewEvent(name: "playerJoined", data: #"{"playerId":"p1","name":"A","surname":"B","by":"x"}"#), at: 1))
        #expect(state.players.isEmpty && !state.exists, "nothing happens to a tournament before it is created")
        state.apply(StoredEvent(Self.events[0].stored, at: 2))
        let skipped = [
            NewEvent(name: "tournamentRenamed", data: #"{"name":"x"}"#),
            NewEvent(name: "playerJoined", data: "not json"),
            NewEvent(name: "playerJoined", data: #"{"playerId":"p1","name":"A"}"#),
            NewEvent(name: "tournamentCreated", data: #"{"name":"Cup","playerLimit":2.5,"clubs":["a","b"],"drawRule":"random","organiser":"o"}"#),
            NewEvent(name: "tournamentCreated", data: #"{"name":"Cup","playerLimit":2,"clubs":["a",1],"drawRule":"random","organiser":"o"}"#),
            NewEvent(name: "tournamentCreated", data: #"{"name":"Cup","playerLimit":2,"clubs":["a","b"],"drawRule":"fair","organiser":"o"}"#),
            NewEvent(name: "drawn", data: #"{"pairs":[{"playerId":"p1"}]}"#),
            TournamentEvent.created(try TournamentSettings(name: "Other", playerLimit: 2), organiser: "mallory").stored,
            TournamentEvent.clubPicked(playerId: "p9", club: "Ajax").stored,
        ]
        for (index, event) in skipped.enumerated() { state.apply(StoredEvent(event, at: Int64(3 + index))) }
        #expect(state.offset == Int64(2 + skipped.count))
        #expect(state.settings?.name == "Cup \"Ω\"" && state.organiser == "guest-1" && state.players.isEmpty && !state.isDrawn)
        for event in skipped.prefix(7) { #expect(TournamentEvent(name: event.name, data: event.data) == nil, "\(event)") }
    }
}
