public import HuddleCore
import Synchronization

/// The latest known state of the streams this replica has served, so that a command folds only
/// the events since, not the whole stream.
///
/// Bounded: past `limit` streams the least recently used one is forgotten, one at a time. Only
/// streams with events are kept, so reading streams that do not exist (a made-up board id)
/// cannot push the real ones out.
public final class StateCache<State: StreamFold>: Sendable {
    private let states: Mutex<LeastRecentlyUsed<String, State>>
    /// Events read from the store per query while catching up.
    let pageSize: Int

    public init(limit: Int = 1_000, pageSize: Int = 500) {
        self.states = Mutex(LeastRecentlyUsed(capacity: limit))
        self.pageSize = pageSize
    }

    /// `stream`'s state as of its latest event: the cached state, caught up from the store.
    public func latest(of stream: String, in log: EventLog) async throws -> State {
        var state = self.states.withLock { $0.value(for: stream) } ?? State()
        while true {
            let events = try await log.read(stream, after: state.offset, limit: self.pageSize)
            for event in events { state.apply(event) }
            if events.count < self.pageSize { break }
        }
        self.keep(state, for: stream)
        return state
    }

    func keep(_ state: State, for stream: String) {
        guard state.offset > 0 else { return }
        self.states.withLock { states in
            // Never replace a newer state with an older one (two commands catching up at once).
            if let known = states.value(for: stream), known.offset >= state.offset { return }
            states.set(state, for: stream)
        }
    }

    /// Streams held (for tests and metrics).
    var count: Int { self.states.withLock { $0.count } }
}
