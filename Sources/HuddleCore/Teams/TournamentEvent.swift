#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What happened to a tournament: the events of its stream (`tournament:{id}`).
public enum TournamentEvent: Sendable, Hashable {
    /// Always the stream's first event; `organiser` is the identity id of its creator.
    case created(TournamentSettings, organiser: String)
    /// `by` is the identity that joined: the one that may pick for this player.
    case playerJoined(playerId: String, name: String, surname: String, by: String)
    case clubPicked(playerId: String, club: String)
    /// Every player with the club they were drawn, in the order they joined.
    case drawn(pairs: [TournamentState.Pairing])

    /// The stored form: a name and JSON data.
    public var stored: NewEvent {
        switch self {
        case .created(let settings, let organiser):
            NewEvent(name: "tournamentCreated", data: JSONValue.object([
                "name": .string(settings.name), "playerLimit": .integer(Int64(settings.playerLimit)),
                "clubs": .array(settings.clubs.map(JSONValue.string)), "drawRule": .string(settings.drawRule.rawValue),
                "organiser": .string(organiser),
            ]).jsonText)
        case .playerJoined(let playerId, let name, let surname, let by):
            NewEvent(name: "playerJoined", data: JSONValue.object([
                "playerId": .string(playerId), "name": .string(name), "surname": .string(surname), "by": .string(by),
            ]).jsonText)
        case .clubPicked(let playerId, let club):
            NewEvent(name: "clubPicked", data: JSONValue.object(["playerId": .string(playerId), "club": .string(club)]).jsonText)
        case .drawn(let pairs):
            NewEvent(name: "drawn", data: JSONValue.object([
                "pairs": .array(pairs.map { .object(["playerId": .string($0.playerId), "club": .string($0.club)]) }),
            ]).jsonText)
        }
    }

    /// The event a stored one is, or nil for one this version does not know or cannot read (a
    /// newer replica may have written it).
    public init?(name eventName: String, data text: String) {
        guard let data = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { return nil }
        func string(_ key: String, in value: JSONValue = data) -> String? { value[key]?.stringValue }
        switch eventName {
        case "tournamentCreated":
            guard let name = string("name"), let organiser = string("organiser"),
                let limit = data["playerLimit"]?.integerValue.flatMap({ Int(exactly: $0) }),
                let rule = string("drawRule").flatMap(DrawRule.init(rawValue:)),
                case .array(let list)? = data["clubs"]
            else { return nil }
            let clubs = list.compactMap(\.stringValue)
            guard clubs.count == list.count else { return nil }
            self = .created(TournamentSettings(trusted: name, playerLimit: limit, clubs: clubs, drawRule: rule), organiser: organiser)
        case "playerJoined":
            guard let playerId = string("playerId"), let name = string("name"), let surname = string("surname"),
                let by = string("by")
            else { return nil }
            self = .playerJoined(playerId: playerId, name: name, surname: surname, by: by)
        case "clubPicked":
            guard let playerId = string("playerId"), let club = string("club") else { return nil }
            self = .clubPicked(playerId: playerId, club: club)
        case "drawn":
            guard case .array(let list)? = data["pairs"] else { return nil }
            let pairs = list.compactMap { pair in
                string("playerId", in: pair).flatMap { id in string("club", in: pair).map { TournamentState.Pairing(playerId: id, club: $0) } }
            }
            guard pairs.count == list.count else { return nil }
            self = .drawn(pairs: pairs)
        default:
            return nil
        }
    }
}
