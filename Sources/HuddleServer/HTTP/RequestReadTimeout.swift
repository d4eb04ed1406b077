import NIOCore

/// Closes a connection whose client stalls while sending a request, which Hummingbird's idle
/// timeout does not: that one runs only between requests, and in the WebSocket upgrade
/// channel only after a first request.
///
/// - A head must arrive whole within `headTimeout` of its first byte; the first request's
///   within `headTimeout` of the accept, so a socket silent from the start is closed too.
/// - A body (a `Content-Length` one, or a chunked one until its last chunk) may not stall for
///   longer than `bodyTimeout` between bytes.
/// - Between requests nothing is timed here (Hummingbird's idle timeout is); once the server
///   answers `101 Switching Protocols` the handler removes itself (the WebSocket has its own
///   pings). Asking for an upgrade is not enough: a refused or malformed one stays HTTP.
///
/// It sits in front of the HTTP decoder and passes every byte on unchanged, looking only for
/// where heads end and what their framing headers say.
final class RequestReadTimeout: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private enum State {
        /// Between requests.
        case idle
        /// Reading a head.
        case head
        /// Reading a `Content-Length` body, `remaining` bytes to come.
        case body(remaining: Int)
        /// Reading a chunked body, until `0\r\n\r\n`.
        case chunked
        /// After a head asking for a WebSocket: between requests, until the answer says
        /// whether the connection switched.
        case upgrading
    }

    private let headTimeout: TimeAmount
    private let bodyTimeout: TimeAmount
    private var state = State.head
    /// The current head's bytes so far (up to `headLimit`: the decoder refuses longer ones).
    private var head: [UInt8] = []
    /// The last bytes of a chunked body, to find its end across reads.
    private var chunkTail: [UInt8] = []
    /// When the request being read must have come (its head) or moved on (its body) by; nil
    /// between requests.
    private var deadline: NIODeadline?
    /// The one timer, due at `timerDue`, never later than `deadline`: it re-arms itself when
    /// the deadline moved later meanwhile, so a request costs a clock read, not a timer.
    private var timer: Scheduled<Void>?
    private var timerDue = NIODeadline.distantFuture
    private static let headLimit = 96 * 1024
    private static let lastChunk = Array("\r\n0\r\n\r\n".utf8)

    /// Between requests (for the tests).
    var isIdle: Bool {
        if case .idle = self.state { return true }
        return false
    }

    init(headTimeout: TimeAmount, bodyTimeout: TimeAmount) {
        self.headTimeout = headTimeout
        self.bodyTimeout = bodyTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.arm(context, self.headTimeout) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.arm(context, self.headTimeout)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.stopTimer()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.stopTimer()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.scan(Self.unwrapInboundIn(data).readableBytesView, context)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .upgrading = self.state else { return context.write(data, promise: promise) }
        var switched = false
        if case .byteBuffer(let buffer) = Self.unwrapOutboundIn(data) {
            switched = buffer.readableBytesView.starts(with: "HTTP/1.1 101".utf8)
        }
        self.state = .idle
        context.write(data, promise: promise)
        if switched {
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    private func scan(_ bytes: ByteBufferView, _ context: ChannelHandlerContext) {
        var index = bytes.startIndex
        // A body that goes on past this read gets its stall timer re-armed once, after the
        // loop: not once per byte.
        var bodyGoesOn = false
        defer { if bodyGoesOn { self.arm(context, self.bodyTimeout) } }
        while index < bytes.endIndex {
            switch self.state {
            case .idle, .upgrading:
                self.state = .head
                self.arm(context, self.headTimeout)
            case .head:
                // A line at a time, up to and including its LF (the one byte that can end a
                // head): a byte at a time, this handler was a tenth of a busy server's time.
                let newline = bytes[index...].firstIndex(of: UInt8(ascii: "\n"))
                let end = newline.map { $0 + 1 } ?? bytes.endIndex
                let room = Self.headLimit - self.head.count
                if room > 0 { self.head.append(contentsOf: bytes[index..<min(end, index + room)]) }
                index = end
                if newline != nil, self.head.suffix(4).elementsEqual("\r\n\r\n".utf8) || self.head.suffix(2).elementsEqual("\n\n".utf8) {
                    self.headEnded(context)
                }
            case .body(let remaining):
                let taken = min(remaining, bytes.endIndex - index)
                index += taken
                if taken == remaining {
                    self.requestEnded()
                } else {
                    self.state = .body(remaining: remaining - taken)
                    bodyGoesOn = true
                }
            case .chunked:
                self.chunkTail.append(bytes[index])
                index += 1
                if self.chunkTail.count > Self.lastChunk.count { self.chunkTail.removeFirst() }
                if self.chunkTail == Self.lastChunk {
                    self.requestEnded()
                    bodyGoesOn = false
                } else {
                    bodyGoesOn = true
                }
            }
        }
    }

    private func headEnded(_ context: ChannelHandlerContext) {
        let framing = Framing(head: self.head)
        self.head.removeAll(keepingCapacity: true)
        if framing.webSocketUpgrade {
            self.state = .upgrading
            self.disarm()
        } else if framing.chunked {
            self.state = .chunked
            // The body starts a line: its last chunk may be the first.
            self.chunkTail = Array("\r\n".utf8)
            self.arm(context, self.bodyTimeout)
        } else if framing.contentLength > 0 {
            self.state = .body(remaining: framing.contentLength)
            self.arm(context, self.bodyTimeout)
        } else {
            self.requestEnded()
        }
    }

    private func requestEnded() {
        self.state = .idle
        self.disarm()
    }

    private func arm(_ context: ChannelHandlerContext, _ timeout: TimeAmount) {
        let deadline = context.eventLoop.now + timeout
        self.deadline = deadline
        guard self.timer == nil || self.timerDue > deadline else { return }
        self.timer?.cancel()
        self.schedule(context, at: deadline)
    }

    private func schedule(_ context: ChannelHandlerContext, at due: NIODeadline) {
        self.timerDue = due
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) {
            self.timer = nil
            guard let deadline = self.deadline else { return }
            if deadline <= context.eventLoop.now {
                context.close(promise: nil)
            } else {
                self.schedule(context, at: deadline)
            }
        }
    }

    /// Nothing is timed until the next arm; a pending timer finds no deadline and stops.
    private func disarm() {
        self.deadline = nil
    }

    private func stopTimer() {
        self.deadline = nil
        self.timer?.cancel()
        self.timer = nil
    }

    /// What a request head says about what follows it.
    struct Framing {
        var contentLength = 0
        var chunked = false
        var webSocketUpgrade = false

        init(head: [UInt8]) {
            // Line by line, after the request line, without an array of lines.
            var start = head.firstIndex(of: 10).map { $0 + 1 } ?? head.endIndex
            while start < head.endIndex {
                let end = head[start...].firstIndex(of: 10) ?? head.endIndex
                var line = head[start..<end]
                start = end + 1
                if line.last == 13 { line = line.dropLast() }
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
                // Names compared as bytes: only the three that matter become strings.
                let name = line[..<colon]
                let value = { String(decoding: line[(colon + 1)...], as: UTF8.self).lowercased() }
                if Self.name(name, is: "content-length") {
                    self.contentLength = Int(value().filter { $0 != " " && $0 != "\t" }) ?? 0
                } else if Self.name(name, is: "transfer-encoding") {
                    self.chunked = value().contains("chunked")
                } else if Self.name(name, is: "upgrade") {
                    self.webSocketUpgrade = value().contains("websocket")
                }
            }
        }

        /// Whether a header name is `lowercased`, ignoring ASCII case.
        static func name(_ name: ArraySlice<UInt8>, is lowercased: StaticString) -> Bool {
            guard name.count == lowercased.utf8CodeUnitCount else { return false }
            return lowercased.withUTF8Buffer { expected in
                zip(name, expected).allSatisfy { byte, wanted in
                    (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 == wanted : byte == wanted
                }
            }
        }
    }
}
