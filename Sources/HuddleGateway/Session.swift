import CoreMetrics
import HuddleCore
import Logging
import NIOCore
import Synchronization

/// One realtime connection: an actor whose executor is its connection's event loop.
///
/// The transport calls in from that loop and the hub delivers there (``LocalHub``), so a frame
/// is handled where it was read and a broker delivery is written where it arrives, already
/// encoded, without a hop. Work that needs the store, the broker or an app awaits inside the
/// actor; meanwhile further frames wait in the inbox and the socket is not read, so a client's
/// frames are handled one at a time, in order. Nothing runs while the connection is idle.
///
/// Per channel, events reach the client gap-free and duplicate-free: deliveries that arrive
/// while the channel is joining, replaying or catching up wait behind that store read, and the
/// channel's cursor drops what the read already sent.
actor Session {
    enum ChannelState {
        /// Deliveries are written as they arrive; the cursor says which events are new.
        case live(ChannelCursor)
        /// A store read runs (join, replay, catch-up): deliveries wait here, in order.
        case waiting(Deferred)
    }

    struct Deferred {
        var deliveries: [(BrokerDelivery, ByteBuffer)] = []
        var bytes = 0
    }

    struct Joined {
        var state: ChannelState
        /// Tells a store read that finishes after an unsubscribe (and a new subscribe) that its
        /// channel is no longer the one it read for.
        let generation: Int
    }

    /// What other threads read (drain, presence refresh, account changes).
    struct Snapshot: Sendable {
        var identity: Identity
        var member: PresenceMember
        /// Channels joined on the hub: what to leave at the end.
        var joined: Set<String> = []
    }

    nonisolated let id: String
    nonisolated let eventLoop: any EventLoop
    nonisolated let snapshot: Mutex<Snapshot>
    let dependencies: GatewayDependencies
    private let outputBox: NIOLoopBound<any SessionOutput>
    /// Called once, when the connection has gone (after ``ended()``).
    private let onEnd: @Sendable (Session) -> Void

    /// Channels the client asked for (limits and signal rights); a subscribe still joining is in.
    var requested: Set<String> = []
    var channels: [String: Joined] = [:]
    private var generations = 0
    var closing: CloseReason?
    var isEnded = false
    /// Frames read while an earlier one is still being handled.
    var inbox = CircularBuffer<InboundMessage>()
    var busy = false
    var limits: ReaderLimits
    /// Live deliveries written since the last flush.
    var unflushedFrames = 0
    private var writableWaiters: [CheckedContinuation<Void, Never>] = []

    nonisolated var unownedExecutor: UnownedSerialExecutor { self.eventLoop.executor.asUnownedSerialExecutor() }
    nonisolated var identity: Identity { self.snapshot.withLock { $0.identity } }
    nonisolated var member: PresenceMember { self.snapshot.withLock { $0.member } }
    var logger: Logger { self.dependencies.logger }
    var output: any SessionOutput { self.outputBox.value }

    init(
        id: String, member: PresenceMember, identity: Identity, dependencies: GatewayDependencies,
        output: NIOLoopBound<any SessionOutput>, eventLoop: any EventLoop, onEnd: @escaping @Sendable (Session) -> Void
    ) {
        self.id = id
        self.eventLoop = eventLoop
        self.snapshot = Mutex(Snapshot(identity: identity, member: member))
        self.dependencies = dependencies
        self.outputBox = output
        self.onEnd = onEnd
        self.limits = ReaderLimits(configuration: dependencies.configuration)
    }

    /// The first frames: who the connection is.
    func start() {
        self.send(.welcome(connectionID: self.id, name: self.member.name))
        if !self.identity.isGuest {
            self.send(.authenticated(self.identity))
        }
    }

    // MARK: Writing

    /// Writes a reply or a step's frame and sends it at once.
    func send(_ frame: ServerFrame) {
        self.write(frame.text)
        self.flush()
    }

    func write(_ text: String) {
        guard !self.isEnded else { return }
        self.output.write(ServerFrameEncoder.text(text))
        self.unflushedFrames += 1
    }

    /// Sends what was written; the hub calls it once per batch of deliveries.
    func flush() {
        guard self.unflushedFrames > 0 else { return }
        self.dependencies.metrics.framesOut.increment(by: Int64(self.unflushedFrames))
        self.unflushedFrames = 0
        self.output.flush()
    }

    /// Writes a broker delivery's shared bytes. A client whose unsent bytes are over the send
    /// limit is cut off instead of growing memory.
    func writeLive(_ frame: ByteBuffer) {
        guard !self.isEnded else { return }
        guard self.output.isWritable else {
            self.close(.slowConsumer)
            return
        }
        self.output.write(frame)
        self.unflushedFrames += 1
    }

    /// Returns once the socket has taken enough to be under the send limit again (or is gone):
    /// replays and catch-ups go at the pace the client reads.
    func untilWritable() async {
        while !self.isEnded, self.closing == nil, !self.output.isWritable {
            await withCheckedContinuation { self.writableWaiters.append($0) }
        }
    }

    /// The transport's socket is under its send limit again.
    func becameWritable() {
        self.resumeWritableWaiters()
    }

    private func resumeWritableWaiters() {
        let waiters = self.writableWaiters
        self.writableWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    // MARK: Ending

    /// Closes the connection with `reason`, once; later calls do nothing.
    func close(_ reason: CloseReason) {
        guard self.closing == nil, !self.isEnded else { return }
        self.closing = reason
        self.inbox.removeAll()
        self.dependencies.metrics.disconnected(reason)
        // A drain closes every connection: one line each would flood the log.
        self.logger.log(
            level: reason == .serviceRestart ? .debug : .info,
            "Closing realtime connection",
            metadata: ["connection": .string(self.id), "code": .stringConvertible(reason.code)]
        )
        self.flush()
        self.output.close(reason)
        self.resumeWritableWaiters()
    }

    /// The socket is gone: leave every channel, then tell the gateway.
    func ended() {
        guard !self.isEnded else { return }
        self.isEnded = true
        self.inbox.removeAll()
        self.resumeWritableWaiters()
        let joined = self.snapshot.withLock { snapshot in
            defer { snapshot.joined = [] }
            return snapshot.joined
        }
        self.channels = [:]
        Task {
            for channel in joined {
                await self.leave(channel)
            }
            self.onEnd(self)
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

    func nextGeneration() -> Int {
        self.generations += 1
        return self.generations
    }
}
