import Foundation
import HuddleCore
@testable import HuddleGateway
@testable import HuddleServer
import Synchronization
import Testing

/// A realtime connection without a socket: the gateway's session driven through its seams.
final class TestConnection: Sendable {
    let inbound: AsyncStream<InboundMessage>.Continuation
    let writer: RecordingWriter
    let run: Task<Void, any Error>
    private let frames: FrameReader
    /// A broken server fails a test instead of hanging it. Not a timing assertion: the limit
    /// is far above any expected duration.
    static let hangGuard = Duration.seconds(20)

    init(
        gateway: Gateway, name: String? = "Tester", identity: Identity? = nil, blockAfter: Int? = nil,
        slowClose: Bool = false, answersClose: Bool = true
    ) {
        let (messages, inbound) = AsyncStream.makeStream(of: InboundMessage.self)
        let (frames, framesInput) = AsyncStream.makeStream(of: String.self)
        let writer = RecordingWriter(
            output: framesInput, inbound: inbound, blockAfter: blockAfter, slowClose: slowClose, answersClose: answersClose)
        self.inbound = inbound
        self.writer = writer
        self.frames = FrameReader(frames)
        self.run = Task { try await gateway.serve(messages: messages, writer: writer, name: name, identity: identity) }
    }

    func send(_ object: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: object)
        self.inbound.yield(.text(String(decoding: data, as: UTF8.self)))
    }

    func sendText(_ text: String) {
        self.inbound.yield(.text(text))
    }

    /// The client goes away.
    func disconnect() {
        self.inbound.finish()
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
        _ = try? await withDeadline(Self.hangGuard) { try? await self.run.value }
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

/// A ``FrameWriter`` that records frames; after `blockAfter` frames it stops writing, like a
/// client that no longer reads.
final class RecordingWriter: FrameWriter {
    let output: AsyncStream<String>.Continuation
    let inbound: AsyncStream<InboundMessage>.Continuation
    let blockAfter: Int?
    let written = Atomic<Int>(0)
    let closed = Mutex<CloseReason?>(nil)
    let aborted = Atomic<Bool>(false)
    /// With `slowClose`, writing the close frame takes a while (a busy socket): it is recorded
    /// only after a pause, and `closeStarted` says when the write began.
    let slowClose: Bool
    /// Without it, the client never answers the closing handshake (a half-open connection).
    let answersClose: Bool
    let closeStarted: AsyncStream<Void>
    private let closeStartedInput: AsyncStream<Void>.Continuation

    init(
        output: AsyncStream<String>.Continuation, inbound: AsyncStream<InboundMessage>.Continuation, blockAfter: Int?,
        slowClose: Bool = false, answersClose: Bool = true
    ) {
        self.output = output
        self.answersClose = answersClose
        self.inbound = inbound
        self.blockAfter = blockAfter
        self.slowClose = slowClose
        (self.closeStarted, self.closeStartedInput) = AsyncStream.makeStream(of: Void.self)
    }

    func write(_ text: String) async throws {
        let count = self.written.add(1, ordering: .relaxed).newValue
        if let blockAfter, count > blockAfter {
            try await Task.sleep(for: .seconds(3600))
        }
        self.output.yield(text)
    }

    func close(_ reason: CloseReason) async {
        if self.slowClose {
            self.closeStartedInput.yield()
            try? await Task.sleep(for: .milliseconds(300))
        }
        self.closed.withLock { $0 = $0 ?? reason }
        // A reading client answers the closing handshake, which ends its side of the socket;
        // one that stopped reading never sees the close frame.
        if let blockAfter = self.blockAfter, self.written.load(ordering: .relaxed) > blockAfter { return }
        if self.answersClose { self.inbound.finish() }
    }

    var wasAborted: Bool { self.aborted.load(ordering: .relaxed) }

    func abort() {
        self.aborted.store(true, ordering: .relaxed)
        self.inbound.finish()
    }
}
