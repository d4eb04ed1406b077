/// An event as the store holds it: immutable, at a gap-free `offset` (1, 2, 3…) in its stream.
public struct StoredEvent: Sendable, Hashable {
    /// The stream's name, e.g. `board:42`; also the realtime channel its subscribers use.
    public var stream: String
    /// 1 for a stream's first event; each append adds exactly one.
    public var offset: Int64
    /// What happened, e.g. `boxMoved`.
    public var name: String
    /// The event's body as JSON text. Kept as text so that fan-out can embed it without re-encoding.
    public var data: String
    /// Milliseconds since 1970 when the store committed the event; nil when not known (a
    /// counter's current value, replayed, is the last increment's, whose time is not kept).
    public var recordedAt: Int64?

    public init(stream: String, offset: Int64, name: String, data: String, recordedAt: Int64?) {
        self.stream = stream
        self.offset = offset
        self.name = name
        self.data = data
        self.recordedAt = recordedAt
    }
}

/// An event a command wants appended; the store gives it its offset.
public struct NewEvent: Sendable, Hashable {
    public var name: String
    /// JSON text; callers encode it (see ``JSONValue``).
    public var data: String

    public init(name: String, data: String) {
        self.name = name
        self.data = data
    }
}

/// Optimistic concurrency for ``EventStore/append(_:to:expecting:)``.
public enum ExpectedOffset: Sendable, Hashable {
    /// Append whatever the stream's head is.
    case any
    /// Append only if the stream's head is exactly this offset (0: the stream must be empty).
    case exactly(Int64)
}
