/// A tournament as its events leave it: a fold of its stream. Replicas decide commands against
/// it and append with its offset as the expected one, so two joins at the limit, two picks of
/// one club or two draws cannot both win: the loser is decided again against the newer state,
/// and refused.
public struct TournamentState: Sendable, Hashable {
    public static let kind = "tournament"

    /// One player, as they joined.
    public struct Player: Sendable, Hashable {
        /// `p1`, `p2`… in the order they joined.
        public var id: String
        public var name: String
        public var surname: String
        /// The identity that joined: the only one that may pick for this player.
        public var identity: String
        public var pickedClub: String?
    }

    /// A player and the club the draw gave them.
    public struct Pairing: Sendable, Hashable, Codable {
        public var playerId: String
        public var club: String

        public init(playerId: String, club: String) {
            self.playerId = playerId
            self.club = club
        }
    }

    /// Set by the first event, `tournamentCreated`; nil for a tournament that does not exist.
    public private(set) var settings: TournamentSettings?
    /// The identity id of whoever created it: the only one who may draw.
    public private(set) var organiser: String?
    /// When it was created (ms since 1970).
    public private(set) var createdAt: Int64?
    /// In the order they joined.
    public private(set) var players: [Player] = []
    /// nil until the draw; then fixed.
    public private(set) var pairs: [Pairing]?
    public private(set) var offset: Int64 = 0

    public init() {}

    public var exists: Bool { self.settings != nil }
    public var isFull: Bool { self.settings.map { self.players.count >= $0.playerLimit } ?? false }
    /// Full, and everyone picked: the organiser may draw.
    public var isReady: Bool { self.isFull && self.players.allSatisfy { $0.pickedClub != nil } }
    public var isDrawn: Bool { self.pairs != nil }

    /// The player who picked `club`, if anyone did.
    public func player(holding club: String) -> Player? {
        self.players.first { $0.pickedClub == club }
    }

    /// The event `command` produces when `identity` (an identity id) asks, or why it is refused.
    /// The draw shuffles with `generator`: the system's CSPRNG in the app, a seeded one in tests.
    public func decide(
        _ command: TournamentCommand, by identity: String, using generator: inout some RandomNumberGenerator
    ) throws(CommandRejection) -> TournamentEvent {
        guard let settings = self.settings else { throw CommandRejection(.notFound, "there is no such tournament") }
        switch command {
        case .join(let name, let surname):
            let player: (name: String, surname: String)
            do { player = try Self.checkedPlayer(name: name, surname: surname) } catch { throw error.rejection }
            let key = (TournamentLimits.key(player.name), TournamentLimits.key(player.surname))
            if let twin = self.players.first(where: { (TournamentLimits.key($0.name), TournamentLimits.key($0.surname)) == key }) {
                throw CommandRejection(.alreadyJoined, "\(twin.name) \(twin.surname) has already joined this tournament")
            }
            if let mine = self.players.first(where: { $0.identity == identity }) {
                throw CommandRejection(.alreadyJoined, "you have already joined as \(mine.name) \(mine.surname)")
            }
            guard !self.isFull else {
                throw CommandRejection(.tournamentFull, "this tournament is full (\(settings.playerLimit) players)")
            }
            return .playerJoined(playerId: "p\(self.players.count + 1)", name: player.name, surname: player.surname, by: identity)
        case .pick(let club, let playerId):
            let player = try self.player(of: identity, named: playerId)
            if let picked = player.pickedClub { throw CommandRejection(.alreadyPicked, "you have already picked \(picked)") }
            let wanted = TournamentLimits.key(TournamentLimits.trimmed(club))
            guard let club = settings.clubs.first(where: { TournamentLimits.key($0) == wanted }) else {
                throw .badRequest("that is not one of this tournament's clubs")
            }
            if let holder = self.player(holding: club) {
                throw CommandRejection(.clubTaken, "\(club) is taken by \(holder.name) \(holder.surname)")
            }
            return .clubPicked(playerId: player.id, club: club)
        case .draw:
            guard identity == self.organiser else { throw CommandRejection(.forbidden, "only the organiser may draw") }
            guard !self.isDrawn else { throw CommandRejection(.alreadyDrawn, "the draw has been made; it is final") }
            guard self.isReady else {
                throw CommandRejection(
                    .notReady, "the draw waits until \(settings.playerLimit) players have joined and each has picked a club")
            }
            let clubs = self.players.compactMap(\.pickedClub)
            let permutation = TournamentDraw.permutation(of: clubs.count, rule: settings.drawRule, using: &generator)
            return .drawn(pairs: zip(self.players, permutation).map { Pairing(playerId: $0.id, club: clubs[$1]) })
        }
    }

    /// A player's name and surname without surrounding white space: each 1 to 40 characters
    /// (160 bytes), no control characters. What `join` checks, for routes that answer `fields`.
    public static func checkedPlayer(name: String, surname: String) throws(InvalidTournamentInput) -> (name: String, surname: String) {
        let rule = "Use 1 to \(TournamentLimits.playerNameLength) characters (at most \(TournamentLimits.playerNameBytes) bytes), no control characters."
        let checked = [name, surname].map {
            TournamentLimits.checked($0, characters: TournamentLimits.playerNameLength, bytes: TournamentLimits.playerNameBytes)
        }
        var problems: [String: String] = [:]
        if checked[0] == nil { problems["name"] = rule }
        if checked[1] == nil { problems["surname"] = rule }
        guard let name = checked[0], let surname = checked[1] else { throw InvalidTournamentInput(problems) }
        return (name, surname)
    }

    /// Folds one stored event in. Events it does not know are skipped (a newer replica may have
    /// written them), but the offset still moves; so are events that contradict the stream so
    /// far (decisions never write them).
    public mutating func apply(_ event: StoredEvent) {
        self.offset = event.offset
        guard let decoded = TournamentEvent(name: event.name, data: event.data) else { return }
        switch decoded {
        case .created(let settings, let organiser):
            guard !self.exists else { return }
            self.settings = settings
            self.organiser = organiser
            self.createdAt = event.recordedAt
        case .playerJoined(let playerId, let name, let surname, let by):
            guard self.exists, !self.players.contains(where: { $0.id == playerId }) else { return }
            self.players.append(Player(id: playerId, name: name, surname: surname, identity: by))
        case .clubPicked(let playerId, let club):
            guard let index = self.players.firstIndex(where: { $0.id == playerId }), self.players[index].pickedClub == nil
            else { return }
            self.players[index].pickedClub = club
        case .drawn(let pairs):
            guard self.exists, !self.isDrawn else { return }
            self.pairs = pairs
        }
    }

    /// The player `identity` joined as, checked against `playerId` when the command names one.
    private func player(of identity: String, named playerId: String?) throws(CommandRejection) -> Player {
        if let playerId, !self.players.contains(where: { $0.id == playerId }) {
            throw CommandRejection(.notFound, "there is no player \(playerId) in this tournament")
        }
        guard let mine = self.players.first(where: { $0.identity == identity }) else {
            throw CommandRejection(.forbidden, "only a player who joined may pick, and only for themselves")
        }
        guard playerId == nil || playerId == mine.id else {
            throw CommandRejection(.forbidden, "a player picks only for themselves")
        }
        return mine
    }
}
