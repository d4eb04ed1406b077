#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HuddleCore
import CoreMetrics
import Logging
import Tracing
import Synchronization

extension Session {
    /// Handles the client's messages until the connection ends. Returns the reason to close
    /// with when the client misbehaved; rethrows the transport's own errors (such as a message
    /// over the size limit) so that the transport closes with its code.
    func readLoop<Messages: AsyncSequence>(_ messages: Messages) async throws -> CloseReason?
    where Messages.Element == InboundMessage {
        let configuration = self.dependencies.configuration
        var limits = ReaderLimits(configuration: configuration)
        for try await message in messages {
            self.dependencies.metrics.framesIn.increment()
            guard message.size <= configuration.maxMessageSize else { return .messageTooLarge }
            let outcome = await self.handle(message, limits: &limits)
            // Counted over time, not in a row: a good frame now and then must not let a
            // client send bad ones for ever.
            if outcome == .violation, !limits.violations.take(now: limits.now) { return .policyViolation }
            if self.isClosing { return nil }
        }
        return nil
    }

    enum Outcome {
        case ok
        case violation
    }

    struct ReaderLimits {
        var commands: TokenBucket
        var signals: TokenBucket
        /// Subscribes and unsubscribes: each sends presence to every member of the channel.
        var subscriptions: TokenBucket
        /// Bad or refused frames: `violationLimit` at once, then one per `violationWindow / violationLimit`.
        var violations: TokenBucket
        let clock = ContinuousClock()
        let start = ContinuousClock.now

        init(configuration: GatewayConfiguration) {
            let rate = Double(configuration.commandsPerSecond)
            let burst = Double(configuration.commandBurst)
            self.commands = TokenBucket(rate: rate, burst: burst)
            self.signals = TokenBucket(rate: rate, burst: burst)
            self.subscriptions = TokenBucket(rate: rate, burst: burst)
            let limit = Double(configuration.violationLimit)
            self.violations = TokenBucket(rate: limit / configuration.violationWindow, burst: limit)
        }

        var now: Double {
            let (seconds, attoseconds) = (ContinuousClock.now - self.start).components
            return Double(seconds) + Double(attoseconds) / 1e18
        }
    }

    private func handle(_ message: InboundMessage, limits: inout ReaderLimits) async -> Outcome {
        guard case .text(let text) = message else {
            return self.reject(nil, nil, .badRequest, "binary messages are not supported; send JSON text")
        }
        let frame: ClientFrame
        do {
            frame = try ClientFrame.decode(text)
        } catch {
            return self.reject(nil, nil, .badRequest, "not a valid frame: " + error.reason)
        }
        switch frame.type {
        case "ping":
            self.send(.pong(id: frame.id.flatMap { Self.isValidID($0) ? $0 : nil }))
            return .ok
        case "auth":
            return await self.authenticate(frame)
        case "subscribe", "unsubscribe":
            guard limits.subscriptions.take(now: limits.now) else {
                return self.reject(nil, frame.channel, .rateLimited, "too many subscribes and unsubscribes; slow down")
            }
            return frame.type == "subscribe" ? self.subscribe(frame) : self.unsubscribe(frame)
        case "command":
            guard limits.commands.take(now: limits.now) else {
                return self.reject(frame.id, frame.channel, .rateLimited, "too many commands; slow down")
            }
            return await self.command(frame)
        case "signal":
            guard limits.signals.take(now: limits.now) else {
                self.dependencies.metrics.signalsDropped.increment()
                return .violation
            }
            return await self.signal(frame)
        default:
            return self.reject(frame.id, frame.channel, .unknownType, "unknown frame type '\(frame.type.prefix(64))'")
        }
    }

    private func subscribe(_ frame: ClientFrame) -> Outcome {
        guard let (channel, app) = self.resolve(frame) else { return .violation }
        let since = frame.since ?? 0
        guard since >= -1 else {
            return self.reject(nil, channel.description, .badRequest, "since must be -1 (only new events) or an offset >= 0")
        }
        let limit = self.dependencies.configuration.maxChannelsPerConnection
        let refusal: RejectionCode? = self.shared.withLock { shared in
            if shared.requested.contains(channel.description) { return .badRequest }
            if shared.requested.count >= limit { return .tooManyChannels }
            shared.requested.insert(channel.description)
            return nil
        }
        switch refusal {
        case .badRequest?:
            return self.reject(nil, channel.description, .badRequest, "already subscribed to \(channel)")
        case let code?:
            return self.reject(nil, channel.description, code, "at most \(limit) channels per connection")
        case nil:
            self.enqueue(.subscribe(channel, since: since, app: app))
            return .ok
        }
    }

