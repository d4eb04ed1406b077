#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Which boards exist and who created them: a fold of the append-only stream ``stream``,
/// one `boardListed {id, owner}` event per board, written before the board's own stream.
///
/// Names and deletions are not kept here: the board's own stream is the one truth about
/// them, so a listing reads each board's state and drops the ones that do not exist (an
/// index entry whose board was never created, or was deleted).
public struct BoardIndex: StreamFold, Hashable {
    public static let stream = "board-index"

    public struct Entry: Sendable, Hashable {
        public var id: String
        public var owner: String
    }

    /// Oldest first.
    public private(set) var entries: [Entry] = []
    public private(set) var offset: Int64 = 0

    public init() {}

    public static func listing(id: String, owner: String) -> NewEvent {
        NewEvent(name: "boardListed", data: JSONValue.object(["id": .string(id), "owner": .string(owner)]).jsonText)
    }

    public mutating func apply(_ event: StoredEvent) {
        self.offset = event.offset
        guard event.name == "boardListed",
            let data = try? JSONDecoder().decode(JSONValue.self, from: Data(event.data.utf8)),
            let id = data["id"]?.stringValue, let owner = data["owner"]?.stringValue
        else { return }
        self.entries.append(Entry(id: id, owner: owner))
    }

    /// The boards `identity` may see in a listing, newest first: their own; every board for an admin.
    public func visible(to identity: Identity) -> [Entry] {
        self.entries.reversed().filter { identity.isAdmin || $0.owner == identity.id }
    }
}
