import Foundation
import HuddleCore
@testable import HuddleGateway
@testable import HuddleServer
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// A realtime connection without a socket: the gateway's session driven through its seam, on
/// a real event loop, with ``RecordingOutput`` in the transport's place.
final class TestConnection: Sendable {
    let session: Session
    let writer: RecordingOutput
    let gateway: Gateway
    private let frames: FrameReader
    /// A broken server fails a test instead of hanging it. Not a timing assertion: the limit
    /// is far above any expected duration.
    static let hangGuard = Duration.seconds(20)

    init(
        gateway: Gateway, name: String? = "Tester", identity: Identity? = nil, blockAfter: Int? = nil,
        slowClose: Bool = false, answersClose: Bool = true
    ) {
        let (frames, framesInput) = AsyncStream.makeStream(of: String.self)
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        let writer = RecordingOutput(
            output: framesInput, loop: loop, configuration: gateway.configuration, blockAfter: blockAfter, slowClose: slowClose,
            answersClose: answersClose)
        self.writer = writer
        self.gateway = gateway
        self.frames = FrameReader(frames)
        self.session = try! loop.submit {
            let session = gateway.connect(
                output: NIOLoopBound(writer, eventLoop: loop), on: loop, name: name, identity: identity)
            writer.session = session
            session.assumeIsolated { $0.start() }
            return session
        }.wait()
    }

    func send(_ object: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: object)
        self.sendText(String(decoding: data, as: UTF8.self))
    }

    func sendText(_ text: String) {
        self.receive(.text(text))
    }

    func receive(_ message: InboundMessage) {
        let session = self.session
        session.eventLoop.execute { session.assumeIsolated { $0.received(message) } }
    }

    /// The client goes away.
    func disconnect() {
        self.writer.socketClosed()
    }

    /// The next frame the server sent, parsed.
    func next() async throws -> [String: Any] {
        let text = try await withDeadline(Self.hangGuard) { await self.frames.next() }
        let line = try #require(text, "the connection ended")
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(object as? [String: Any])
    }

    /// The next frame of `type`, skipping others (presence changes, for instance).
    func next(_ type: String) async throws -> [String: Any] {
        while true {
            let frame = try await self.next()
            if frame["type"] as? String == type { return frame }
        }
    }

    /// The text of the next frame of `type`, as the server wrote it (Foundation's parser would
    /// round integers beyond 2^53).
    func nextText(_ type: String) async throws -> String {
        while true {
            let text = try await withDeadline(Self.hangGuard) { await self.frames.next() }
            let line = try #require(text, "the connection ended")
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if object?["type"] as? String == type { return line }
        }
    }

    /// Waits for the session to end and returns how the server closed it (nil: not closed by it).
    func closeReason() async throws -> CloseReason? {
        let deadline = ContinuousClock.now + Self.hangGuard
        while self.gateway.isOpen(self.session.id), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        return self.writer.closed.withLock { $0 }
    }
}

/// Reads an AsyncStream; tests read each connection from one task at a time.
final class FrameReader: @unchecked Sendable {
    private var iterator: AsyncStream<String>.Iterator
    init(_ stream: AsyncStream<String>) { self.iterator = stream.makeAsyncIterator() }

    func next() async -> String? {
        await self.iterator.next()
    }
}

/// A ``SessionOutput`` that decodes and records the frames written; after `blockAfter` frames
/// the client no longer reads, so what is written piles up until it passes the send limit, and
/// the close that follows is never answered (the transport drops the socket at the close timeout).
final class RecordingOutput: SessionOutput, @unchecked Sendable {
    let output: AsyncStream<String>.Continuation
    let loop: any EventLoop
    let configuration: GatewayConfiguration
    let blockAfter: Int?
    /// Set on the loop before the first frame; the loop is the only thread that touches it.
    var session: Session?
    let written = Atomic<Int>(0)
    let unsentBytes = Atomic<Int>(0)
    let closed = Mutex<CloseReason?>(nil)
    let aborted = Atomic<Bool>(false)
    /// With `slowClose`, the client answers the close only after a pause (a busy socket), and
    /// `closeStarted` says when the close frame went out.
    let slowClose: Bool
    /// Without it, the client never answers the closing handshake (a half-open connection).
    let answersClose: Bool
    let closeStarted: AsyncStream<Void>
    private let closeStartedInput: AsyncStream<Void>.Continuation

    init(
        output: AsyncStream<String>.Continuation, loop: any EventLoop, configuration: GatewayConfiguration, blockAfter: Int?,
        slowClose: Bool, answersClose: Bool
    ) {
        self.output = output
        self.loop = loop
        self.configuration = configuration
        self.blockAfter = blockAfter
        self.slowClose = slowClose
        self.answersClose = answersClose
        (self.closeStarted, self.closeStartedInput) = AsyncStream.makeStream(of: Void.self)
    }

    private var isBlocked: Bool {
        guard let blockAfter else { return false }
        return self.written.load(ordering: .relaxed) >= blockAfter
    }

    func write(_ frame: ByteBuffer) {
        guard self.closed.withLock({ $0 }) == nil else { return }
        if self.isBlocked {
            self.unsentBytes.add(frame.readableBytes, ordering: .relaxed)
            return
        }
        self.written.add(1, ordering: .relaxed)
        self.output.yield(Self.text(of: frame))
    }

    func flush() {}

    var isWritable: Bool {
        self.unsentBytes.load(ordering: .relaxed) < self.configuration.sendBufferLimit
    }

    func close(_ reason: CloseReason) {
        guard self.closed.withLock({ closed in defer { closed = closed ?? reason }; return closed == nil }) else { return }
        if self.isBlocked {
            // The close frame sits behind the unread bytes: the transport drops the socket.
            self.loop.assumeIsolated().scheduleTask(in: .milliseconds(50)) {
                self.aborted.store(true, ordering: .relaxed)
                self.socketClosed()
            }
            return
        }
        guard self.answersClose else { return }
        if self.slowClose {
            self.closeStartedInput.yield()
            self.loop.assumeIsolated().scheduleTask(in: .milliseconds(300)) { self.socketClosed() }
        } else {
            self.loop.execute { self.socketClosed() }
        }
    }

    func pauseReading() {}
    func resumeReading() {}

    var wasAborted: Bool { self.aborted.load(ordering: .relaxed) }

    /// The socket is gone (the client left, or answered the close).
    func socketClosed() {
        self.loop.execute {
            self.session?.assumeIsolated { $0.ended() }
            self.output.finish()
        }
    }

    /// The payload of a server text frame (RFC 6455 §5.2, unmasked).
    static func text(of frame: ByteBuffer) -> String {
        var frame = frame
        _ = frame.readInteger(as: UInt8.self)
        let short = frame.readInteger(as: UInt8.self)!
        switch short {
        case 126: _ = frame.readInteger(as: UInt16.self)
        case 127: _ = frame.readInteger(as: UInt64.self)
        default: break
        }
        return frame.readString(length: frame.readableBytes)!
    }
}
