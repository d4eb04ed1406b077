import HTTPTypes
import HuddleCore

/// A request body's fields, read leniently: a field of the wrong JSON type is noted as that
/// field's problem, so that it is reported beside the others as a per-field 400 rather than
/// as a decoding error.
struct FieldReader: Decodable {
    private let members: [String: JSONValue]
    var problems: [String: String] = [:]

    init(from decoder: any Decoder) throws {
        guard case .object(let members) = try JSONValue(from: decoder) else {
            throw APIError(.badRequest, "The body must be a JSON object.")
        }
        self.members = members
    }

    /// The text of `key`; nil when absent or null (noted when `required`), or not text (noted).
    mutating func text(_ key: String, required: String? = nil) -> String? {
        switch self.members[key] {
        case .string(let text)?: return text
        case nil, .null?:
            if let required { self.problems[key] = required }
            return nil
        default:
            self.problems[key] = "Must be text."
            return nil
        }
    }

    mutating func integer(_ key: String, required: String) -> Int? {
        switch self.members[key] {
        case .number(let number)?:
            if let integer = Int(exactly: number) { return integer }
            self.problems[key] = "Must be a whole number."
        case nil, .null?: self.problems[key] = required
        default: self.problems[key] = "Must be a whole number."
        }
        return nil
    }

    mutating func texts(_ key: String) -> [String]? {
        switch self.members[key] {
        case nil, .null?: return nil
        case .array(let items)? where items.allSatisfy({ $0.stringValue != nil }): return items.compactMap(\.stringValue)
        default:
            self.problems[key] = "Must be a list of names."
            return nil
        }
    }
}

/// `POST /api/v1/tournaments`.
struct CreateInput: Decodable {
    var fields: FieldReader

    init(from decoder: any Decoder) throws {
        self.fields = try FieldReader(from: decoder)
    }

    /// The checked settings, or every problem at once (``InvalidTournamentInput``).
    func settings() throws -> TournamentSettings {
        var fields = self.fields
        let name = fields.text("name") ?? ""
        let playerLimit = fields.integer("playerLimit", required: "Give the number of players.")
        let clubs = fields.texts("clubs")
        let rule = fields.text("drawRule").map { DrawRule(rawValue: $0) } ?? .random
        if rule == nil { fields.problems["drawRule"] = "Use random or noOwnClub." }
        do {
            let settings = try TournamentSettings(name: name, playerLimit: playerLimit ?? 2, clubs: clubs, drawRule: rule ?? .random)
            guard fields.problems.isEmpty else { throw InvalidTournamentInput(fields.problems) }
            return settings
        } catch let error as InvalidTournamentInput {
            throw InvalidTournamentInput(fields.problems.merging(error.fields) { first, _ in first })
        }
    }
}

/// `POST /api/v1/tournaments/{id}/players`.
struct JoinInput: Decodable {
    var fields: FieldReader

    init(from decoder: any Decoder) throws {
        self.fields = try FieldReader(from: decoder)
    }

    func player() throws -> (name: String, surname: String) {
        var fields = self.fields
        let (name, surname) = (fields.text("name") ?? "", fields.text("surname") ?? "")
        do {
            let player = try TournamentState.checkedPlayer(name: name, surname: surname)
            guard fields.problems.isEmpty else { throw InvalidTournamentInput(fields.problems) }
            return player
        } catch let error as InvalidTournamentInput {
            throw InvalidTournamentInput(fields.problems.merging(error.fields) { first, _ in first })
        }
    }
}

/// `POST /api/v1/tournaments/{id}/picks`.
struct PickInput: Decodable {
    var fields: FieldReader

    init(from decoder: any Decoder) throws {
        self.fields = try FieldReader(from: decoder)
    }

    func club() throws -> String {
        var fields = self.fields
        guard let club = fields.text("club", required: "Pick a club.") else { throw InvalidTournamentInput(fields.problems) }
        return club
    }
}

/// A tournament as every route answers it: the read model, the link that joins it, and for the
/// guest who just created or joined it their pass (and on a join, which player they are).
struct TournamentBody: Encodable {
    var view: TournamentView
    var joinUrl: String
    var playerId: String?
    var pass: GrantBody?

    func encode(to encoder: any Encoder) throws {
        try self.view.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(self.joinUrl, forKey: .joinUrl)
        try container.encodeIfPresent(self.playerId, forKey: .playerId)
        try container.encodeIfPresent(self.pass, forKey: .pass)
    }

    enum Keys: String, CodingKey { case joinUrl, playerId, pass }
}

struct TournamentList: Encodable {
    var tournaments: [TournamentSummary]
}

struct TournamentSummary: Encodable {
    var id: String
    var name: String
    var playerLimit: Int
    var players: Int
    var drawn: Bool
    var createdAt: Int64

    init(_ view: TournamentView) {
        (self.id, self.name, self.playerLimit) = (view.id, view.name, view.playerLimit)
        (self.players, self.drawn, self.createdAt) = (view.players.count, view.drawn, view.createdAt)
    }
}

/// The original's "clubs with taken flags".
struct ClubList: Encodable {
    struct Club: Encodable {
        var name: String
        var taken: Bool
        var takenBy: TournamentView.Holder?
    }

    var clubs: [Club]

    init(_ state: TournamentState) {
        self.clubs = (TournamentView(id: "", state)?.clubs ?? []).map {
            Club(name: $0.name, taken: $0.takenBy != nil, takenBy: $0.takenBy)
        }
    }
}
