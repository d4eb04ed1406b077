import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1 child channel with the realtime WebSocket upgrade in front of it.
///
/// The first request of a connection may upgrade (``RealtimeUpgrader``): the HTTP handlers are
/// then removed and the gateway's NIO transport runs the socket on its event loop, with no task
/// of the HTTP server holding it. Every other request, a refused upgrade included, goes to the
/// router as usual.
struct RealtimeUpgradeChannel: ServerChildChannel, HTTPChannelHandler {
    enum Negotiated: Sendable {
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        /// The gateway has the channel.
        case realtime
    }

    struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<Negotiated>
        let channel: any Channel
    }

    let responder: HTTPChannelHandler.Responder
    let configuration: HTTP1Channel.Configuration
    let admission: RealtimeAdmission

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let refused = NIOLoopBoundBox<HTTPRequestHead?>(nil, eventLoop: channel.eventLoop)
            let upgrader = RealtimeUpgrader(
                admission: self.admission, admitted: NIOLoopBoundBox(nil, eventLoop: channel.eventLoop), refused: refused)
            let upgrade = NIOTypedHTTPServerUpgradeConfiguration<Negotiated>(
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                        try pipeline.addHandlers(self.configuration.additionalChannelHandlers())
                        try pipeline.addHandler(
                            HTTPConnectionStateHandler(idleTimeout: self.configuration.idleTimeout.map { .init($0) }, logger: logger))
                        if refused.value != nil {
                            // NIO's HTTP parser reads no further requests after an upgrade
                            // request: the answer is the connection's last.
                            try pipeline.addHandler(LastResponse())
                        }
                        let http = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                        if let head = refused.value {
                            // The refused upgrade's head goes to the router; its end, and
                            // whatever the client sent after it, NIO passes on next.
                            let entry = try pipeline.context(handlerType: NIOTypedHTTPServerUpgradeHandler<Negotiated>.self)
                            entry.fireChannelRead(NIOAny(HTTPServerRequestPart.head(head)))
                        }
                        return .http(http)
                    }
                })
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration(upgradeConfiguration: upgrade)
            // As Hummingbird's own channel: it pipelines, handles errors and validates headers itself.
            configuration.enablePipelining = false
            configuration.enableErrorHandling = false
            configuration.enableResponseHeaderValidation = false
            configuration.decoderConfiguration.maxHeaderFieldSize = self.configuration.httpDecoder.maxHeaderFieldSize
            configuration.decoderConfiguration.maxHeaderListSize = self.configuration.httpDecoder.maxHeaderListSize
            configuration.decoderConfiguration.maxHeaderFieldCount = self.configuration.httpDecoder.maxHeaderFieldCount
            let negotiated = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: configuration)
            return Value(negotiated: negotiated, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.negotiated.get() {
            case .http(let http):
                await self.handleHTTP(asyncChannel: http, logger: logger)
            case .realtime:
                // The socket lives on its event loop from here on; this task ends.
                return
            }
        } catch {
            logger.debug("Connection ended before its first request was handled", metadata: ["error": "\(error)"])
            value.channel.close(promise: nil)
        }
    }
}

/// Marks the first response of a connection `Connection: close`, so that the connection
/// handler closes it once that response is out.
final class LastResponse: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .head(var response) = Self.unwrapOutboundIn(data) else {
            return context.write(data, promise: promise)
        }
        response.headerFields[.connection] = "close"
        context.write(Self.wrapOutboundOut(.head(response)), promise: promise)
    }
}
