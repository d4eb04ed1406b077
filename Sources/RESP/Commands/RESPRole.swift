/// The reply to ``ROLE``.
public enum RESPRole: RESPTokenDecodable, Sendable, Hashable {
    /// A master, with its replication offset and its connected replicas.
    case master(replicationOffset: Int64, replicas: [RESPServerAddress])
    /// A replica of `master`; `state` is `connect`, `connecting`, `sync` or `connected`.
    case replica(master: RESPServerAddress, state: String)
    /// A Sentinel, with the names of the masters it monitors.
    case sentinel(masterNames: [String])

    public var isMaster: Bool {
        if case .master = self { true } else { false }
    }

    public init(fromRESP token: RESPToken) throws(RESPConversionError) {
        let fields = try [RESPToken](fromRESP: token)
        guard let kind = fields.first else { throw RESPConversionError(expected: "role", token: token) }
        switch try String(fromRESP: kind) {
        case "master":
            guard fields.count >= 3 else { throw RESPConversionError(expected: "master role", token: token) }
            var replicas: [RESPServerAddress] = []
            for replica in try [[RESPToken]](fromRESP: fields[2]) where replica.count >= 2 {
                replicas.append(RESPServerAddress(host: try String(fromRESP: replica[0]), port: try Int(fromRESP: replica[1])))
            }
            self = .master(replicationOffset: try Int64(fromRESP: fields[1]), replicas: replicas)
        case "slave", "replica":
            guard fields.count >= 4 else { throw RESPConversionError(expected: "replica role", token: token) }
            self = .replica(
                master: RESPServerAddress(host: try String(fromRESP: fields[1]), port: try Int(fromRESP: fields[2])),
                state: try String(fromRESP: fields[3])
            )
        case "sentinel":
            self = .sentinel(masterNames: fields.count > 1 ? try [String](fromRESP: fields[1]) : [])
        default:
            throw RESPConversionError(expected: "role", token: token)
        }
    }
}
