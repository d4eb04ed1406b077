/// How a ``RESPClient`` connects and behaves.
public struct RESPClientConfiguration: Sendable {
    /// Every data connection (pooled and subscription).
    public var connection: RESPConnectionConfiguration
    /// The most pooled connections at once (the subscription connection is extra).
    public var maximumConnections: Int
    /// How often ``RESPClient/execute(_:)`` retries *opening* a connection before giving up.
    /// A command that was written is never retried: its outcome is unknown.
    public var connectAttempts: Int
    /// Between reconnect attempts.
    public var backoff: RESPBackoff
    /// How long ``RESPClient/subscribe(to:deliver:)`` waits for Redis to confirm.
    public var subscribeTimeout: Duration
    /// Messages a closure-scoped subscription buffers before it ends as too slow.
    public var subscriptionBufferSize: Int

    public init(
        connection: RESPConnectionConfiguration = RESPConnectionConfiguration(),
        maximumConnections: Int = 8,
        connectAttempts: Int = 3,
        backoff: RESPBackoff = RESPBackoff(),
        subscribeTimeout: Duration = .seconds(10),
        subscriptionBufferSize: Int = 1024
    ) {
        self.connection = connection
        self.maximumConnections = maximumConnections
        self.connectAttempts = connectAttempts
        self.backoff = backoff
        self.subscribeTimeout = subscribeTimeout
        self.subscriptionBufferSize = subscriptionBufferSize
    }
}
