import HuddleCore
import Testing

@Suite struct TournamentNameTests {
    let ada = Identity(id: "ada", name: "Ada", role: .user, username: "ada")

    /// Decides a creation and folds its claim in, as the routes do after appending it.
    func create(_ name: inout TournamentName, _ text: String, id: String, by organiser: Identity? = nil) throws -> TournamentName.Creation {
        let creation = try name.decide(creating: try TournamentSettings(name: text, playerLimit: 4), id: id, by: organiser ?? self.ada)
        if let claim = creation.claim { name.apply(StoredEvent(claim, at: name.offset + 1, in: "tournament-name:x")) }
        return creation
    }

    @Test func aCreationClaimsTheNameListsItAndStartsTheTournament() throws {
        var name = TournamentName()
        let creation = try self.create(&name, "  Friday Cup ", id: "t1")
        #expect(creation.id == "t1" && creation.claim?.name == "nameClaimed" && creation.listing.name == "tournamentListed")
        #expect([name.claim?.id, name.claim?.name, name.claim?.organiser] == ["t1", "Friday Cup", "ada"] && name.offset == 1)

        var index = TournamentIndex()
        index.apply(StoredEvent(creation.listing, at: 1, in: TournamentIndex.stream(of: "ada")))
        #expect(index.entries.map { [$0.id, $0.name, $0.organiser] } == [["t1", "Friday Cup", "ada"]])

        var state = TournamentState()
        state.apply(StoredEvent(creation.created, at: 1))
        #expect(state.settings?.name == "Friday Cup" && state.organiser == "ada" && state.settings?.playerLimit == 4)
        #expect(state.settings?.clubs == TournamentLimits.defaultClubs && state.settings?.drawRule == .random)
    }

    @Test func aHeldNameIsRefusedToOthersAndResumedByItsOrganiser() throws {
        var name = TournamentName()
        _ = try self.create(&name, "Friday Cup", id: "t1")
        #expect(throws: CommandRejection(.nameTaken, "there is already a tournament called Friday Cup")) {
            try name.decide(creating: try TournamentSettings(name: "friday cup", playerLimit: 2), id: "t2", by: .guest(id: "guest-bo"))
        }
        // The organiser asking again (their create failed after the claim) gets the id they hold.
        let again = try name.decide(creating: try TournamentSettings(name: "FRIDAY CUP", playerLimit: 2), id: "t9", by: self.ada)
        #expect(again.id == "t1" && again.claim == nil)
        #expect(RejectionCode.nameTaken.rawValue == "name_taken" && RejectionCode.nameTaken.httpStatus == 409)
    }

    @Test func namesAreOneKeyCaseInsensitivelyAfterTrimming() {
        for twin in ["friday cup", " FRIDAY CUP\t", "Friday Cup"] {
            #expect(TournamentName.key(twin) == TournamentName.key("Friday Cup"))
        }
        #expect(TournamentName.key("Straße") == TournamentName.key("STRASSE"))
        #expect(TournamentName.key("Friday Cup 2") != TournamentName.key("Friday Cup"))
        #expect(TournamentName.stream(digest: "ab12") == "tournament-name:ab12")
    }
}

@Suite struct TournamentIndexTests {
    @Test func anOrganisersListingIsTheirsNewestFirstEachIdOnce() throws {
        let stream = TournamentIndex.stream(of: "ada")
        #expect(stream == "tournament-index:ada")
        var index = TournamentIndex()
        let listings = [("t1", "One", "ada"), ("t3", "Three", "ada"), ("t1", "One", "ada"), ("t2", "Stray", "bo")]
        for (offset, (id, name, organiser)) in listings.enumerated() {
            index.apply(StoredEvent(TournamentIndex.listing(id: id, name: name, organiser: organiser), at: Int64(offset + 1), in: stream))
        }
        index.apply(StoredEvent(NewEvent(name: "somethingNewer", data: "{}"), at: 5, in: stream))
        index.apply(StoredEvent(NewEvent(name: "tournamentListed", data: "not json"), at: 6, in: stream))
        #expect(index.offset == 6)
        #expect(index.entries.count == 3, "an id listed again keeps its first entry")
        #expect(index.newestFirst(of: "ada").map(\.id) == ["t3", "t1"], "someone else's entry is never theirs")
    }
}
