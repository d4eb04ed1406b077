import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// The shared state of one `bench fanout` run: when each move was sent, what was delivered,
/// and every open connection (so the run can close them all at the end).
final class FanoutRun: Sendable {
    struct Outcome {
        var published = 0
        var acknowledged = 0
        /// Acknowledged events sent in the measured window × subscribers of their board.
        var expected = 0
        var delivered = 0
        /// Deliveries of acknowledged, measured events that some subscriber never got.
        var lost = 0
        var latencies = Latencies()
        var errors: [String: Int] = [:]
    }

    /// One publisher's moves: when each was sent (by sequence number) and which were acknowledged.
    private struct Sent {
        var times: [ContinuousClock.Instant] = []
        var acknowledged: [Bool] = []
        var measuredFrom: ContinuousClock.Instant?
    }

    private struct Received {
        /// Deliveries per publisher per sequence number.
        var delivered: [[Int]] = []
        var latencies = Latencies()
        var errors: [String: Int] = [:]
    }

    let clock: ContinuousClock
    private let publisherOfBox: [String: Int]
    private let sent: Mutex<[Sent]>
    private let received: Mutex<Received>
    let progress = RunProgress()

    init(boxes: [String], clock: ContinuousClock) {
        self.clock = clock
        self.publisherOfBox = Dictionary(uniqueKeysWithValues: boxes.enumerated().map { ($0.element, $0.offset) })
        self.sent = Mutex(Array(repeating: Sent(), count: boxes.count))
        self.received = Mutex(Received(delivered: Array(repeating: [], count: boxes.count)))
    }

    private func error(_ kind: String) {
        self.received.withLock { $0.errors[kind, default: 0] += 1 }
    }

    /// One subscriber: joins `channel` from now on and times every move it receives, in a
    /// handler on the connection's event loop (``FanoutSubscriber``); returns when the
    /// connection has closed.
    func subscribe(to channel: String, at target: BenchTarget) async {
        do {
            let connection = try await BenchSocket.connect(to: target) { FanoutSubscriber(run: self) }
            self.progress.opened(connection)
            let subscribe = #"{"type":"subscribe","channel":"\#(channel)","since":-1}"#
            try await connection.writeAndFlush(BenchSocket.text(subscribe, allocator: connection.allocator))
            try? await connection.closeFuture.get()
        } catch {
            self.error("subscriber connection failed")
        }
    }

    /// A frame a subscriber received.
    func received(_ frame: BenchFrame) {
        switch frame.type {
        case "event": self.deliver(frame)
        case "subscribed": self.progress.subscribedOne()
        case "error": self.error("subscriber error \(frame.code ?? "?")")
        default: break
        }
    }

    func subscriberClosed(with code: WebSocketErrorCode?) {
        if let code, code != .normalClosure { self.error("subscriber closed \(code)") }
    }

    private func deliver(_ frame: BenchFrame) {
        let now = self.clock.now
        guard frame.name == "boxMoved", let box = frame.data?.boxId, let publisher = self.publisherOfBox[box],
            let x = frame.data?.x, let y = frame.data?.y
        else { return }
        let sequence = Int(y) * 10_000 + Int(x)
        let sentAt: ContinuousClock.Instant? = self.sent.withLock { sent in
            let log = sent[publisher]
            guard sequence < log.times.count, let from = log.measuredFrom, log.times[sequence] >= from else { return nil }
            return log.times[sequence]
        }
        guard let sentAt else { return }
        self.received.withLock { received in
            if received.delivered[publisher].count <= sequence {
                received.delivered[publisher] += Array(repeating: 0, count: sequence + 1 - received.delivered[publisher].count)
            }
            received.delivered[publisher][sequence] += 1
            received.latencies.record(now - sentAt)
        }
        self.progress.arrived()
    }

    /// One publisher: moves its box every `interval` seconds until `end`, then waits for the acks.
    func publish(
        box publisher: Int, on channel: String, at target: BenchTarget, every interval: Double,
        from start: ContinuousClock.Instant, measuredFrom: ContinuousClock.Instant, until end: ContinuousClock.Instant,
        logger: Logger
    ) async {
        guard let box = self.publisherOfBox.first(where: { $0.value == publisher })?.key else { return }
        self.sent.withLock { $0[publisher].measuredFrom = measuredFrom }
        do {
            try await WebSocketClient.connect(url: target.realtime, logger: logger) { inbound, outbound, _ in
                self.progress.opened(outbound)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            guard case .text(let text) = message, let frame = BenchFrame.parse(text) else { continue }
                            if frame.type == "ack", let id = frame.id.flatMap(Int.init) {
                                self.sent.withLock { $0[publisher].acknowledged[id] = true }
                                self.progress.arrived()
                            } else if frame.type == "error" {
                                self.error("command error \(frame.code ?? "?")")
                            }
                        }
                    }
                    var sequence = 0
                    while true {
                        let due = start + .milliseconds(Int(Double(sequence) * interval * 1000))
                        guard due < end else { break }
                        try await Task.sleep(until: due, clock: self.clock)
                        self.sent.withLock { sent in
                            sent[publisher].times.append(self.clock.now)
                            sent[publisher].acknowledged.append(false)
                        }
                        try await outbound.writeTextMessage(
                            #"{"type":"command","id":"\#(sequence)","channel":"\#(channel)","name":"moveBox","#
                                + #""data":{"boxId":"\#(box)","x":\#(sequence % 10_000),"y":\#(sequence / 10_000)}}"#)
                        sequence += 1
                    }
                    try await group.next()
                }
            }
        } catch {
            self.error("publisher connection failed")
        }
    }

    func outcome(subscribersPerBoard: [Int], boardOfPublisher: (Int) -> Int) -> Outcome {
        let sent = self.sent.withLock { $0 }
        let received = self.received.withLock { $0 }
        var outcome = Outcome(latencies: received.latencies, errors: received.errors)
        for (publisher, log) in sent.enumerated() {
            let subscribers = subscribersPerBoard[boardOfPublisher(publisher)]
            let deliveries = received.delivered[publisher]
            outcome.published += log.times.count
            outcome.acknowledged += log.acknowledged.count { $0 }
            outcome.delivered += deliveries.reduce(0, +)
            for (sequence, time) in log.times.enumerated() where log.acknowledged[sequence] {
                guard let from = log.measuredFrom, time >= from else { continue }
                outcome.expected += subscribers
                outcome.lost += max(0, subscribers - (sequence < deliveries.count ? deliveries[sequence] : 0))
            }
        }
        return outcome
    }
}

/// One subscriber's connection: subscribes once upgraded, then hands each frame it can parse to
/// the run, on its event loop.
final class FanoutSubscriber: BenchSocketHandler, @unchecked Sendable {
    // @unchecked: created on, and only ever used on, its channel's event loop.
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let run: FanoutRun
    private var closeCode: WebSocketErrorCode?
    private let decoder = JSONDecoder()

    init(run: FanoutRun) {
        self.run = run
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.handle(self.unwrapInboundIn(data), context: context)
    }

    func textFrame(_ payload: ByteBuffer, context: ChannelHandlerContext) {
        if let frame = try? self.decoder.decode(BenchFrame.self, from: Data(payload.readableBytesView)) {
            self.run.received(frame)
        }
    }

    func serverClosed(with code: WebSocketErrorCode?) {
        self.closeCode = code
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.run.subscriberClosed(with: self.closeCode ?? .unknown(1006))
        context.fireChannelInactive()
    }
}
