/// The tournaments one identity organises, for their listing: a fold of the append-only
/// stream ``stream(of:)``, one `tournamentListed {id, name, organiser}` event per tournament,
/// appended (expecting any offset) after its name is claimed, as its own stream starts (see
/// ``TournamentName``).
///
/// One stream per organiser, not one for everybody: every create appends to it, and one
/// stream that every create on every replica appends to is a queue they all wait in (on
/// PostgreSQL, 120 clients creating at once timed out). A listing reads each tournament's
/// state and skips entries without one (a create that failed half way), as board listings do.
public struct TournamentIndex: StreamFold, Hashable {
    /// The listing of the organiser with identity id `organiser`.
    public static func stream(of organiser: String) -> String {
        "tournament-index:" + organiser
    }

    public struct Entry: Sendable, Hashable {
        public var id: String
        /// Trimmed, as the organiser spelled it.
        public var name: String
        /// The identity id of whoever created it.
        public var organiser: String
    }

    /// Oldest first, each id once.
    public private(set) var entries: [Entry] = []
    public private(set) var offset: Int64 = 0
    private var ids: Set<String> = []

    public init() {}

    public static func listing(id: String, name: String, organiser: String) -> NewEvent {
        NewEvent(name: "tournamentListed", data: TournamentName.body(id: id, name: name, organiser: organiser))
    }

    /// The tournaments listed, newest first, that `organiser` (an identity id) organises: all of
    /// them, in the stream of that organiser.
    public func newestFirst(of organiser: String) -> [Entry] {
        self.entries.reversed().filter { $0.organiser == organiser }
    }

    /// Folds one stored event in; others are skipped, but the offset moves. An id listed again
    /// (an organiser resuming a create that failed half way) keeps its first entry.
    public mutating func apply(_ event: StoredEvent) {
        self.offset = event.offset
        guard event.name == "tournamentListed", let entry = TournamentName.entry(event.data),
            self.ids.insert(entry.id).inserted
        else { return }
        self.entries.append(Entry(id: entry.id, name: entry.name, organiser: entry.organiser))
    }
}
