import HuddleCore
import Testing

@Suite struct TournamentIndexTests {
    let ada = Identity(id: "ada", name: "Ada", role: .user, username: "ada")

    /// Decides a creation and folds its listing in, as the routes do with each append.
    func create(_ index: inout TournamentIndex, _ name: String, id: String, by organiser: Identity? = nil) throws -> TournamentIndex.Creation {
        let creation = try index.decide(creating: try TournamentSettings(name: name, playerLimit: 4), id: id, by: organiser ?? self.ada)
        index.apply(StoredEvent(creation.listing, at: index.offset + 1, in: TournamentIndex.stream))
        return creation
    }

    @Test func aCreationIsTheIndexEntryAndTheTournamentsFirstEvent() throws {
        var index = TournamentIndex()
        let creation = try self.create(&index, "  Friday Cup ", id: "t1")
        #expect(creation.id == "t1" && creation.listing.name == "tournamentListed")
        #expect(index.entries.map { [$0.id, $0.name, $0.organiser] } == [["t1", "Friday Cup", "ada"]])
        #expect(index.offset == 1)

        var state = TournamentState()
        state.apply(StoredEvent(creation.created, at: 1))
        #expect(state.settings?.name == "Friday Cup" && state.organiser == "ada" && state.settings?.playerLimit == 4)
        #expect(state.settings?.clubs == TournamentLimits.defaultClubs && state.settings?.drawRule == .random)
    }

    @Test func namesAreUniqueCaseInsensitivelyAfterTrimming() throws {
        var index = TournamentIndex()
        _ = try self.create(&index, "Friday Cup", id: "t1")
        for twin in ["friday cup", " FRIDAY CUP\t", "Friday Cup"] {
            #expect(throws: CommandRejection(.nameTaken, "there is already a tournament called Friday Cup")) {
                try index.decide(creating: try TournamentSettings(name: twin, playerLimit: 2), id: "t2", by: self.ada)
            }
        }
        #expect(index.entry(named: " friday CUP ")?.id == "t1")
        _ = try self.create(&index, "Friday Cup 2", id: "t2")
        #expect(throws: CommandRejection.self) { try self.create(&index, "Another", id: "t1") }
        #expect(RejectionCode.nameTaken.rawValue == "name_taken" && RejectionCode.nameTaken.httpStatus == 409)
    }

    @Test func theIndexListsOwnTournamentsNewestFirstAndEveryOneToAnAdmin() throws {
        var index = TournamentIndex()
        _ = try self.create(&index, "One", id: "t1")
        _ = try self.create(&index, "Two", id: "t2", by: .guest(id: "guest-bo"))
        _ = try self.create(&index, "Three", id: "t3")
        index.apply(StoredEvent(NewEvent(name: "somethingNewer", data: "{}"), at: 4, in: TournamentIndex.stream))
        index.apply(StoredEvent(NewEvent(name: "tournamentListed", data: "not json"), at: 5, in: TournamentIndex.stream))
        #expect(index.offset == 5)
        #expect(index.visible(to: self.ada).map(\.id) == ["t3", "t1"])
        #expect(index.visible(to: .guest(id: "guest-bo")).map(\.id) == ["t2"])
        #expect(index.visible(to: Identity(id: "root", name: "Root", role: .admin, username: "root")).map(\.id) == ["t3", "t2", "t1"])
    }
}
