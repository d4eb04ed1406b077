import HuddleCore
import Testing

@Suite struct BoardStateTests {
    /// Decides `command` and folds the event in, as the board app does with each append.
    func run(_ state: inout BoardState, _ command: BoardCommand, by actor: String = "ada", at now: Int64 = 0) throws {
        let event = try state.decide(command, by: actor, at: now).stored
        state.apply(StoredEvent(stream: "board:1", offset: state.offset + 1, name: event.name, data: event.data, recordedAt: now))
    }

    /// A board that exists: its stream starts with `boardCreated`.
    func created() throws -> BoardState {
        var state = BoardState()
        let event = try BoardState.creation(name: "  Plan  ", owner: "ada")
        state.apply(StoredEvent(stream: "board:1", offset: 1, name: event.name, data: event.data, recordedAt: 0))
        return state
    }

    func add(_ state: inout BoardState, _ id: String) throws {
        try self.run(&state, .addBox(id: id, x: 10, y: 20, width: 300, height: 200, text: "Drag me", color: "#fde68a"))
    }

    @Test func addedBoxesStackUpAndFoldBackFromTheirEvents() throws {
        var state = try self.created()
        try self.add(&state, "a")
        try self.add(&state, "b")
        #expect(state.offset == 3)
        #expect(state.name == "Plan")
        #expect(state.owner == "ada")
        #expect(state.stackingOrder.map(\.id) == ["a", "b"])
        let a = try #require(state.boxes["a"])
        #expect(a == Box(id: "a", x: 10, y: 20, width: 300, height: 200, text: "Drag me", color: "#fde68a", z: 1))
    }

