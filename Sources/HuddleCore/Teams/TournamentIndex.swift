#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Which tournaments exist, by name: a fold of the append-only stream ``stream``, one
/// `tournamentListed {id, name, organiser}` event per tournament, written before the
/// tournament's own stream.
///
/// Unlike the board index it decides something: a tournament's name is unique
/// case-insensitively after trimming, and appending to this one stream expecting its offset
/// is what makes that hold across replicas. The routes create a tournament so:
/// 1. `TournamentSettings(name:playerLimit:clubs:drawRule:)` checks the input (400 with `fields`).
/// 2. Fold the index (a `StateCache<TournamentIndex>`) and ``decide(creating:id:by:)`` with a
///    fresh `RandomID`: the ``Creation``, or `name_taken`.
/// 3. Append `creation.listing` to ``stream`` expecting the folded index's offset; after a
///    conflict, catch up and go back to 2, as `StreamApp.run` does for a channel: of two creates
///    of one name the loser is then refused `name_taken`.
/// 4. Start `tournament:{id}` with `creation.created` (`StreamApp.start`, expecting an empty
///    stream), and answer 201.
///
/// Listed first so that a name is never given twice; the price is that a failure between 3 and
/// 4 (the store went away) leaves the name held by an entry without a tournament. Listings
/// skip such entries, as board listings do (they read each tournament's state), and
/// ``entry(named:)`` lets a route see that the organiser asking again is the one who holds it.
public struct TournamentIndex: StreamFold, Hashable {
    public static let stream = "tournament-index"

    public struct Entry: Sendable, Hashable {
        public var id: String
        /// Trimmed, as the organiser spelled it.
        public var name: String
        /// The identity id of whoever created it.
        public var organiser: String
    }

    /// Both events of a new tournament: the index's, then the first of the tournament's stream.
    public struct Creation: Sendable, Hashable {
        public var id: String
        public var listing: NewEvent
        public var created: NewEvent
    }

    /// Oldest first.
    public private(set) var entries: [Entry] = []
    public private(set) var offset: Int64 = 0
    /// Name keys (``TournamentLimits/key(_:)``) to places in `entries`.
    private var byName: [String: Int] = [:]
    private var ids: Set<String> = []

    public init() {}

    /// The tournament whose name is `name` case-insensitively after trimming, if there is one.
    public func entry(named name: String) -> Entry? {
        self.byName[TournamentLimits.key(TournamentLimits.trimmed(name))].map { self.entries[$0] }
    }

    /// The tournaments `identity` may see in a listing, newest first: their own; all for an admin.
    public func visible(to identity: Identity) -> [Entry] {
        self.entries.reversed().filter { identity.isAdmin || $0.organiser == identity.id }
    }

    /// The events that create tournament `id` with `settings`, `organiser` organising; refused
    /// `name_taken` when another tournament has the name.
    public func decide(creating settings: TournamentSettings, id: String, by organiser: Identity) throws(CommandRejection) -> Creation {
        if let holder = self.entry(named: settings.name) {
            throw CommandRejection(.nameTaken, "there is already a tournament called \(holder.name)")
        }
        guard !self.ids.contains(id) else { throw CommandRejection(.conflict, "tournament \(id) exists already") }
        return Creation(
            id: id,
            listing: NewEvent(name: "tournamentListed", data: JSONValue.object([
                "id": .string(id), "name": .string(settings.name), "organiser": .string(organiser.id),
            ]).jsonText),
            created: TournamentEvent.created(settings, organiser: organiser.id).stored)
    }

    /// Folds one stored event in; others are skipped, but the offset moves. Should the stream
    /// ever hold a name twice (an append that did not expect the offset), the first keeps it.
    public mutating func apply(_ event: StoredEvent) {
        self.offset = event.offset
        guard event.name == "tournamentListed",
            let data = try? JSONDecoder().decode(JSONValue.self, from: Data(event.data.utf8)),
            let id = data["id"]?.stringValue, let name = data["name"]?.stringValue,
            let organiser = data["organiser"]?.stringValue,
            self.ids.insert(id).inserted
        else { return }
        self.byName[TournamentLimits.key(name)] = self.byName[TournamentLimits.key(name)] ?? self.entries.count
        self.entries.append(Entry(id: id, name: name, organiser: organiser))
    }
}

extension RejectionCode {
    /// Another tournament has this name (case-insensitively, after trimming).
    public static let nameTaken = Self("name_taken", httpStatus: 409)
}
