/// Teams as a ``StreamModel``: the gateway's stream app serves `tournament:{id}` with it.
extension TournamentState: StreamModel {
    public static func parse(command name: String, data: JSONValue) throws(CommandRejection) -> TournamentCommand {
        try TournamentCommand.parse(name: name, data: data)
    }

    /// Players are told apart by identity, guests included: the identity that joined is the
    /// player. The draw shuffles with the system's generator (a CSPRNG on Linux and macOS).
    public func decide(_ command: TournamentCommand, by identity: Identity, at now: Int64) throws(CommandRejection) -> NewEvent {
        var generator = SystemRandomNumberGenerator()
        return try self.decide(command, by: identity.id, using: &generator).stored
    }

    /// Only tournaments that exist can be joined as a channel: a channel for any made-up id
    /// would otherwise be a free relay for presence and hovering signals.
    public func admit(_ identity: Identity) throws(CommandRejection) {
        guard self.exists else { throw CommandRejection(.notFound, "there is no such tournament") }
    }
}

extension RejectionCode {
    /// The same name and surname (case-insensitively) already joined, or this identity did.
    public static let alreadyJoined = Self("already_joined", httpStatus: 409)
    /// As many players as the limit have joined.
    public static let tournamentFull = Self("tournament_full", httpStatus: 409)
    /// A player picks once.
    public static let alreadyPicked = Self("already_picked", httpStatus: 409)
    /// Another player picked this club first.
    public static let clubTaken = Self("club_taken", httpStatus: 409)
    /// The draw waits until the tournament is full and everyone picked.
    public static let notReady = Self("not_ready", httpStatus: 409)
    /// The draw happens once.
    public static let alreadyDrawn = Self("already_drawn", httpStatus: 409)
}
