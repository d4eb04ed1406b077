/// Why the master could not be found through Sentinel.
public struct RESPSentinelError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        /// No Sentinel answered (all unreachable, timed out, or refused the password).
        case noSentinelReachable
        /// Sentinels answered but none knows the master name.
        case masterUnknown
        /// The announced master kept reporting another role (failover still in progress).
        case notMaster
    }

    public var code: Code

    public init(_ code: Code) {
        self.code = code
    }

    public static let noSentinelReachable = RESPSentinelError(.noSentinelReachable)
    public static let masterUnknown = RESPSentinelError(.masterUnknown)
    public static let notMaster = RESPSentinelError(.notMaster)

    public var description: String { "Sentinel: \(self.code.rawValue)" }
}
