import HuddleCore
import Logging
import Synchronization

/// One realtime connection: a reader task that handles what the client sends, and a writer
/// task that owns everything the client receives.
///
/// Everything bound for the client goes through one bounded outbox, in order: replies from
/// the reader, deliveries from the hub, and subscribe/unsubscribe steps. Because only the
/// writer touches the per-channel cursors, replay and live events need no lock to stay
/// gap-free and duplicate-free. A client that lets the outbox fill up is cut off (4000)
/// instead of growing memory.
final class Session: HubSubscriber, Sendable {
    enum Outgoing: Sendable {
        case frame(String)
        case subscribe(ChannelName, since: Int64, app: any ChannelApp)
        case unsubscribe(ChannelName)
        case delivery(String, BrokerDelivery)
    }

    /// What the reader and the writer share.
    struct Shared {
        /// Channels the client asked for (the reader's view: for limits and signal rights).
        var requested: Set<String> = []
        /// Channels joined on the hub (the writer's view: what to leave at the end).
        var joined: Set<String> = []
        var closing = false
        /// Writes the close frame of ``Session/close(_:)``; the connection's task awaits it, so
        /// the transport cannot close with its own default code (1000) first.
        var closeFrameWrite: Task<Void, Never>?
        /// How others see this connection; its name follows the identity.
        var member: PresenceMember
        var identity: Identity
    }

    let id: String
    let dependencies: GatewayDependencies
    let writer: any FrameWriter
    let shared: Mutex<Shared>
    let outbox: AsyncStream<Outgoing>
    private let outboxInput: AsyncStream<Outgoing>.Continuation

    var subscriberID: String { self.id }
    var member: PresenceMember { self.shared.withLock { $0.member } }
    var identity: Identity { self.shared.withLock { $0.identity } }
    var logger: Logger { self.dependencies.logger }

    init(id: String, member: PresenceMember, identity: Identity, dependencies: GatewayDependencies, writer: any FrameWriter) {
        self.id = id
        self.shared = Mutex(Shared(member: member, identity: identity))
        self.dependencies = dependencies
        self.writer = writer
        (self.outbox, self.outboxInput) = AsyncStream.makeStream(
            of: Outgoing.self,
            bufferingPolicy: .bufferingOldest(dependencies.configuration.sendQueueLimit)
        )
        self.enqueue(.frame(ServerFrame.welcome(connectionID: id, name: member.name).text))
        if !identity.isGuest {
            self.enqueue(.frame(ServerFrame.authenticated(identity).text))
        }
    }

    /// Called by the hub for every delivery on a joined channel; never blocks.
    func deliver(_ delivery: BrokerDelivery, on channel: String) {
        self.enqueue(.delivery(channel, delivery))
    }

    func send(_ frame: ServerFrame) {
        self.enqueue(.frame(frame.text))
    }

    func enqueue(_ item: Outgoing) {
        if case .dropped = self.outboxInput.yield(item) {
            self.close(.slowConsumer)
        }
    }

    /// Closes the connection with `reason`, once; later calls do nothing. Never blocks.
    func close(_ reason: CloseReason) {
        let writer = self.writer
        guard self.beginClosing(reason, writing: { Task { await writer.close(reason) } }) else { return }
        if reason == .slowConsumer {
            // A client that does not read will not answer the closing handshake either.
            Task {
                try? await Task.sleep(for: .seconds(2))
                writer.abort()
            }
        }
    }

    /// Closes the connection with `reason` and returns once the close frame is written.
    func closeNow(_ reason: CloseReason) async {
        guard self.beginClosing(reason, writing: nil) else { return }
        await self.writer.close(reason)
    }

    /// Returns once the close frame of an earlier ``close(_:)`` is written.
    func closeFrameWritten() async {
        await self.shared.withLock { $0.closeFrameWrite }?.value
    }

    private func beginClosing(_ reason: CloseReason, writing: (() -> Task<Void, Never>)?) -> Bool {
        let first = self.shared.withLock { shared in
            guard !shared.closing else { return false }
            shared.closing = true
            // Under the lock: whoever sees `closing` also sees the write to wait for.
            shared.closeFrameWrite = writing?()
            return true
        }
        guard first else { return false }
        self.dependencies.metrics.disconnected(reason)
        // A drain closes every connection: one line each would flood the log.
        self.logger.log(
            level: reason == .serviceRestart ? .debug : .info,
            "Closing realtime connection",
            metadata: ["connection": .string(self.id), "code": .stringConvertible(reason.code)]
        )
        self.outboxInput.finish()
        return true
    }

    var isClosing: Bool { self.shared.withLock { $0.closing } }

    /// Leaves every channel; called once both loops have ended.
    func finish() async {
        self.outboxInput.finish()
        let joined = self.shared.withLock { shared in
            defer { shared.joined = [] }
            return shared.joined
        }
        for channel in joined {
            await self.leave(channel)
        }
    }

    /// Leaves the hub and the channel's presence, tells the others, then the channel's app.
    func leave(_ channel: String) async {
        await self.dependencies.hub.leave(channel, self.id)
        let member = self.member
        do {
            try await self.dependencies.presence.leave(memberID: member.id, channel: channel)
            let frame = ServerFrame.presenceChange(channel: channel, action: .leave, member: member)
            try await self.dependencies.broker.publish(
                BrokerMessage(kind: .presence, origin: self.id, frame: frame.text), to: channel)
        } catch {
            self.logger.warning("Presence leave failed", metadata: ["channel": .string(channel), "error": "\(error)"])
        }
        if let name = ChannelName(channel), let app = self.dependencies.directory.app(for: name) {
            await app.left(member, channel: name)
        }
    }
}