    @Test func aBoxMovedBySomeoneElseIsLockedForTwoSeconds() throws {
        var state = try self.created()
        try self.add(&state, "a")
        try self.run(&state, .moveBox(id: "a", x: 50, y: 60), by: "ada", at: 10_000)
        #expect(state.boxes["a"]?.x == 50)
        for command in [BoardCommand.moveBox(id: "a", x: 1, y: 1), .editBox(id: "a", text: "mine"), .resizeBox(id: "a", width: 40, height: 40), .deleteBox(id: "a")] {
            #expect(throws: CommandRejection(.locked, "someone else is moving this box")) {
                try state.decide(command, by: "bo", at: 11_999)
            }
        }
        // The mover keeps going; colour and stacking are not locked.
        try self.run(&state, .moveBox(id: "a", x: 70, y: 80), by: "ada", at: 11_000)
        try self.run(&state, .recolorBox(id: "a", color: "#93c5fd"), by: "bo", at: 11_500)
        // Two seconds after the last move, the box is free again.
        try self.run(&state, .moveBox(id: "a", x: 5, y: 5), by: "bo", at: 13_000)
        #expect(state.boxes["a"]?.x == 5)
        #expect(state.boxes["a"]?.heldBy == "bo")
        #expect(state.boxes["a"]?.color == "#93c5fd")
    }

    @Test func raiseBringsABoxToTheTopAndDeleteRemovesIt() throws {
        var state = try self.created()
        for id in ["a", "b", "c"] { try self.add(&state, id) }
        try self.run(&state, .raiseBox(id: "a"))
        #expect(state.stackingOrder.map(\.id) == ["b", "c", "a"])
        try self.run(&state, .deleteBox(id: "b"))
        #expect(state.boxes["b"] == nil)
        #expect(throws: CommandRejection.self) { try state.decide(.moveBox(id: "b", x: 1, y: 1), by: "ada", at: 0) }
    }

    @Test(arguments: [
        BoardCommand.addBox(id: "x", x: -1, y: 0, width: 300, height: 200, text: "", color: "#ffffff"),
        .addBox(id: "x", x: 0, y: 10_001, width: 300, height: 200, text: "", color: "#ffffff"),
        .addBox(id: "x", x: 0, y: 0, width: 5, height: 200, text: "", color: "#ffffff"),
        .addBox(id: "x", x: 0, y: 0, width: 300, height: 200, text: String(repeating: "a", count: 2_001), color: "#ffffff"),
        .addBox(id: "x", x: 0, y: 0, width: 300, height: 200, text: "", color: "red"),
        .addBox(id: "x", x: 0, y: 0, width: 300, height: 200, text: "", color: "#FFFFFF"),
        .addBox(id: "x", x: 0, y: 0, width: 300, height: 200, text: "", color: "#ffffff;"),
    ])
    func refusesBoxesOutsideTheLimits(_ command: BoardCommand) {
        #expect(throws: CommandRejection.self) { try self.created().decide(command, by: "ada", at: 0) }
    }

    @Test func commandsAreParsedFromRealtimeFramesOrRefusedClearly() throws {
        let move = try BoardCommand.parse(
            name: "moveBox", data: .object(["boxId": .string("a"), "x": .integer(3), "y": .integer(4)]), newID: { "new" })
        #expect(move == .moveBox(id: "a", x: 3, y: 4))
        let add = try BoardCommand.parse(name: "addBox", data: .object([:]), newID: { "new" })
        #expect(add == .addBox(id: "new", x: 0, y: 0, width: 300, height: 200, text: "Drag me", color: BoardLimits.defaultColor))
        #expect(throws: CommandRejection.badRequest("moveBox needs a number 'x'")) {
            try BoardCommand.parse(name: "moveBox", data: .object(["boxId": .string("a"), "x": .string("3"), "y": .integer(4)]), newID: { "" })
        }
        #expect(throws: CommandRejection.unknownCommand("fly", kind: "board")) {
            try BoardCommand.parse(name: "fly", data: .null, newID: { "" })
        }
    }

    @Test func aBoardThatWasNeverCreatedRefusesEveryCommand() {
        #expect(throws: CommandRejection(.notFound, "there is no such board")) {
            try BoardState().decide(.addBox(id: "a", x: 0, y: 0, width: 300, height: 200, text: "", color: "#ffffff"), by: "ada", at: 0)
        }
        #expect(throws: CommandRejection.self) { try BoardState.creation(name: "   ", owner: "ada") }
    }

    @Test func unknownOrMalformedEventsAreSkippedButCounted() {
        var state = BoardState()
        state.apply(StoredEvent(stream: "board:1", offset: 1, name: "boardPainted", data: "{}", recordedAt: 0))
        state.apply(StoredEvent(stream: "board:1", offset: 2, name: "boxMoved", data: "not json", recordedAt: 0))
        #expect(state.offset == 2)
        #expect(state.boxes.isEmpty)
    }

    @Test func onlyAManagerRenamesOrDeletesAndADeletedBoardRefusesEverything() throws {
        var state = try self.created()
        try self.add(&state, "a")
        #expect(state.mayManage(Identity(id: "ada", name: "Ada", role: .user, username: "ada")))
        #expect(state.mayManage(Identity(id: "root", name: "Root", role: .admin, username: "root")))
        #expect(!state.mayManage(Identity.guest(id: "bob")))
        #expect(throws: CommandRejection(.forbidden, "only the board's owner or an admin may rename it")) {
            try state.decide(.renameBoard(name: "Mine"), by: "bob", at: 0)
        }
        #expect(throws: CommandRejection.self) { try state.decide(.renameBoard(name: " \u{7} "), by: "ada", at: 0, manager: true) }

        let renamed = try state.decide(.renameBoard(name: " Roadmap "), by: "ada", at: 0, manager: true)
        #expect(renamed == .boardRenamed(name: "Roadmap", by: "ada"))
        state.apply(StoredEvent(stream: "board:1", offset: state.offset + 1, name: renamed.stored.name, data: renamed.stored.data, recordedAt: 5))
        #expect(state.name == "Roadmap" && state.exists)

        let deleted = try state.decide(.deleteBoard, by: "ada", at: 0, manager: true)
        state.apply(StoredEvent(stream: "board:1", offset: state.offset + 1, name: deleted.stored.name, data: deleted.stored.data, recordedAt: 6))
        #expect(state.deleted && !state.exists && state.boxes.isEmpty)
        #expect(throws: CommandRejection(.notFound, "there is no such board")) {
            try state.decide(.addBox(id: "b", x: 0, y: 0, width: 30, height: 30, text: "", color: "#ffffff"), by: "ada", at: 0)
        }
    }

    @Test func theIndexListsOwnBoardsNewestFirstAndEveryBoardToAnAdmin() {
        var index = BoardIndex()
        for (offset, (id, owner)) in [("1", "ada"), ("2", "bob"), ("3", "ada")].enumerated() {
            let event = BoardIndex.listing(id: id, owner: owner)
            index.apply(StoredEvent(stream: BoardIndex.stream, offset: Int64(offset + 1), name: event.name, data: event.data, recordedAt: 0))
        }
        index.apply(StoredEvent(stream: BoardIndex.stream, offset: 4, name: "somethingNewer", data: "{}", recordedAt: 0))
        #expect(index.offset == 4)
        #expect(index.visible(to: Identity(id: "ada", name: "Ada", role: .user, username: "ada")).map(\.id) == ["3", "1"])
        #expect(index.visible(to: Identity.guest(id: "bob")).map(\.id) == ["2"])
        #expect(index.visible(to: Identity(id: "root", name: "Root", role: .admin, username: "root")).map(\.id) == ["3", "2", "1"])
    }
}
