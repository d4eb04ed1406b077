/// Which tournaments exist and who organises them, for listings: a fold of the append-only
/// stream ``stream``, one `tournamentListed {id, name, organiser}` event per tournament,
/// appended (expecting any offset) after its name is claimed and before its own stream starts
/// (see ``TournamentName``).
///
/// A listing reads each tournament's state and skips entries without one (a create that
/// failed half way), as board listings do.
public struct TournamentIndex: StreamFold, Hashable {
    public static let stream = "tournament-index"

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

    /// The tournaments `identity` may see in a listing, newest first: their own; all for an admin.
    public func visible(to identity: Identity) -> [Entry] {
        self.entries.reversed().filter { identity.isAdmin || $0.organiser == identity.id }
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
