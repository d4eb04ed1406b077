/// Where a client finds its server.
public enum RESPEndpoint: Sendable, Hashable {
    /// One server at a fixed address.
    case standalone(RESPServerAddress)
    /// The master that Sentinels announce; followed across failovers.
    case sentinel(RESPSentinelConfiguration)
}
