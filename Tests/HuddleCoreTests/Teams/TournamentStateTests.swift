import HuddleCore
import Testing

@Suite struct TournamentStateTests {
    @Test func playersJoinTrimmedAndNumberedInTheOrderTheyCame() throws {
        var state = try TournamentState.created()
        #expect(state.exists && state.offset == 1 && state.organiser == "org" && state.createdAt == 42)
        let joined = try state.run(.join(name: "  Ada ", surname: "\tLovelace "), by: "guest-a")
        #expect(joined == .playerJoined(playerId: "p1", name: "Ada", surname: "Lovelace", by: "guest-a"))
        try state.run(.join(name: "Alan", surname: "Turing"), by: "guest-b")
        #expect(state.players.map(\.id) == ["p1", "p2"])
        #expect([state.players[0].name, state.players[0].surname, state.players[0].identity] == ["Ada", "Lovelace", "guest-a"])
        #expect(state.offset == 3 && !state.isFull)
    }

    @Test(arguments: [
        "", "   ", String(repeating: "a", count: 41), "bell\u{7}", "line\nbreak",
        "a" + String(repeating: "\u{301}", count: 1_000),  // one character, over 2 KB
        String(repeating: "🇪🇺", count: 21),  // 21 characters, 168 bytes
    ])
    func refusesNamesAndSurnamesOutsideTheRules(_ text: String) throws {
        let state = try TournamentState.created()
        for command in [TournamentCommand.join(name: text, surname: "Lovelace"), .join(name: "Ada", surname: text)] {
            #expect(state.refusal(command, by: "guest-a")?.code == .badRequest)
        }
        #expect(throws: InvalidTournamentInput(["surname": "Use 1 to 40 characters (at most 160 bytes), no control characters."])) {
            try TournamentState.checkedPlayer(name: "Ada", surname: text)
        }
        #expect((try? TournamentState.checkedPlayer(name: text, surname: text))?.name == nil)
    }

    @Test func namesUpToFortyCharactersAndTheirBytesAreWelcome() throws {
        var state = try TournamentState.created()
        let forty = String(repeating: "é", count: 40)  // 80 bytes
        try state.run(.join(name: forty, surname: "🇪🇺" + String(repeating: "x", count: 39)), by: "a")
        #expect(state.players.first?.name == forty)
    }

    @Test func aNameAndSurnameJoinOnceCaseInsensitivelyAndAnIdentityIsOnePlayer() throws {
        var state = try TournamentState.created()
        try state.run(.join(name: "Ada", surname: "Lovelace"), by: "a")
        try state.run(.join(name: "Hans", surname: "Straße"), by: "b")
        #expect(state.refusal(.join(name: " ADA ", surname: "lovelace"), by: "c") == CommandRejection(.alreadyJoined, "Ada Lovelace has already joined this tournament"))
        #expect(state.refusal(.join(name: "hans", surname: "STRASSE"), by: "c") == CommandRejection(.alreadyJoined, "Hans Straße has already joined this tournament"))
        #expect(state.refusal(.join(name: "Augusta", surname: "King"), by: "a") == CommandRejection(.alreadyJoined, "you have already joined as Ada Lovelace"))
        // Same name, other surname: another person.
        try state.run(.join(name: "Ada", surname: "Byron"), by: "c")
        #expect(state.players.count == 3)
    }

    @Test func nobodyJoinsPastTheLimitButATwinIsToldTheyAreIn() throws {
        var state = try TournamentState.created(playerLimit: 2)
        try state.fill(2, picking: false)
        #expect(state.isFull)
        #expect(state.refusal(.join(name: "Late", surname: "Comer"), by: "late") == CommandRejection(.tournamentFull, "this tournament is full (2 players)"))
        #expect(state.refusal(.join(name: "player0", surname: "surname"), by: "late") == CommandRejection(.alreadyJoined, "Player0 Surname has already joined this tournament"))
    }

    @Test func aPlayerPicksOnceOnlyForThemselvesAndOnlyAClubOfTheList() throws {
        var state = try TournamentState.created()
        try state.fill(2, picking: false)
        #expect(state.refusal(.pick(club: "Chelsea", playerId: nil), by: "stranger")?.code == .forbidden)
        #expect(state.refusal(.pick(club: "Chelsea", playerId: "p2"), by: "id0")
            == CommandRejection(.forbidden, "a player picks only for themselves"))
        #expect(state.refusal(.pick(club: "Chelsea", playerId: "p9"), by: "id0")?.code == .notFound)
        #expect(state.refusal(.pick(club: "Arsenal", playerId: nil), by: "id0")?.code == .badRequest)
        #expect(state.refusal(.pick(club: "Arsenal", playerId: nil), by: "id0")?.code.isClientMistake == true)

        // Trimmed and case-insensitive; stored as the list spells it.
        let picked = try state.run(.pick(club: "  atlético MADRID ", playerId: "p1"), by: "id0")
        #expect(picked == .clubPicked(playerId: "p1", club: "Atlético Madrid"))
        #expect(state.players[0].pickedClub == "Atlético Madrid")
        #expect(state.refusal(.pick(club: "Chelsea", playerId: nil), by: "id0")
            == CommandRejection(.alreadyPicked, "you have already picked Atlético Madrid"))
        #expect(state.refusal(.pick(club: "Atlético Madrid", playerId: nil), by: "id1")
            == CommandRejection(.clubTaken, "Atlético Madrid is taken by Player0 Surname"))
        try state.run(.pick(club: "Chelsea", playerId: nil), by: "id1")
        #expect(state.player(holding: "Chelsea")?.id == "p2")
    }

    @Test func onlyTheOrganiserDrawsOnceEveryoneJoinedAndPickedAndOnlyOnce() throws {
        var state = try TournamentState.created(playerLimit: 3)
        func code(_ identity: String) -> RejectionCode? { state.refusal(.draw, by: identity)?.code }
        #expect(code("org") == .notReady)
        try state.fill(3, picking: false)
        try state.run(.pick(club: "Chelsea", playerId: nil), by: "id0")
        try state.run(.pick(club: "Juventus", playerId: nil), by: "id1")
        #expect(state.isFull && !state.isReady)
        #expect(code("org") == .notReady)
        try state.run(.pick(club: "Barcelona", playerId: nil), by: "id2")
        #expect(state.isReady)
        #expect(code("id0") == .forbidden)
        #expect(code("org") == nil)

        try state.run(.draw, by: "org", seed: 7)
        let pairs = try #require(state.pairs)
        #expect(state.isDrawn && pairs.map(\.playerId) == ["p1", "p2", "p3"])
        #expect(Set(pairs.map(\.club)) == ["Chelsea", "Juventus", "Barcelona"])
        #expect(code("org") == .alreadyDrawn)
        #expect(code("id0") == .forbidden)
    }

    @Test func aTournamentThatDoesNotExistRefusesEverythingAndCannotBeJoinedAsAChannel() throws {
        let missing = TournamentState()
        for command in [TournamentCommand.join(name: "Ada", surname: "L"), .pick(club: "Chelsea", playerId: nil), .draw] {
            #expect(missing.refusal(command, by: "org") == CommandRejection(.notFound, "there is no such tournament"))
        }
        #expect(throws: CommandRejection(.notFound, "there is no such tournament")) { try missing.admit(.guest(id: "guest-1")) }
        try TournamentState.created().admit(.guest(id: "guest-1"))
    }

    @Test func theModelDecidesForAnIdentityWithTheSystemGenerator() throws {
        var state = try TournamentState.created(playerLimit: 2, drawRule: .noOwnClub)
        let ada = Identity.guest(id: "guest-ada")
        let join = try state.decide(TournamentState.parse(command: "join", data: .object(["name": .string("Ada"), "surname": .string("L")])), by: ada, at: 0)
        state.apply(StoredEvent(join, at: 2))
        #expect(state.players.first?.identity == "guest-ada")
        try state.run(.join(name: "Bo", surname: "B"), by: "guest-bo")
        try state.run(.pick(club: "Chelsea", playerId: nil), by: "guest-ada")
        try state.run(.pick(club: "Juventus", playerId: nil), by: "guest-bo")
        let organiser = Identity(id: "org", name: "Org", role: .user, username: "org")
        state.apply(StoredEvent(try state.decide(.draw, by: organiser, at: 0), at: state.offset + 1))
        #expect(state.pairs == [.init(playerId: "p1", club: "Juventus"), .init(playerId: "p2", club: "Chelsea")])
    }

    @Test func commandsAreParsedFromRealtimeFramesOrRefusedClearly() throws {
        #expect(try TournamentCommand.parse(name: "join", data: .object(["name": .string("Ada"), "surname": .string("L")]))
            == .join(name: "Ada", surname: "L"))
        #expect(try TournamentCommand.parse(name: "pick", data: .object(["club": .string("Chelsea")])) == .pick(club: "Chelsea", playerId: nil))
        #expect(try TournamentCommand.parse(name: "pick", data: .object(["club": .string("Chelsea"), "playerId": .string("p1")]))
            == .pick(club: "Chelsea", playerId: "p1"))
        #expect(try TournamentCommand.parse(name: "pick", data: .object(["club": .string("Chelsea"), "playerId": .null]))
            == .pick(club: "Chelsea", playerId: nil))
        #expect(try TournamentCommand.parse(name: "draw", data: .null) == .draw)
        #expect(throws: CommandRejection.badRequest("join needs a string 'surname'")) {
            try TournamentCommand.parse(name: "join", data: .object(["name": .string("Ada")]))
        }
        #expect(throws: CommandRejection.badRequest("pick's 'playerId' must be a string")) {
            try TournamentCommand.parse(name: "pick", data: .object(["club": .string("Chelsea"), "playerId": .integer(1)]))
        }
        #expect(throws: CommandRejection.unknownCommand("hover", kind: "tournament")) {
            try TournamentState.parse(command: "hover", data: .null)
        }
    }

    @Test func everyRefusalCarriesItsStatus() {
        let codes: [(RejectionCode, String, Int)] = [
            (.alreadyJoined, "already_joined", 409), (.tournamentFull, "tournament_full", 409),
            (.alreadyPicked, "already_picked", 409), (.clubTaken, "club_taken", 409), (.notReady, "not_ready", 409), (.alreadyDrawn, "already_drawn", 409),
        ]
        for (code, raw, status) in codes {
            #expect(code.rawValue == raw && code.httpStatus == status && !code.isClientMistake)
        }
    }
}
