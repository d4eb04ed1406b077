/// The durable, ordered log of every stream: the source of truth of every app.
///
/// Contract (checked by the shared suite in `HuddleStorageTests` against every backend):
/// - offsets of a stream are 1, 2, 3… with no gap and no duplicate, whoever appends;
/// - an append with ``ExpectedOffset/exactly(_:)`` that does not match the head throws
///   ``EventStoreError/conflict(stream:expected:actual:)`` and changes nothing;
/// - an append that returned has been committed durably.
public protocol EventStore: Sendable {
    /// Appends one event and returns it as stored.
    func append(_ event: NewEvent, to stream: String, expecting expected: ExpectedOffset) async throws -> StoredEvent
    /// Events with offset greater than `offset`, oldest first, at most `limit` of them.
    func read(_ stream: String, after offset: Int64, limit: Int) async throws -> [StoredEvent]
    /// The offset of the stream's last event, 0 for an empty stream.
    func head(of stream: String) async throws -> Int64
}

/// Errors every ``EventStore`` backend reports the same way.
public enum EventStoreError: Error, Equatable, Sendable {
    /// Someone else appended first: the head is `actual`, not `expected`.
    case conflict(stream: String, expected: Int64, actual: Int64)
    /// The backend cannot be reached (a restarted database, a full disk); nothing was appended.
    case unavailable(String)
}

extension EventStore {
    /// Appends without an expected offset.
    public func append(_ event: NewEvent, to stream: String) async throws -> StoredEvent {
        try await self.append(event, to: stream, expecting: .any)
    }
}
