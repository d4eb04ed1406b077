import HTTPTypes
import HuddleCore

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
