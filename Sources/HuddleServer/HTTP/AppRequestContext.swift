public import Hummingbird
public import HummingbirdWebSocket
public import NIOCore

/// The request context of every Huddle route, HTTP and WebSocket alike.
public struct AppRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    /// The connection, so that the gateway can cut off a client that stopped reading.
    public let channel: any Channel
    /// Set by ``RequestMiddleware``; returned in `X-Request-Id` and every error body.
    public var requestID = ""

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.channel = source.channel
    }
}
