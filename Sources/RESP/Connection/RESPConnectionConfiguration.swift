public import NIOSSL

/// How to open and use one connection.
public struct RESPConnectionConfiguration: Sendable {
    /// Which protocol to ask for.
    public enum ProtocolVersion: Sendable, Hashable {
        /// `HELLO 3`, falling back to RESP2 when the server does not know HELLO.
        case resp3
        /// Plain RESP2 (`AUTH`, no `HELLO`): for old servers and for Sentinels.
        case resp2
    }

    /// TLS towards the server.
    public struct TLS: Sendable {
        public var context: NIOSSLContext
        /// The name to verify the certificate against and send as SNI; nil uses the host.
        public var serverHostname: String?

        public init(context: NIOSSLContext, serverHostname: String? = nil) {
            self.context = context
            self.serverHostname = serverHostname
        }
    }

    public var authentication: RESPAuthentication?
    /// The logical database (`SELECT`), 0 by default.
    public var database: Int
    public var protocolVersion: ProtocolVersion
    /// Sent with `HELLO … SETNAME` (RESP3 only), shown by `CLIENT LIST`.
    public var clientName: String?
    /// Per command: with no reply in this time the connection is closed.
    public var commandTimeout: Duration
    /// TCP connect plus handshake.
    public var connectTimeout: Duration
    public var tls: TLS?
    public var decodingLimits: RESPDecodingLimits

    public init(
        authentication: RESPAuthentication? = nil,
        database: Int = 0,
        protocolVersion: ProtocolVersion = .resp3,
        clientName: String? = nil,
        commandTimeout: Duration = .seconds(5),
        connectTimeout: Duration = .seconds(5),
        tls: TLS? = nil,
        decodingLimits: RESPDecodingLimits = .default
    ) {
        self.authentication = authentication
        self.database = database
        self.protocolVersion = protocolVersion
        self.clientName = clientName
        self.commandTimeout = commandTimeout
        self.connectTimeout = connectTimeout
        self.tls = tls
        self.decodingLimits = decodingLimits
    }
}
