public import HuddleCore
import Synchronization

/// Seed 000's collaborative board, on the realtime core: channel `board:{id}` is the board's
/// event stream.
///
/// A command is decided against the board's state as of its latest offset and appended
/// expecting that offset. When another replica appended first, the state catches up and the
/// command is decided again, so the soft lock holds across replicas: a move that lost the
/// race to someone else's move is refused as `locked`, never applied over it.
public struct BoardApp: ChannelApp {
    public static let kind = "board"
    /// Decisions retried after losing a race before the client is told `conflict`.
    static let attempts = 5

    let store: any EventStore
    let broker: any Broker
    let clock: @Sendable () -> Int64
    private let states = BoardStates()
    private let index = KnownIndex()

    public init(store: any EventStore, broker: any Broker, clock: @escaping @Sendable () -> Int64 = WallClock.millisecondsSince1970) {
        self.store = store
        self.broker = broker
        self.clock = clock
    }

    public func history(of channel: ChannelName, after offset: Int64, limit: Int) async throws -> [StoredEvent] {
        try await self.store.read(channel.description, after: offset, limit: limit)
    }

    public func head(of channel: ChannelName) async throws -> Int64 {
        try await self.store.head(of: channel.description)
    }

    public func handle(
        command name: String, data: JSONValue, on channel: ChannelName, by member: PresenceMember, as identity: Identity
    ) async throws -> Int64 {
        let command = try BoardCommand.parse(name: name, data: data, newID: Self.newID)
        // Guests are told apart by connection; signed-in users by account, across tabs.
        let actor = identity.isGuest ? member.id : identity.id
        return try await self.run(command, on: channel, by: actor, as: identity).offset
    }

    /// Only boards that exist can be joined: a channel for any made-up id would otherwise be a
    /// free relay for presence and signals.
    public func admit(_ identity: Identity, to channel: ChannelName) async throws {
        let state = try await self.state(of: channel)
        if state.deleted { throw CommandRejection(code: "gone", message: "this board was deleted") }
        guard state.exists else { throw CommandRejection(code: "not_found", message: "there is no such board") }
    }

    /// Decides `command` against the latest state and appends its event expecting that
    /// state's offset; after a lost race, decides again against the newer state.
    public func run(
        _ command: BoardCommand, on channel: ChannelName, by actor: String, as identity: Identity
    ) async throws -> StoredEvent {
        for _ in 0..<Self.attempts {
            let state = try await self.state(of: channel)
            let event = try state.decide(command, by: actor, at: self.clock(), manager: state.mayManage(identity))
            do {
                return try await self.append(event.stored, to: channel, expecting: state.offset)
            } catch EventStoreError.conflict {
                continue
            }
        }
        throw CommandRejection(code: "conflict", message: "the board kept changing under this command; try again")
    }

    /// Creates a board and returns its id.
    /// Listed in the index first: a board whose creation then fails is an entry without a
    /// board, which listings skip; never a board missing from its owner's list.
    public func create(name: String, owner: Identity) async throws -> (id: String, event: StoredEvent) {
        let id = Self.newID()
        let channel = ChannelName(kind: Self.kind, id: id)!
        let creation = try BoardState.creation(name: name, owner: owner.id)
        _ = try await self.store.append(BoardIndex.listing(id: id, owner: owner.id), to: BoardIndex.stream, expecting: .any)
        let stored = try await self.append(creation, to: channel, expecting: 0)
        return (id, stored)
    }

    /// The boards `identity` may list (their own; all for an admin), newest first, at most
    /// `limit`, each with its current state.
    public func list(for identity: Identity, limit: Int) async throws -> [(id: String, state: BoardState)] {
        var index = self.index.latest
        while true {
            let events = try await self.store.read(BoardIndex.stream, after: index.offset, limit: 1_000)
            for event in events { index.apply(event) }
            if events.count < 1_000 { break }
        }
        let caughtUp = index
        self.index.keep(caughtUp)

        var boards: [(id: String, state: BoardState)] = []
        for entry in caughtUp.visible(to: identity) where boards.count < limit {
            guard let channel = ChannelName(kind: Self.kind, id: entry.id) else { continue }
            let state = try await self.state(of: channel)
            if state.exists { boards.append((entry.id, state)) }
        }
        return boards
    }

    /// The board as of its latest event (catching up from the store first).
    public func state(of channel: ChannelName) async throws -> BoardState {
        var state = self.states.cached(channel.description) ?? BoardState()
        while true {
            let events = try await self.store.read(channel.description, after: state.offset, limit: 500)
            for event in events { state.apply(event) }
            if events.count < 500 { break }
        }
        self.states.keep(state, for: channel.description)
        return state
    }

    private func append(_ event: NewEvent, to channel: ChannelName, expecting offset: Int64) async throws -> StoredEvent {
        let stored = try await self.store.append(event, to: channel.description, expecting: .exactly(offset))
        await self.broker.ring(
            BrokerMessage(kind: .event, offset: stored.offset, frame: ServerFrame.event(stored).text), on: channel.description)
        return stored
    }

    @Sendable static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(generator.next() as UInt64, radix: 36)
    }
}

/// The latest known state of each board this replica has served, so that a command folds
/// only the events since, not the whole stream. Bounded: forgets everything past a limit.
final class BoardStates: Sendable {
    private let states = Mutex<[String: BoardState]>([:])
    static let limit = 1_000

    func cached(_ stream: String) -> BoardState? {
        self.states.withLock { $0[stream] }
    }

    func keep(_ state: BoardState, for stream: String) {
        self.states.withLock { states in
            if states.count >= Self.limit, states[stream] == nil { states.removeAll(keepingCapacity: true) }
            // Never replace a newer state with an older one (two commands catching up at once).
            if let known = states[stream], known.offset > state.offset { return }
            states[stream] = state
        }
    }
}

/// The board index as far as this replica has read it.
final class KnownIndex: Sendable {
    private let index = Mutex(BoardIndex())

    var latest: BoardIndex { self.index.withLock { $0 } }

    func keep(_ index: BoardIndex) {
        self.index.withLock { if $0.offset < index.offset { $0 = index } }
    }
}
