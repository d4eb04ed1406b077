public import HuddleCore

/// The channel app of every ``StreamModel``: channel `kind:{id}` is the stream of that id.
///
/// A command is decided against the stream's state as of its latest offset and appended
/// expecting that offset. When another replica appended first, the state catches up and the
/// command is decided again, so the model's rules hold across replicas (the Board's soft lock:
/// a move that lost the race to someone else's move is refused as `locked`, never applied
/// over it).
///
/// On one replica the commands of one stream take turns (``StreamTurns``), so they race only
/// with other replicas'.
public struct StreamApp<Model: StreamModel>: ChannelApp {
    /// Decisions retried after losing a race to another replica before the client is told
    /// `conflict`: each race is about even, so sixteen losses in a row are a stream that
    /// another replica keeps busy for good, not bad luck.
    static var attempts: Int { 16 }

    public let log: EventLog
    let states: StateCache<Model>
    let turns = StreamTurns()
    let clock: @Sendable () -> Int64

    public init(
        log: EventLog, cacheLimit: Int = 1_000, clock: @escaping @Sendable () -> Int64 = WallClock.millisecondsSince1970
    ) {
        self.log = log
        self.states = StateCache(limit: cacheLimit)
        self.clock = clock
    }

    public var kind: String { Model.kind }

    /// The channel of the stream with `id`, or nil for an id that cannot be one.
    public func channel(_ id: String) -> ChannelName? {
        ChannelName(kind: Model.kind, id: id)
    }

    public func history(of channel: ChannelName, after offset: Int64, limit: Int) async throws -> [StoredEvent] {
        try await self.log.read(channel.description, after: offset, limit: limit)
    }

    public func head(of channel: ChannelName) async throws -> Int64 {
        try await self.log.head(of: channel.description)
    }

    public func handle(command name: String, data: JSONValue, on channel: ChannelName, as identity: Identity) async throws -> Int64 {
        try await self.run(try Model.parse(command: name, data: data), on: channel, as: identity).offset
    }

    public func admit(_ identity: Identity, to channel: ChannelName) async throws {
        try await self.state(of: channel).admit(identity)
    }

    /// Decides `command` against the latest state and appends its event expecting that
    /// state's offset; after a lost race, decides again against the newer state.
    public func run(_ command: Model.Command, on channel: ChannelName, as identity: Identity) async throws -> StoredEvent {
        try await self.turns.take(channel.description) {
            for _ in 0..<Self.attempts {
                let state = try await self.state(of: channel)
                let event = try state.decide(command, by: identity, at: self.clock())
                do {
                    let stored = try await self.log.append(event, to: channel.description, expecting: .exactly(state.offset))
                    self.remember(state, then: stored)
                    return stored
                } catch EventStoreError.conflict {
                    continue
                }
            }
            throw CommandRejection(.conflict, "\(channel) kept changing under this command; try again")
        }
    }

    /// Appends the first event of a new stream; throws a conflict if the stream has one.
    public func start(_ channel: ChannelName, with event: NewEvent) async throws -> StoredEvent {
        let stored = try await self.log.append(event, to: channel.description, expecting: .exactly(0))
        self.remember(Model(), then: stored)
        return stored
    }

    /// Caches `state` with the event just appended after it, so that the next read of the
    /// stream (the answer to this very command, usually) folds nothing again.
    private func remember(_ state: Model, then stored: StoredEvent) {
        var state = state
        state.apply(stored)
        self.states.keep(state, for: stored.stream)
    }

    /// The stream's state as of its latest event (catching up from the store first).
    public func state(of channel: ChannelName) async throws -> Model {
        try await self.states.latest(of: channel.description, in: self.log)
    }
}
