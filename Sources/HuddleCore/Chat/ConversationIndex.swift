#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Which conversations exist and whose they are, for listings (a customer's own conversations,
/// the agents' queue): a fold of the append-only stream ``stream``, one
/// `conversationListed {id, customer}` event per conversation, appended before the
/// conversation's own stream starts (as boards are listed).
///
/// A listing reads each conversation's state and skips entries without one (a start that
/// failed half way). Status is not kept here: the conversation's own stream is its one truth.
public struct ConversationIndex: StreamFold, Hashable {
    public static let stream = "chat-index"

    public struct Entry: Sendable, Hashable {
        public var id: String
        /// The identity id of the customer.
        public var customer: String
    }

    /// Oldest first, each id once.
    public private(set) var entries: [Entry] = []
    public private(set) var offset: Int64 = 0
    private var ids: Set<String> = []

    public init() {}

    public static func listing(id: String, customer: String) -> NewEvent {
        NewEvent(name: "conversationListed", data: JSONValue.object(["id": .string(id), "customer": .string(customer)]).jsonText)
    }

    /// The conversations `identity` may see, newest first: a customer's own; all of them for
    /// agents and admins.
    public func visible(to identity: Identity) -> [Entry] {
        let everyone = identity.isAgent || identity.isAdmin
        return self.entries.reversed().filter { everyone || $0.customer == identity.id }
    }

    /// Folds one stored event in; others are skipped, but the offset moves. An id listed again
    /// keeps its first entry.
    public mutating func apply(_ event: StoredEvent) {
        self.offset = event.offset
        guard event.name == "conversationListed",
            let data = try? JSONDecoder().decode(JSONValue.self, from: Data(event.data.utf8)),
            let id = data["id"]?.stringValue, let customer = data["customer"]?.stringValue,
            self.ids.insert(id).inserted
        else { return }
        self.entries.append(Entry(id: id, customer: customer))
    }
}
