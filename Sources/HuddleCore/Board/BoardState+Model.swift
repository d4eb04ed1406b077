/// The Board as a ``StreamModel``: the gateway's stream app serves `board:{id}` with it.
extension BoardState: StreamModel {
    public static func parse(command name: String, data: JSONValue) throws(CommandRejection) -> BoardCommand {
        try BoardCommand.parse(name: name, data: data, newID: RandomID.make)
    }

    /// Everyone is told apart by identity, guests included (a guest's identity is its guest
    /// token's, or its connection's without one), so a guest holds the soft lock alike over the
    /// WebSocket and over HTTP.
    public func decide(_ command: BoardCommand, by identity: Identity, at now: Int64) throws(CommandRejection) -> NewEvent {
        try self.decide(command, by: identity.id, at: now, manager: self.mayManage(identity)).stored
    }

    /// Only boards that exist can be joined: a channel for any made-up id would otherwise be a
    /// free relay for presence and signals.
    public func admit(_ identity: Identity) throws(CommandRejection) {
        if self.deleted { throw CommandRejection(.gone, "this board was deleted") }
        guard self.exists else { throw CommandRejection(.notFound, "there is no such board") }
    }
}

extension RejectionCode {
    /// Someone else moved or edited the box in the last 2 s (seed 000's soft lock).
    public static let locked = Self("locked", httpStatus: 409)
    /// The board holds as many boxes as it may.
    public static let boardFull = Self("board_full", httpStatus: 409)
}
