#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HuddleCore
import Testing

@Suite struct TournamentViewTests {
    @Test func foldDecideApplyRoundTripsToTheView() throws {
        var state = try TournamentState.created(playerLimit: 2, clubs: ["Ajax", "PSV", "Feyenoord"], drawRule: .noOwnClub)
        let history = [
            try state.run(.join(name: "Ada", surname: "Lovelace"), by: "a"),
            try state.run(.join(name: "Alan", surname: "Turing"), by: "b"),
            try state.run(.pick(club: "psv", playerId: nil), by: "a"),
        ]
        var view = try #require(TournamentView(id: "t1", state))
        #expect(view.clubs.map(\.name) == ["Ajax", "PSV", "Feyenoord"])
        let holder = try #require(view.clubs[1].takenBy)
        #expect([holder.playerId, holder.name, holder.surname] == ["p1", "Ada", "Lovelace"] && view.clubs[0].takenBy == nil)
        #expect(!view.ready && !view.drawn && view.pairs.isEmpty && view.offset == 4)
        #expect(view.players.map(\.identity) == ["a", "b"], "who may pick for each player, and whose hovers count")
        try state.run(.pick(club: "Ajax", playerId: "p2"), by: "b")
        #expect(TournamentView(id: "t1", state)?.ready == true)
        try state.run(.draw, by: "org", seed: 3)

        view = try #require(TournamentView(id: "t1", state))
        #expect(view.ready && view.drawn && view.drawRule == .noOwnClub && view.playerLimit == 2 && view.organiser == "org")
        #expect(view.players.map(\.drawnClub) == ["Ajax", "PSV"], "two players, nobody keeps their own: a swap")
        #expect(view.pairs == [.init(playerId: "p1", club: "Ajax"), .init(playerId: "p2", club: "PSV")])

        // The same events folded afresh give the same state.
        var replayed = try TournamentState.created(playerLimit: 2, clubs: ["Ajax", "PSV", "Feyenoord"], drawRule: .noOwnClub)
        let rest = [history, [.clubPicked(playerId: "p2", club: "Ajax"), .drawn(pairs: view.pairs)]].joined()
        for event in rest { replayed.apply(StoredEvent(event.stored, at: replayed.offset + 1)) }
        #expect(replayed == state)

        // The read model is the HTTP body: it encodes and decodes as itself.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try encoder.encode(view)
        #expect(try JSONDecoder().decode(TournamentView.self, from: json) == view)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains(#""takenBy":{"name":"Ada","playerId":"p1","surname":"Lovelace"}"#))
        #expect(text.contains(#""drawRule":"noOwnClub""#) && text.contains(#""ready":true"#))
        #expect(TournamentView(id: "t1", TournamentState()) == nil)
    }
}
