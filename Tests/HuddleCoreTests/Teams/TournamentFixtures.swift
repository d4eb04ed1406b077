import HuddleCore
import Testing

/// A small seeded generator, so that every draw in these tests is the same on every run (the
/// app draws with `SystemRandomNumberGenerator`). RESPTests has its twin: test targets share
/// no code.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A generator that always answers the same number: broken on purpose.
struct ConstantGenerator: RandomNumberGenerator {
    var value: UInt64

    mutating func next() -> UInt64 { self.value }
}

extension StoredEvent {
    /// `event` as the store would hold it at `offset` of `stream`.
    init(_ event: NewEvent, at offset: Int64, in stream: String = "tournament:t1", recordedAt: Int64 = 0) {
        self.init(stream: stream, offset: offset, name: event.name, data: event.data, recordedAt: recordedAt)
    }
}

extension TournamentState {
    /// A tournament that exists: its stream starts with `tournamentCreated`, `organiser` organising.
    static func created(
        playerLimit: Int = 4, clubs: [String]? = nil, drawRule: DrawRule = .random, organiser: String = "org"
    ) throws -> TournamentState {
        var state = TournamentState()
        let settings = try TournamentSettings(name: "Friday Cup", playerLimit: playerLimit, clubs: clubs, drawRule: drawRule)
        state.apply(StoredEvent(TournamentEvent.created(settings, organiser: organiser).stored, at: 1, recordedAt: 42))
        return state
    }

    /// The event `command` produces for `identity`, any draw made with a seeded generator.
    func decided(_ command: TournamentCommand, by identity: String, seed: UInt64 = 1) throws(CommandRejection) -> TournamentEvent {
        var generator = SplitMix64(seed: seed)
        return try self.decide(command, by: identity, using: &generator)
    }

    /// Decides `command` and folds the event in, as the stream app does with each append.
    @discardableResult
    mutating func run(_ command: TournamentCommand, by identity: String, seed: UInt64 = 1) throws -> TournamentEvent {
        let event = try self.decided(command, by: identity, seed: seed)
        self.apply(StoredEvent(event.stored, at: self.offset + 1))
        return event
    }

    /// `count` players `id0`, `id1`… join (as Player0 Surname…), and each picks the club at
    /// their place in the list when `picking`.
    mutating func fill(_ count: Int, picking: Bool = true) throws {
        for index in 0..<count {
            try self.run(.join(name: "Player\(index)", surname: "Surname"), by: "id\(index)")
        }
        guard picking, let clubs = self.settings?.clubs else { return }
        for index in 0..<count {
            try self.run(.pick(club: clubs[index], playerId: nil), by: "id\(index)")
        }
    }

    /// The draw, with a seeded generator, as pairs of player id and club.
    func draw(seed: UInt64, by identity: String = "org") throws -> [Pairing] {
        guard case .drawn(let pairs) = try self.decided(.draw, by: identity, seed: seed) else {
            Issue.record("a draw that is not `drawn`")
            return []
        }
        return pairs
    }
}

extension TournamentState {
    /// Why `command` is refused, or nil when it is not.
    func refusal(_ command: TournamentCommand, by identity: String) -> CommandRejection? {
        do {
            _ = try self.decided(command, by: identity)
            return nil
        } catch {
            return error
        }
    }
}
