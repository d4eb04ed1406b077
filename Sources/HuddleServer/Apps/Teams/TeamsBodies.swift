import HuddleCore

/// Request bodies. Every field is optional so that a missing one is reported with the others
/// as a per-field 400 instead of a decoding error.
struct CreateInput: Decodable {
    var name: String?
    var playerLimit: Int?
    var clubs: [String]?
    var drawRule: String?

    /// The checked settings, or every problem at once (``InvalidTournamentInput``).
    func settings() throws -> TournamentSettings {
        var problems: [String: String] = [:]
        let rule = DrawRule(rawValue: self.drawRule ?? DrawRule.random.rawValue)
        if rule == nil { problems["drawRule"] = "Use random or noOwnClub." }
        if self.playerLimit == nil { problems["playerLimit"] = "Give the number of players." }
        do {
            let settings = try TournamentSettings(
                name: self.name ?? "", playerLimit: self.playerLimit ?? 2, clubs: self.clubs, drawRule: rule ?? .random)
            guard problems.isEmpty else { throw InvalidTournamentInput(problems) }
            return settings
        } catch let error as InvalidTournamentInput {
            throw InvalidTournamentInput(error.fields.merging(problems) { first, _ in first })
        }
    }
}

struct JoinInput: Decodable {
    var name: String?
    var surname: String?

    func player() throws -> (name: String, surname: String) {
        try TournamentState.checkedPlayer(name: self.name ?? "", surname: self.surname ?? "")
    }
}

struct PickInput: Decodable {
    var club: String?
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
