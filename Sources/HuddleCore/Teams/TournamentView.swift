/// A tournament as the HTTP API answers it (`GET /api/v1/tournaments/{id}`) and its pages show
/// it. Optional members are absent from the JSON when nil.
public struct TournamentView: Sendable, Hashable, Codable {
    /// Who holds a club.
    public struct Holder: Sendable, Hashable, Codable {
        public var playerId: String
        public var name: String
        public var surname: String
    }

    public struct Club: Sendable, Hashable, Codable {
        public var name: String
        /// nil while the club is free.
        public var takenBy: Holder?
    }

    public struct Player: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
        public var surname: String
        /// The user or guest id that joined: the only one who may pick for this player, and
        /// whose `hover` signals the pages show for them.
        public var identity: String
        public var pickedClub: String?
        /// nil until the draw.
        public var drawnClub: String?
    }

    public var id: String
    public var name: String
    public var playerLimit: Int
    /// The identity id of the organiser (as a board's `owner`).
    public var organiser: String
    public var drawRule: DrawRule
    /// When it was created (ms since 1970).
    public var createdAt: Int64
    /// In the organiser's order.
    public var clubs: [Club]
    /// In the order they joined.
    public var players: [Player]
    /// Empty until the draw.
    public var pairs: [TournamentState.Pairing]
    /// Full, and everyone picked.
    public var ready: Bool
    public var drawn: Bool
    /// The offset the view reflects: where a realtime subscription resumes (`since`).
    public var offset: Int64

    /// The view of tournament `id`; nil when it does not exist.
    public init?(id: String, _ state: TournamentState) {
        guard let settings = state.settings, let organiser = state.organiser else { return nil }
        let drawn = Dictionary((state.pairs ?? []).map { ($0.playerId, $0.club) }, uniquingKeysWith: { first, _ in first })
        self.id = id
        self.name = settings.name
        self.playerLimit = settings.playerLimit
        self.organiser = organiser
        self.drawRule = settings.drawRule
        self.createdAt = state.createdAt ?? 0
        self.clubs = settings.clubs.map { club in
            Club(name: club, takenBy: state.player(holding: club).map { Holder(playerId: $0.id, name: $0.name, surname: $0.surname) })
        }
        self.players = state.players.map {
            Player(
                id: $0.id, name: $0.name, surname: $0.surname, identity: $0.identity, pickedClub: $0.pickedClub,
                drawnClub: drawn[$0.id])
        }
        self.pairs = state.pairs ?? []
        self.ready = state.isReady
        self.drawn = state.isDrawn
        self.offset = state.offset
    }
}
