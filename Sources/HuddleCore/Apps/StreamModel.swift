/// A state that is a fold of one stream's events, oldest first.
public protocol StreamFold: Sendable {
    /// The state of an empty stream.
    init()
    /// The offset of the last event folded in (0 for none).
    var offset: Int64 { get }
    /// Folds one more event in. Events it does not know are skipped (a newer replica may have
    /// written them), but the offset still moves.
    mutating func apply(_ event: StoredEvent)
}

/// The pure domain of an app whose channel is a durable event stream (`board:{id}`): all an
/// app has to say, because the gateway's generic stream app does the rest (cached state,
/// catch-up from the store, decide → append expecting the state's offset → retry after a lost
/// race, the doorbell, admission).
///
/// Decisions are made against the state as of its latest offset and appended expecting that
/// offset, so two replicas racing on one stream cannot both win: the loser decides again
/// against the newer state, and may then be refused.
public protocol StreamModel: StreamFold {
    associatedtype Command: Sendable

    /// The channel kind, `board` for `board:{id}`.
    static var kind: String { get }

    /// Reads a realtime command (`name` and JSON `data`), or explains what is wrong with it.
    static func parse(command name: String, data: JSONValue) throws(CommandRejection) -> Command

    /// The event `command` produces when `identity` asks at `now` (ms since 1970), or why it is
    /// refused.
    func decide(_ command: Command, by identity: Identity, at now: Int64) throws(CommandRejection) -> NewEvent

    /// Whether `identity` may subscribe (and so appear in presence and signal): throws when not.
    func admit(_ identity: Identity) throws(CommandRejection)
}

extension StreamModel {
    public func admit(_ identity: Identity) throws(CommandRejection) {}
}

/// Ids for things apps create (boards, boxes): random, base 36.
public enum RandomID {
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(generator.next() as UInt64, radix: 36)
    }
}
