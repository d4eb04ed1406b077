import HTTPTypes
import HuddleCore

/// Teams' request bodies, read from a ``FieldReader`` so that a field of the wrong type is
/// reported with the rule breaks, all at once (``InvalidTournamentInput``).
extension FieldReader {
    /// `POST /api/v1/tournaments`.
    func tournamentSettings() throws -> TournamentSettings {
        var fields = self
        let name = fields.text("name") ?? ""
        let playerLimit = fields.integer("playerLimit", required: "Give the number of players.")
        let clubs = fields.texts("clubs")
        let rule = fields.text("drawRule").map { DrawRule(rawValue: $0) } ?? .random
        if rule == nil { fields.problems["drawRule"] = "Use random or noOwnClub." }
        return try fields.checked { () throws(InvalidTournamentInput) in
            try TournamentSettings(name: name, playerLimit: playerLimit ?? 2, clubs: clubs, drawRule: rule ?? .random)
        }
    }

    /// `POST /api/v1/tournaments/{id}/players`.
    func player() throws -> (name: String, surname: String) {
        var fields = self
        let (name, surname) = (fields.text("name") ?? "", fields.text("surname") ?? "")
        return try fields.checked { () throws(InvalidTournamentInput) in
            try TournamentState.checkedPlayer(name: name, surname: surname)
        }
    }

    /// `POST /api/v1/tournaments/{id}/picks`.
    func club() throws -> String {
        var fields = self
        guard let club = fields.text("club", required: "Pick a club.") else { throw InvalidTournamentInput(fields.problems) }
        return club
    }

    /// What `rules` makes of the fields, or its problems and the type problems noted here together.
    private func checked<Value>(_ rules: () throws(InvalidTournamentInput) -> Value) throws(InvalidTournamentInput) -> Value {
        do throws(InvalidTournamentInput) {
            let value = try rules()
            guard self.problems.isEmpty else { throw InvalidTournamentInput(self.problems) }
            return value
        } catch {
            throw InvalidTournamentInput(self.problems.merging(error.fields) { first, _ in first })
        }
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
