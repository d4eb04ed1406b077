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
    /// A whole message from the transport. Handled at once when nothing else is, or queued
    /// behind the frame being handled (and the socket is not read meanwhile).
    func received(_ message: InboundMessage) {
        guard self.closing == nil, !self.isEnded else { return }
        self.dependencies.metrics.framesIn.increment()
        if self.busy {
            self.inbox.append(message)
            self.output.pauseReading()
            return
        }
        self.handleNow(message)
    }

    private func handleNow(_ message: InboundMessage) {
        guard message.size <= self.dependencies.configuration.maxMessageSize else {
            self.close(.messageTooLarge)
            return
        }
        switch self.handle(message) {
        case .done(let outcome):
            self.account(outcome)
        case .awaiting(let work):
            self.busy = true
            Task {
                let outcome = await self.perform(work)
                self.busy = false
                self.account(outcome)
                self.handleQueued()
            }
        }
    }

    /// Handles what queued up while a frame was being handled, until one needs to wait again.
    private func handleQueued() {
        while !self.busy, self.closing == nil, let message = self.inbox.popFirst() {
            self.handleNow(message)
        }
        if self.inbox.isEmpty { self.output.resumeReading() }
    }

    /// Counted over time, not in a row: a good frame now and then must not let a client send
    /// bad ones for ever.
    private func account(_ outcome: Outcome) {
        if outcome == .violation, !self.limits.violations.take(now: self.limits.now) {
            self.close(.policyViolation)
        }
    }

    /// What handling a frame takes: done at once, or work that awaits the store, the broker or
    /// an app (the frames after it wait for it).
    enum Step {
        case done(Outcome)
        case awaiting(Work)
    }

    enum Work {
        case authenticate(ClientFrame)
        case subscribe(ChannelName, since: Int64, app: any ChannelApp)
        case unsubscribe(ChannelName)
        case command(id: String, name: String, data: JSONValue, channel: ChannelName, app: any ChannelApp)
        case signal(ChannelName, rendered: String)
    }

    private func perform(_ work: Work) async -> Outcome {
        switch work {
        case .authenticate(let frame): await self.authenticate(frame)
        case .subscribe(let channel, let since, let app): await self.join(channel, since: since, app: app)
        case .unsubscribe(let channel): await self.unsubscribe(from: channel)
        case .command(let id, let name, let data, let channel, let app):
            await self.run(command: name, id: id, data: data, on: channel, app: app)
        case .signal(let channel, let rendered): await self.publish(signal: rendered, on: channel)
        }
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

    private func handle(_ message: InboundMessage) -> Step {
        guard case .text(let text) = message else {
            return .done(self.reject(nil, nil, .badRequest, "binary messages are not supported; send JSON text"))
        }
        let frame: ClientFrame
        do {
            frame = try ClientFrame.decode(text)
        } catch {
            return .done(self.reject(nil, nil, .badRequest, "not a valid frame: " + error.reason))
        }
        let now = self.limits.now
        switch frame.type {
        case "ping":
            self.send(.pong(id: frame.id.flatMap { Self.isValidID($0) ? $0 : nil }))
            return .done(.ok)
        case "auth":
            return .awaiting(.authenticate(frame))
        case "subscribe", "unsubscribe":
            guard self.limits.subscriptions.take(now: now) else {
                return .done(self.reject(nil, frame.channel, .rateLimited, "too many subscribes and unsubscribes; slow down"))
            }
            return frame.type == "subscribe" ? self.subscribe(frame) : self.unsubscribe(frame)
        case "command":
            guard self.limits.commands.take(now: now) else {
                return .done(self.reject(frame.id, frame.channel, .rateLimited, "too many commands; slow down"))
            }
            return self.command(frame)
        case "signal":
            guard self.limits.signals.take(now: now) else {
                self.dependencies.metrics.signalsDropped.increment()
                return .done(.violation)
            }
            return self.signal(frame)
        default:
            return .done(self.reject(frame.id, frame.channel, .unknownType, "unknown frame type '\(frame.type.prefix(64))'"))
        }
    }

    private func subscribe(_ frame: ClientFrame) -> Step {
        guard let (channel, app) = self.resolve(frame) else { return .done(.violation) }
        let since = frame.since ?? 0
        guard since >= -1 else {
            return .done(self.reject(nil, channel.description, .badRequest, "since must be -1 (only new events) or an offset >= 0"))
        }
        let limit = self.dependencies.configuration.maxChannelsPerConnection
        if self.requested.contains(channel.description) {
            return .done(self.reject(nil, channel.description, .badRequest, "already subscribed to \(channel)"))
        }
        if self.requested.count >= limit {
            return .done(self.reject(nil, channel.description, .tooManyChannels, "at most \(limit) channels per connection"))
        }
        self.requested.insert(channel.description)
        return .awaiting(.subscribe(channel, since: since, app: app))
    }

    private func unsubscribe(_ frame: ClientFrame) -> Step {
        guard let text = frame.channel, let channel = ChannelName(text) else {
            return .done(self.reject(nil, frame.channel, .badRequest, "'channel' must be a channel name such as counter:visits"))
        }
        guard self.requested.remove(channel.description) != nil else {
            return .done(self.reject(nil, channel.description, .notSubscribed, "not subscribed to \(channel)"))
        }
        return .awaiting(.unsubscribe(channel))
    }

    private func command(_ frame: ClientFrame) -> Step {
        guard let id = frame.id, Self.isValidID(id) else {
            return .done(self.reject(nil, frame.channel, .badRequest, "a command needs an 'id' of 1 to 64 characters"))
        }
        guard let (channel, app) = self.resolve(frame, replyTo: id) else { return .done(.violation) }
        guard let name = frame.name, (1...64).contains(name.utf8.count) else {
            return .done(self.reject(id, channel.description, .badRequest, "a command needs a 'name' of 1 to 64 characters"))
        }
        return .awaiting(.command(id: id, name: name, data: frame.data ?? .object([:]), channel: channel, app: app))
    }

    private func run(command name: String, id: String, data: JSONValue, on channel: ChannelName, app: any ChannelApp) async -> Outcome {
        do {
            let identity = self.identity
            let offset = try await self.traced(command: name, on: channel) {
                try await app.handle(command: name, data: data, on: channel, as: identity)
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
    private func traced<Result: Sendable>(
        command name: String, on channel: ChannelName, _ body: @Sendable () async throws -> Result
    ) async throws -> Result {
        let userID = self.identity.id
        return try await withSpan("realtime.command \(channel.kind)", context: .topLevel, ofKind: .server) { span in
            span.attributes["huddle.channel"] = channel.description
            span.attributes["huddle.command"] = name
            span.attributes["enduser.id"] = userID
            return try await body()
        }
    }

    private func signal(_ frame: ClientFrame) -> Step {
        guard let text = frame.channel, let channel = ChannelName(text) else {
            return .done(self.reject(nil, frame.channel, .badRequest, "'channel' must be a channel name such as board:42"))
        }
        guard self.requested.contains(channel.description) else {
            return .done(self.reject(nil, channel.description, .notSubscribed, "subscribe to \(channel) before signalling on it"))
        }
        guard let name = frame.name, (1...64).contains(name.utf8.count) else {
            return .done(self.reject(nil, channel.description, .badRequest, "a signal needs a 'name' of 1 to 64 characters"))
        }
        let rendered = ServerFrame.signal(
            channel: channel.description, from: self.member, identity: self.identity.id, name: name, data: frame.data ?? .null)
        return .awaiting(.signal(channel, rendered: rendered.text))
    }

    private func publish(signal rendered: String, on channel: ChannelName) async -> Outcome {
        do {
            try await self.dependencies.broker.publish(
                BrokerMessage(kind: .signal, origin: self.id, frame: rendered), to: channel.description)
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