    private func unsubscribe(_ frame: ClientFrame) -> Outcome {
        guard let text = frame.channel, let channel = ChannelName(text) else {
            return self.reject(nil, frame.channel, .badRequest, "'channel' must be a channel name such as counter:visits")
        }
        let wasRequested = self.shared.withLock { $0.requested.remove(channel.description) != nil }
        guard wasRequested else {
            return self.reject(nil, channel.description, .notSubscribed, "not subscribed to \(channel)")
        }
        self.enqueue(.unsubscribe(channel))
        return .ok
    }

    private func command(_ frame: ClientFrame) async -> Outcome {
        guard let id = frame.id, Self.isValidID(id) else {
            return self.reject(nil, frame.channel, .badRequest, "a command needs an 'id' of 1 to 64 characters")
        }
        guard let (channel, app) = self.resolve(frame, replyTo: id) else { return .violation }
        guard let name = frame.name, (1...64).contains(name.utf8.count) else {
            return self.reject(id, channel.description, .badRequest, "a command needs a 'name' of 1 to 64 characters")
        }
        do {
            let offset = try await self.traced(command: name, on: channel) {
                try await app.handle(command: name, data: frame.data ?? .object([:]), on: channel, as: self.identity)
            }
            self.send(.ack(id: id, offset: offset))
            return .ok
        } catch let rejection as CommandRejection {
            self.send(.error(id: id, channel: channel.description, code: rejection.code, message: rejection.message))
            return rejection.code.isClientMistake ? .violation : .ok
        } catch EventStoreError.conflict {
            self.send(
                .error(id: id, channel: channel.description, code: .conflict, message: "someone else changed \(channel) first; try again"))
            return .ok
        } catch EventStoreError.unavailable {
            self.send(.error(id: id, channel: channel.description, code: .unavailable, message: "the store is unavailable; try again"))
            return .ok
        } catch {
            self.logger.error(
                "Command failed", metadata: ["channel": .string(channel.description), "command": .string(name), "error": "\(error)"])
            self.send(.error(id: id, channel: channel.description, code: .internalError, message: "the command failed"))
            return .ok
        }
    }

    /// A command's span: the root of a trace of its own (a socket outlives any request), with
    /// the store append and the broker publish as children. A no-op without a tracer.
    private func traced<Result>(
        command name: String, on channel: ChannelName, _ body: () async throws -> Result
    ) async throws -> Result {
        try await withSpan("realtime.command \(channel.kind)", context: .topLevel, ofKind: .server) { span in
            span.attributes["huddle.channel"] = channel.description
            span.attributes["huddle.command"] = name
            span.attributes["enduser.id"] = self.identity.id
            return try await body()
        }
    }

    private func signal(_ frame: ClientFrame) async -> Outcome {
        guard let text = frame.channel, let channel = ChannelName(text) else {
            return self.reject(nil, frame.channel, .badRequest, "'channel' must be a channel name such as board:42")
        }
        guard self.shared.withLock({ $0.requested.contains(channel.description) }) else {
            return self.reject(nil, channel.description, .notSubscribed, "subscribe to \(channel) before signalling on it")
        }
        guard let name = frame.name, (1...64).contains(name.utf8.count) else {
            return self.reject(nil, channel.description, .badRequest, "a signal needs a 'name' of 1 to 64 characters")
        }
        let rendered = ServerFrame.signal(
            channel: channel.description, from: self.member, identity: self.identity.id, name: name, data: frame.data ?? .null)
        do {
            try await self.dependencies.broker.publish(
                BrokerMessage(kind: .signal, origin: self.id, frame: rendered.text), to: channel.description)
        } catch {
            // Signals are ephemeral: a lost one is replaced by the next.
            self.logger.debug("Signal not published", metadata: ["error": "\(error)"])
        }
        return .ok
    }

    /// The channel and app a frame names, or nil after telling the client what is wrong.
    private func resolve(_ frame: ClientFrame, replyTo id: String? = nil) -> (ChannelName, any ChannelApp)? {
        guard let text = frame.channel, let channel = ChannelName(text) else {
            _ = self.reject(id, frame.channel.map { String($0.prefix(200)) }, .badRequest,
                "'channel' must be kind:id, e.g. counter:visits (kind a-z, id of A-Z a-z 0-9 _ . -)")
            return nil
        }
        guard let app = self.dependencies.directory.app(for: channel) else {
            _ = self.reject(id, channel.description, .unknownChannel, "there is no app for '\(channel.kind)' channels")
            return nil
        }
        return (channel, app)
    }

    func reject(_ id: String?, _ channel: String?, _ code: RejectionCode, _ message: String) -> Outcome {
        let safeID = id.flatMap { Self.isValidID($0) ? $0 : nil }
        let safeChannel = channel.flatMap { ChannelName($0) != nil ? $0 : nil }
        self.send(.error(id: safeID, channel: safeChannel, code: code, message: message))
        return .violation
    }

    /// What is wrong with a frame, in words a client developer can act on.
    static func isValidID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count)
    }
}
