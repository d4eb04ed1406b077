import Hummingbird

extension TrustedProxies {
    /// The client's address, for per-address limits: the TCP peer, or what a trusted proxy says
    /// in `X-Forwarded-For` (anyone else can send that header).
    func client(of request: Request, _ context: AppRequestContext) -> String {
        let peer = context.channel.remoteAddress?.ipAddress ?? "unknown"
        return self.client(peer: peer, forwardedFor: request.headers[values: .xForwardedFor])
    }
}
