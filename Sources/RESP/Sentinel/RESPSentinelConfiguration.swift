/// Where the Sentinels are and which master to ask them for.
public struct RESPSentinelConfiguration: Sendable, Hashable {
    public var sentinels: [RESPServerAddress]
    public var masterName: String
    /// Credentials of the Sentinels themselves, which may differ from the data nodes'.
    public var authentication: RESPAuthentication?
    /// Connect plus query, per Sentinel: a dead one must not hold up the others for long.
    public var queryTimeout: Duration
    /// How often to retry when the announced master's `ROLE` is not master yet.
    public var roleCheckAttempts: Int
    /// The pause between those retries.
    public var roleCheckPause: Duration

    public init(
        sentinels: [RESPServerAddress],
        masterName: String,
        authentication: RESPAuthentication? = nil,
        queryTimeout: Duration = .milliseconds(500),
        roleCheckAttempts: Int = 10,
        roleCheckPause: Duration = .milliseconds(500)
    ) {
        self.sentinels = sentinels
        self.masterName = masterName
        self.authentication = authentication
        self.queryTimeout = queryTimeout
        self.roleCheckAttempts = roleCheckAttempts
        self.roleCheckPause = roleCheckPause
    }
}
