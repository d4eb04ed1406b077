import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// The shared state of one `bench signals` run.
///
/// A signal carries its publisher, its sequence number and when it was sent (nanoseconds since
/// the run was made, on this process's one clock), so a subscriber times it without asking
/// anyone; each subscriber counts what it got in its own arrays and hands them over when its
/// connection ends, so that a delivery costs the generator no lock.
final class SignalsRun: Sendable {
    struct Outcome {
        /// Signals sent in the measured window.
        var sent = 0
        /// Those × the subscribers of their channel.
        var expected = 0
        var delivered = 0
        var lost = 0
        var duplicated = 0
        var latencies = Latencies()
        var errors: [String: Int] = [:]
        /// Subscribers whose counts arrived (all of them, unless the run had to cancel some).
        var reported = 0
    }

    /// What one publisher sent: sequence numbers `firstMeasured..<count` are in the window.
    struct Sent {
        var count = 0
        var firstMeasured: Int?
    }

    /// What one subscriber got: per publisher of its channel, deliveries per sequence number.
    struct Received {
        var channel: Int
        var counts: [Int: [UInt8]] = [:]
        var latencies = Latencies()
    }

    let clock = ContinuousClock()
    /// What the signals' times count from.
    private let base: ContinuousClock.Instant
    private let warmupNanoseconds: Int64
    /// Signals sent from here on (nanoseconds after `base`) count; set by ``begin()``.
    private let measuredFrom = Atomic<Int64>(.max)
    private let sent: Mutex<[Sent]>
    private let received = Mutex<[Received]>([])
    private let errors = Mutex<[String: Int]>([:])
    /// Publishers whose own subscription is in (until then a signal would be refused).
    private let publishersIn = Mutex<Set<Int>>([])
    let progress = RunProgress()

    init(publishers: Int, warmup: Duration) {
        self.base = self.clock.now
        self.warmupNanoseconds = warmup.nanoseconds
        self.sent = Mutex(Array(repeating: Sent(), count: publishers))
    }

    /// Publishing starts now (once every subscriber is in): answers the instant publishers count from.
    func begin() -> ContinuousClock.Instant {
        let start = self.clock.now
        self.measuredFrom.store((start - self.base).nanoseconds + self.warmupNanoseconds, ordering: .relaxed)
        return start
    }

    private func error(_ kind: String) {
        self.errors.withLock { $0[kind, default: 0] += 1 }
    }

    private func subscribeFrame(_ channel: String) -> String {
        #"{"type":"subscribe","channel":"\#(channel)","since":-1}"#
    }

    /// One subscriber of channel number `channel`: counts and times every signal it receives,
    /// in a handler on the connection's event loop (``SignalSubscriber``); returns when the
    /// connection has closed.
    func subscribe(to channel: Int, named name: String, at target: BenchTarget) async {
        do {
            let connection = try await BenchSocket.connect(to: target) { SignalSubscriber(run: self, channel: channel) }
            self.progress.opened(connection)
            try await connection.writeAndFlush(BenchSocket.text(self.subscribeFrame(name), allocator: connection.allocator))
            try? await connection.closeFuture.get()
        } catch {
            self.error("subscriber connection failed")
        }
    }

    /// Called once by each subscriber when its connection has ended.
    func report(_ mine: Received, closedWith code: WebSocketErrorCode?) {
        self.received.withLock { $0.append(mine) }
        if let code, code != .normalClosure { self.error("subscriber closed \(code)") }
    }

    func subscriberError() {
        self.error("subscriber error")
    }

    func count(_ signal: BenchSignal, into mine: inout Received) {
        guard signal.sentAt >= self.measuredFrom.load(ordering: .relaxed) else { return }
        mine.latencies.record(self.clock.now - (self.base + .nanoseconds(signal.sentAt)))
        // Mutated in place: a copy taken out of the dictionary would copy the array per delivery.
        let missing = signal.sequence + 1 - mine.counts[signal.publisher, default: []].count
        if missing > 0 { mine.counts[signal.publisher, default: []] += Array(repeating: 0, count: max(missing, 256)) }
        mine.counts[signal.publisher, default: []][signal.sequence] &+= 1
        self.progress.arrived()
    }

