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
    /// Rate-limited or malformed frames a connection may send at once before it is closed with
    /// 1008; after that, one per `violationWindow / violationLimit` seconds.
    public var violationLimit = 20
    /// Seconds over which `violationLimit` bad frames are allowed (20 per 10 s: 2 a second).
    public var violationWindow = 10.0
    /// Events read from history per store query during replay and catch-up.
    public var replayPageSize = 500

    public init() {}
}
