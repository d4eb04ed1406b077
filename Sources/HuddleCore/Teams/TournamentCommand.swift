/// What a player or the organiser asks of a tournament. Decided by
/// ``TournamentState/decide(_:by:using:)``. Hovering over a club is a signal, not a command:
/// it is never stored.
public enum TournamentCommand: Sendable, Hashable {
    /// Join as a player: the identity asking becomes that player.
    case join(name: String, surname: String)
    /// Pick a club, for the asking identity's own player; `playerId`, when given, must be it.
    case pick(club: String, playerId: String?)
    /// The organiser's, once everyone joined and picked.
    case draw

    /// Reads a realtime command (`name` and JSON `data`), or explains what is wrong with it.
    public static func parse(name: String, data: JSONValue) throws(CommandRejection) -> TournamentCommand {
        func string(_ key: String) throws(CommandRejection) -> String {
            guard let value = data[key]?.stringValue else { throw .badRequest("\(name) needs a string '\(key)'") }
            return value
        }
        switch name {
        case "join": return .join(name: try string("name"), surname: try string("surname"))
        case "pick":
            let playerId = data["playerId"]
            guard playerId == nil || playerId == .null || playerId?.stringValue != nil else {
                throw .badRequest("pick's 'playerId' must be a string")
            }
            return .pick(club: try string("club"), playerId: playerId?.stringValue)
        case "draw": return .draw
        default: throw .unknownCommand(name, kind: TournamentState.kind)
        }
    }
}
