import NIOCore
import NIOHTTP1
import NIOPosix

/// One keep-alive HTTP/1.1 connection for the load generators: one request at a time, the
/// whole response body read. Small on purpose (no redirects, no TLS, no chunked uploads):
/// it talks to Huddle or its load balancer on the local network.
struct HTTPConnection {
    struct Response {
        var status: Int
        var body: String
    }

    struct Closed: Error {}

    private var inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>
    private let host: String

    /// Connects to `target`, runs `body` with the connection, and closes it.
    static func with<T: Sendable>(
        _ target: BenchTarget, _ body: (inout HTTPConnection) async throws -> T
    ) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: target.host, port: target.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var connection = HTTPConnection(
                inbound: inbound.makeAsyncIterator(), outbound: outbound, host: "\(target.host):\(target.port)")
            return try await body(&connection)
        }
    }

    mutating func request(
        _ method: HTTPMethod, _ path: String, json: String? = nil, token: String? = nil, headers extra: [(String, String)] = []
    ) async throws -> Response {
        var headers = HTTPHeaders([("Host", self.host), ("Content-Length", "\(json?.utf8.count ?? 0)")] + extra)
        if json != nil { headers.add(name: "Content-Type", value: "application/json") }
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        try await self.outbound.write(.head(HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)))
        if let json { try await self.outbound.write(.body(.byteBuffer(ByteBuffer(string: json)))) }
        try await self.outbound.write(.end(nil))

        var status = 0
        var body = ByteBuffer()
        while let part = try await self.inbound.next() {
            switch part {
            case .head(let head): status = Int(head.status.code)
            case .body(var chunk): body.writeBuffer(&chunk)
            case .end: return Response(status: status, body: String(buffer: body))
            }
        }
        throw Closed()
    }
}

/// Where a load generator sends its traffic: a replica or the load balancer.
struct BenchTarget: Sendable, CustomStringConvertible {
    var host: String
    var port: Int

    /// `http://host:port` (a trailing path is ignored).
    init?(url: String) {
        guard url.hasPrefix("http://") else { return nil }
        let rest = url.dropFirst("http://".count).prefix { $0 != "/" }
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
            (1...65535).contains(port), colon > rest.startIndex
        else { return nil }
        self.host = String(rest[..<colon])
        self.port = port
    }

    var description: String { "http://\(self.host):\(self.port)" }
    var realtime: String { "ws://\(self.host):\(self.port)/api/v1/realtime" }
}
