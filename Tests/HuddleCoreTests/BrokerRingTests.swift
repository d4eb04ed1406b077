import HuddleCore
import Synchronization
import Testing

/// `Broker.ring`: a stored event's doorbell waits for a healthy broker, never for a stuck one.
@Suite(.timeLimit(.minutes(1))) struct BrokerRingTests {
    /// A broker whose publishes hang until the test lets them through, like Redis mid-failover.
    final class StuckBroker: Broker {
        let published = Atomic<Int>(0)
        let gate: AsyncStream<Void>
        let release: AsyncStream<Void>.Continuation

        init() { (self.gate, self.release) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .unbounded) }

        func publish(_ message: BrokerMessage, to channel: String) async throws {
            for await _ in self.gate { break }
            self.published.add(1, ordering: .relaxed)
        }

        func subscribe(to channel: String, _ deliver: @escaping @Sendable (BrokerDelivery) -> Void) async throws
            -> any BrokerSubscription
        { fatalError("not used") }
    }

    @Test func aHealthyBrokerHasPublishedWhenRingReturns() async throws {
        let broker = InProcessBroker()
        let received = Mutex<[BrokerDelivery]>([])
        _ = try await broker.subscribe(to: "c") { delivery in received.withLock { $0.append(delivery) } }
        let message = BrokerMessage(kind: .event, offset: 1, frame: "{}")
        // Patience far beyond an in-process publish: ring waits for it.
        await broker.ring(message, on: "c", patience: .seconds(60))
        #expect(received.withLock { $0 } == [.message(message)])
    }

    /// A broker that publishes immediately is awaited on the caller's own task: no task and
    /// no timer per doorbell.
    @Test func anImmediateBrokerPublishesOnTheCallersTask() async throws {
        final class SameTaskBroker: Broker {
            let publishedOn = Mutex<Int?>(nil)
            var publishesImmediately: Bool { true }
            func publish(_ message: BrokerMessage, to channel: String) async throws {
                withUnsafeCurrentTask { task in self.publishedOn.withLock { $0 = task?.hashValue } }
            }
            func subscribe(to channel: String, _ deliver: @escaping @Sendable (BrokerDelivery) -> Void) async throws
                -> any BrokerSubscription
            { fatalError("not used") }
        }
        let broker = SameTaskBroker()
        await broker.ring(BrokerMessage(kind: .event, offset: 1, frame: "{}"), on: "c", patience: .seconds(60))
        let caller = withUnsafeCurrentTask { $0?.hashValue }
        #expect(broker.publishedOn.withLock { $0 } == caller)
        #expect(InProcessBroker().publishesImmediately)
    }

    @Test func aStuckPublishDoesNotHoldTheCallerAndStillFinishes() async throws {
        let broker = StuckBroker()
        await broker.ring(BrokerMessage(kind: .event, offset: 1, frame: "{}"), on: "c", patience: .milliseconds(10))
        #expect(broker.published.load(ordering: .relaxed) == 0, "ring returned while the publish was still stuck")
        broker.release.yield()
        for _ in 0..<1_000 where broker.published.load(ordering: .relaxed) == 0 {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(broker.published.load(ordering: .relaxed) == 1, "the publish went on in the background")
    }
}

@Suite(.timeLimit(.minutes(1))) struct DeadlineTests {
    /// A body that ignores cancellation (a continuation nobody resumes yet) must not hold the
    /// caller past the deadline; the guard test below fails instead of hanging if it does.
    @Test func theDeadlineHoldsForABodyThatIgnoresCancellation() async throws {
        let stuck = FirstSignal()
        let outcome = Task {
            do {
                try await withDeadline(.milliseconds(100)) { await stuck.wait() }
                return "finished"
            } catch is DeadlineExceeded {
                return "deadline"
            } catch {
                return "\(error)"
            }
        }
        let guardTimer = Task {
            try await Task.sleep(for: .seconds(20))
            stuck.fire()
        }
        #expect(await outcome.value == "deadline")
        #expect(!stuck.hasFired, "the deadline, not the release, ended the wait")
        guardTimer.cancel()
        stuck.fire()
    }

    @Test func aQuickBodyReturnsItsValue() async throws {
        #expect(try await withDeadline(.seconds(10)) { 42 } == 42)
    }
}