    /// One publisher: subscribes to `channel` (a sender must be), then sends a signal every
    /// `interval` from `start` until `end`. What it receives is read and dropped.
    func publish(
        as publisher: Int, to channel: String, at target: BenchTarget, every interval: Duration,
        from start: ContinuousClock.Instant, until end: ContinuousClock.Instant, logger: Logger
    ) async {
        do {
            try await WebSocketClient.connect(url: target.realtime, logger: logger) { inbound, outbound, _ in
                self.progress.opened(outbound)
                try await outbound.writeTextMessage(self.subscribeFrame(channel))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            guard case .text(let text) = message else { continue }
                            if text.utf8.starts(with: #"{"type":"subscribed""#.utf8) {
                                self.publishersIn.withLock { _ = $0.insert(publisher) }
                            } else if text.utf8.starts(with: #"{"type":"error""#.utf8) {
                                self.error("publisher error")
                            }
                        }
                    }
                    while !self.publishersIn.withLock({ $0.contains(publisher) }) {
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    var sequence = 0
                    while true {
                        let due = start + interval * sequence
                        guard due < end else { break }
                        try await Task.sleep(until: due, clock: self.clock)
                        let sentAt = (self.clock.now - self.base).nanoseconds
                        if sentAt >= self.measuredFrom.load(ordering: .relaxed) {
                            self.sent.withLock { sent in
                                if sent[publisher].firstMeasured == nil { sent[publisher].firstMeasured = sequence }
                            }
                        }
                        try await outbound.writeTextMessage(
                            #"{"type":"signal","channel":"\#(channel)","name":"bench","data":{"p":\#(publisher),"s":\#(sequence),"t":\#(sentAt)}}"#)
                        sequence += 1
                        self.sent.withLock { $0[publisher].count = sequence }
                    }
                    try await group.next()
                }
            }
        } catch {
            self.error("publisher connection failed")
        }
    }

    func outcome(channelOfPublisher: (Int) -> Int) -> Outcome {
        let sent = self.sent.withLock { $0 }
        let received = self.received.withLock { $0 }
        var outcome = Outcome(errors: self.errors.withLock { $0 }, reported: received.count)
        for (publisher, log) in sent.enumerated() {
            let channel = channelOfPublisher(publisher)
            let measured = (log.firstMeasured ?? log.count)..<log.count
            outcome.sent += measured.count
            for subscriber in received where subscriber.channel == channel {
                let counts = subscriber.counts[publisher] ?? []
                outcome.expected += measured.count
                for sequence in measured {
                    let got = sequence < counts.count ? Int(counts[sequence]) : 0
                    outcome.delivered += got
                    if got == 0 { outcome.lost += 1 }
                    if got > 1 { outcome.duplicated += got - 1 }
                }
            }
        }
        for subscriber in received { outcome.latencies.add(subscriber.latencies) }
        return outcome
    }
}

/// One subscriber's connection: subscribes once upgraded, then counts what arrives, on its
/// event loop; hands its counts to the run when the connection ends.
final class SignalSubscriber: BenchSocketHandler, @unchecked Sendable {
    // @unchecked: created on, and only ever used on, its channel's event loop.
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let run: SignalsRun
    private var mine: SignalsRun.Received
    private var closeCode: WebSocketErrorCode?

    init(run: SignalsRun, channel: Int) {
        self.run = run
        self.mine = SignalsRun.Received(channel: channel)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.handle(self.unwrapInboundIn(data), context: context)
    }

    func textFrame(_ payload: ByteBuffer, context: ChannelHandlerContext) {
        payload.withUnsafeReadableBytes { bytes in
            if let signal = BenchSignal(bytes) {
                self.run.count(signal, into: &self.mine)
            } else if bytes.starts(with: #"{"type":"subscribed""#.utf8) {
                self.run.progress.subscribedOne()
            } else if bytes.starts(with: #"{"type":"error""#.utf8) {
                self.run.subscriberError()
            }
        }
    }

    func serverClosed(with code: WebSocketErrorCode?) {
        self.closeCode = code
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.run.report(self.mine, closedWith: self.closeCode ?? .unknown(1006))
        context.fireChannelInactive()
    }
}

/// The three numbers of a bench signal, read from the frame's bytes without a JSON parse (the
/// server passes a client's `data` through as sent: `{"p":1,"s":2,"t":3}`).
struct BenchSignal {
    var publisher: Int
    var sequence: Int
    var sentAt: Int64

    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.starts(with: #"{"type":"signal""#.utf8),
            let data = Self.end(of: Self.dataKey, in: bytes), let publisher = Self.integer(in: bytes, at: data),
            let s = Self.end(of: Self.sequenceKey, in: bytes, from: data), let sequence = Self.integer(in: bytes, at: s),
            let t = Self.end(of: Self.timeKey, in: bytes, from: s), let sentAt = Self.integer(in: bytes, at: t)
        else { return nil }
        self.publisher = Int(publisher)
        self.sequence = Int(sequence)
        self.sentAt = sentAt
    }

    // Built once: a delivery is parsed tens of thousands of times a second.
    private static let dataKey = Array(#""data":{"p":"#.utf8)
    private static let sequenceKey = Array(#","s":"#.utf8)
    private static let timeKey = Array(#","t":"#.utf8)

    private static func end(of needle: [UInt8], in bytes: UnsafeRawBufferPointer, from start: Int = 0) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        for index in start...(bytes.count - needle.count) where bytes[index..<(index + needle.count)].elementsEqual(needle) {
            return index + needle.count
        }
        return nil
    }

    private static func integer(in bytes: UnsafeRawBufferPointer, at start: Int) -> Int64? {
        var value: Int64 = 0
        var index = start
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            value = value * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
            index += 1
        }
        return index > start ? value : nil
    }
}

extension Duration {
    var nanoseconds: Int64 {
        self.components.seconds * 1_000_000_000 + self.components.attoseconds / 1_000_000_000
    }
}
