#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Who holds a tournament's name: the fold of stream `tournament-name:{digest}`, the digest
/// being of the name's ``key(_:)``. Its one event, `nameClaimed {id, name, organiser}`, is
/// appended expecting an empty stream, so that of two creates of one name, on any replicas,
/// exactly one claims it, and the other folds the claim and is refused `name_taken`. Creates of
/// different names never contend (one stream for every name would make each create wait its
/// turn).
///
/// The routes create a tournament so:
/// 1. `TournamentSettings(name:playerLimit:clubs:drawRule:)` checks the input (400 with `fields`).
/// 2. Fold the name's stream and ``decide(creating:id:by:)`` with a fresh `RandomID`.
/// 3. When ``Creation/claim`` is set, append it expecting offset 0; after a conflict, fold
///    again and go back to 2.
/// 4. Append ``Creation/listing`` to the ``TournamentIndex`` (for listings) and, at the same
///    time, start `tournament:{id}` with ``Creation/created`` expecting an empty stream; once
///    both are stored, answer 201.
///
/// Claimed first so that a name is never given twice. Should the store fail between 3 and 4,
/// the organiser asking again resumes with the id they hold (``Creation/claim`` is then nil);
/// anyone else is told `name_taken`, and a tournament that already started is `name_taken` too.
public struct TournamentName: StreamFold, Hashable {
    public struct Claim: Sendable, Hashable {
        public var id: String
        /// Trimmed, as the organiser spelled it.
        public var name: String
        /// The identity id of whoever created it.
        public var organiser: String
    }

    /// The events that create a tournament.
    public struct Creation: Sendable, Hashable {
        public var id: String
        /// For the name's stream; nil when the organiser already holds the name (resuming).
        public var claim: NewEvent?
        /// For the ``TournamentIndex``.
        public var listing: NewEvent
        /// The first event of `tournament:{id}`.
        public var created: NewEvent
    }

    public static let streamPrefix = "tournament-name:"

    /// nil while the name is free.
    public private(set) var claim: Claim?
    public private(set) var offset: Int64 = 0

    public init() {}

    /// What two names are compared by: trimmed, then case folded (``TournamentLimits``). The
    /// stream's digest is of this.
    public static func key(_ name: String) -> String {
        TournamentLimits.key(TournamentLimits.trimmed(name))
    }

    /// The stream of the name whose key has `digest` (hex, from the routes' hash).
    public static func stream(digest: String) -> String {
        Self.streamPrefix + digest
    }

    /// The events that create a tournament named by `settings` for `organiser`, with `id`
    /// unless they hold the name already; refused `name_taken` when someone else does.
    public func decide(creating settings: TournamentSettings, id: String, by organiser: Identity) throws(CommandRejection) -> Creation {
        if let claim = self.claim, claim.organiser != organiser.id {
            throw CommandRejection(.nameTaken, "there is already a tournament called \(claim.name)")
        }
        let id = self.claim?.id ?? id
        let claim = self.claim == nil
            ? NewEvent(name: "nameClaimed", data: Self.body(id: id, name: settings.name, organiser: organiser.id))
            : nil
        return Creation(
            id: id, claim: claim,
            listing: TournamentIndex.listing(id: id, name: settings.name, organiser: organiser.id),
            created: TournamentEvent.created(settings, organiser: organiser.id).stored)
    }

    /// Folds the claim in; later events (none are written) and unreadable ones are skipped.
    public mutating func apply(_ event: StoredEvent) {
        self.offset = event.offset
        guard self.claim == nil, event.name == "nameClaimed", let claim = Self.entry(event.data) else { return }
        self.claim = Claim(id: claim.id, name: claim.name, organiser: claim.organiser)
    }

    static func body(id: String, name: String, organiser: String) -> String {
        JSONValue.object(["id": .string(id), "name": .string(name), "organiser": .string(organiser)]).jsonText
    }

    /// The `{id, name, organiser}` of a claim or a listing.
    static func entry(_ text: String) -> (id: String, name: String, organiser: String)? {
        guard let data = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)),
            let id = data["id"]?.stringValue, let name = data["name"]?.stringValue,
            let organiser = data["organiser"]?.stringValue
        else { return nil }
        return (id, name, organiser)
    }
}

extension RejectionCode {
    /// Another tournament has this name (case-insensitively, after trimming).
    public static let nameTaken = Self("name_taken", httpStatus: 409)
}
