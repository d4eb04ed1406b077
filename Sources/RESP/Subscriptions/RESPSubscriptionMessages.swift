/// The messages of a closure-scoped subscription, in order, from a bounded buffer.
///
/// If the consumer falls so far behind that the buffer is full, the sequence ends by
/// throwing ``RESPSubscriptionError/consumerTooSlow``: memory never grows without bound.
public struct RESPSubscriptionMessages: AsyncSequence, Sendable {
    public typealias Element = RESPSubscriptionMessage
    public typealias Failure = any Error

    let stream: AsyncThrowingStream<RESPSubscriptionMessage, any Error>

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(underlying: self.stream.makeAsyncIterator())
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var underlying: AsyncThrowingStream<RESPSubscriptionMessage, any Error>.AsyncIterator

        public mutating func next() async throws -> RESPSubscriptionMessage? {
            try await self.underlying.next()
        }
    }

    /// A sequence and the callback that feeds it, with room for `capacity` messages.
    static func makeBounded(
        capacity: Int
    ) -> (messages: RESPSubscriptionMessages, feed: @Sendable (RESPSubscriptionMessage) -> Void, finish: @Sendable () -> Void) {
        let (stream, continuation) = AsyncThrowingStream.makeStream(
            of: RESPSubscriptionMessage.self,
            bufferingPolicy: .bufferingOldest(Swift.max(capacity, 1))
        )
        let feed: @Sendable (RESPSubscriptionMessage) -> Void = { message in
            if case .dropped = continuation.yield(message) {
                continuation.finish(throwing: RESPSubscriptionError.consumerTooSlow)
            }
        }
        return (RESPSubscriptionMessages(stream: stream), feed, { continuation.finish() })
    }
}
