/// Limits of the realtime gateway (keys under `ws.`).
///
/// - `ws.max-message` (default 65536): largest message a client may send, in bytes (close 1009)
/// - `ws.commands-per-second` (50) and `ws.command-burst` (100): commands and signals per connection
/// - `ws.send-queue` (1024): frames queued for a client before it counts as a slow consumer (close 4000)
/// - `ws.max-channels` (100): channels one connection may subscribe to
public struct GatewayConfiguration: Sendable {
    public var maxMessageSize = 64 * 1024
    public var commandsPerSecond = 50
    public var commandBurst = 100
    public var sendQueueLimit = 1024
    public var maxChannelsPerConnection = 100
    /// Rate-limited or malformed frames in a row before the connection is closed with 1008.
    public var violationLimit = 20
    /// Events read from history per store query during replay and catch-up.
    public var replayPageSize = 500

    public init() {}
}
