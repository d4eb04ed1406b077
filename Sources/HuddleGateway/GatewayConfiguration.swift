/// Limits of the realtime gateway (keys under `ws.`).
///
/// - `ws.max-message` (default 65536): largest message a client may send, in bytes (close 1009)
/// - `ws.commands-per-second` (50) and `ws.command-burst` (100): commands and signals per connection
/// - `ws.send-buffer` (1048576): bytes queued for a client and not yet taken by its socket before
///   it counts as a slow consumer (close 4000)
/// - `ws.max-channels` (100): channels one connection may subscribe to
/// - `ws.ping-interval` (30): seconds between the server's pings; a client that has sent
///   nothing (not even the pong) for a whole interval after one is dropped
public struct GatewayConfiguration: Sendable {
    public var maxMessageSize = 64 * 1024
    public var commandsPerSecond = 50
    public var commandBurst = 100
    public var sendBufferLimit = 1 << 20
    public var maxChannelsPerConnection = 100
    public var pingInterval = 30.0
    /// Seconds a client has to answer the server's close frame before the socket is dropped.
    public var closeTimeout = 5.0
    /// Rate-limited or malformed frames a connection may send at once before it is closed with
    /// 1008; after that, one per `violationWindow / violationLimit` seconds.
    public var violationLimit = 20
    /// Seconds over which `violationLimit` bad frames are allowed (20 per 10 s: 2 a second).
    public var violationWindow = 10.0
    /// Events read from history per store query during replay and catch-up.
    public var replayPageSize = 500

    public init() {}
}
