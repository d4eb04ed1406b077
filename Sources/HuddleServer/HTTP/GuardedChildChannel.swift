import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's child channel with Huddle's checks in front of it from the moment a
/// connection is accepted, before any request: the HTTP channel adds the
/// `additionalChannelHandlers` of its configuration only once a first request has arrived.
///
/// A connection over its address's cap (``ConnectionsPerAddress``) gets no HTTP pipeline at
/// all and is closed as soon as it is active; every other one starts with a
/// ``RequestReadTimeout`` in front of the HTTP decoder.
struct GuardedChildChannel<Inner: ServerChildChannel>: ServerChildChannel {
    struct Value: ServerChildChannelValue {
        /// nil for a refused connection.
        let inner: Inner.Value?
        let channel: any Channel
    }

    let inner: Inner
    let connections: ConnectionsPerAddress
    let headTimeout: TimeAmount
    let bodyTimeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        if let address = channel.remoteAddress?.ipAddress, !self.connections.exempt.isTrusted(address) {
            guard self.connections.open(address) else {
                logger.debug("Refused a connection over the per-address cap", metadata: ["client": .string(address)])
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(CloseWhenActive())
                    return Value(inner: nil, channel: channel)
                }
            }
            let connections = self.connections
            channel.closeFuture.whenComplete { _ in connections.close(address) }
        }
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(
                RequestReadTimeout(headTimeout: self.headTimeout, bodyTimeout: self.bodyTimeout), position: .first)
        }.flatMap {
            self.inner.setup(channel: channel, logger: logger)
        }.map { Value(inner: $0, channel: channel) }
    }

    func handle(value: Value, logger: Logger) async {
        guard let inner = value.inner else { return }
        await self.inner.handle(value: inner, logger: logger)
    }
}

/// Closes its channel at once (a refused connection): nothing is read or answered.
final class CloseWhenActive: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { context.close(promise: nil) }
    }

    func channelActive(context: ChannelHandlerContext) {
        context.close(promise: nil)
    }
}
