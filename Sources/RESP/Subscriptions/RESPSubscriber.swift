import Logging
import NIOCore
import Synchronization

/// Owns the one subscription connection of a client and keeps it alive.
///
/// ``run()`` connects when there is something to subscribe to, subscribes every channel,
/// and after a drop reconnects with backoff and jitter, subscribes again and tells the
/// affected subscribers `.gap`. Messages are handed to subscribers on the connection's event
/// loop, in order, without any buffer in between: a subscriber's `deliver` must not block.
final class RESPSubscriber: Sendable {
    typealias Deliver = @Sendable (RESPSubscriptionDelivery) -> Void
    /// Opens a connection whose pushes go to the given closure.
    typealias Connect = @Sendable (_ onPush: @escaping @Sendable (RESPToken) -> Void) async throws -> RESPConnection
    typealias Machine = RESPSubscriptionStateMachine<Deliver, CheckedContinuation<Void, any Error>>

    private struct State {
        var machine = Machine()
        var connection: RESPConnection?
        /// Bumped per connection, so that a late push from an old one is ignored.
        var generation = 0
        /// The supervisor, parked until a connection is wanted.
        var wake: CheckedContinuation<Void, Never>?
        var isShutDown = false
    }

    private let state = Mutex(State())
    private let connect: Connect
    private let backoff: RESPBackoff
    private let confirmationTimeout: Duration
    private let logger: Logger

    init(backoff: RESPBackoff, confirmationTimeout: Duration, logger: Logger, connect: @escaping Connect) {
        self.backoff = backoff
        self.confirmationTimeout = confirmationTimeout
        self.logger = logger
        self.connect = connect
    }

    /// Subscribes `deliver` to `channel`; returns once Redis confirmed the subscription, so that
    /// everything published afterwards is delivered.
    func subscribe(to channel: String, deliver: @escaping Deliver) async throws -> RESPSubscription {
        let id = self.state.withLock { $0.machine.makeID() }
        let subscription = RESPSubscription(channel: channel) { [self] in self.unsubscribe(id: id, from: channel) }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await withTaskCancellationHandler {
                        try await self.register(id: id, channel: channel, deliver: deliver)
                    } onCancel: {
                        self.unsubscribe(id: id, from: channel)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: self.confirmationTimeout)
                    throw RESPSubscriptionError.timeout
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        } catch {
            self.unsubscribe(id: id, from: channel)
            throw error
        }
        return subscription
    }

    private func register(id: Int, channel: String, deliver: @escaping Deliver) async throws {
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            let wake: CheckedContinuation<Void, Never>? = self.state.withLock { state in
                if state.isShutDown {
                    waiter.resume(throwing: RESPSubscriptionError.shutDown)
                    return nil
                }
                switch state.machine.subscribe(id: id, to: channel, deliver: deliver, waiter: waiter) {
                case .resume(let waiter):
                    waiter.resume()
                case .cancelled(let waiter):
                    waiter.resume(throwing: CancellationError())
                case .sendSubscribe(let name):
                    // Written under the lock so that SUBSCRIBE and UNSUBSCRIBE of one channel
                    // reach the wire in the order the state machine decided them.
                    state.connection?.sendWithoutReply(SUBSCRIBE(channels: [name]))
                case .wait(let connect):
                    if connect {
                        let wake = state.wake
                        state.wake = nil
                        return wake
                    }
                }
                return nil
            }
            wake?.resume()
        }
    }

    func unsubscribe(id: Int, from channel: String) {
        self.state.withLock { state in
            switch state.machine.unsubscribe(id: id, from: channel) {
            case .none:
                break
            case .failWaiter(let waiter):
                waiter.resume(throwing: CancellationError())
            case .sendUnsubscribe(let name, let waiter):
                state.connection?.sendWithoutReply(UNSUBSCRIBE(channels: [name]))
                waiter?.resume(throwing: CancellationError())
            }
        }
    }

    /// Drops the current connection (e.g. the master moved): ``run()`` reconnects and
    /// resubscribes, and subscribers get `.gap`.
    func reconnect() {
        let connection = self.state.withLock { $0.connection }
        connection?.closeSoon()
    }

    /// Keeps the subscription connection up until cancelled.
    func run() async {
        var attempt = 0
        while !Task.isCancelled {
            await self.waitUntilWanted()
            if Task.isCancelled { break }
            let generation = self.state.withLock { state in
                state.generation += 1
                return state.generation
            }
            do {
                let connection = try await self.connect { [self] token in self.receivedPush(token, generation: generation) }
                let installed = self.state.withLock { state in
                    guard !state.isShutDown else { return false }
                    state.connection = connection
                    let channels = state.machine.connected()
                    if !channels.isEmpty { connection.sendWithoutReply(SUBSCRIBE(channels: channels)) }
                    return true
                }
                guard installed else {
                    await connection.close()
                    break
                }
                attempt = 0
                self.logger.debug("subscription connection up", metadata: ["address": "\(connection.address?.description ?? "?")"])
                await withTaskCancellationHandler {
                    try? await connection.closeFuture.get()
                } onCancel: {
                    connection.closeSoon()
                }
                self.state.withLock { state in
                    state.machine.disconnected()
                    state.connection = nil
                }
                self.logger.info("subscription connection lost; resubscribing")
            } catch {
                self.logger.info("subscription connection failed", metadata: ["error": "\(error)"])
            }
            if Task.isCancelled { break }
            try? await Task.sleep(for: self.backoff.delay(attempt: attempt))
            attempt += 1
        }
        await self.shutDown()
    }

    private func waitUntilWanted() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (wake: CheckedContinuation<Void, Never>) in
                let now = self.state.withLock { state in
                    if state.machine.wantsConnection || state.isShutDown || Task.isCancelled { return true }
                    state.wake = wake
                    return false
                }
                if now { wake.resume() }
            }
        } onCancel: {
            let wake = self.state.withLock { state in
                defer { state.wake = nil }
                return state.wake
            }
            wake?.resume()
        }
    }

    private func shutDown() async {
        let (waiters, connection, wake) = self.state.withLock { state in
            state.isShutDown = true
            defer {
                state.connection = nil
                state.wake = nil
            }
            return (state.machine.shutDown(), state.connection, state.wake)
        }
        for waiter in waiters { waiter.resume(throwing: RESPSubscriptionError.shutDown) }
        wake?.resume()
        await connection?.close()
    }

    /// Called on the connection's event loop for every push, in order.
    private func receivedPush(_ token: RESPToken, generation: Int) {
        let message = RESPPushMessage(token)
        switch message {
        case .message(let channel, let payload):
            let receivers = self.state.withLock { state in
                state.generation == generation ? state.machine.receivers(of: channel) : []
            }
            for deliver in receivers { deliver(.message(payload)) }
        case .subscribed(let channel):
            let (resume, gaps) = self.state.withLock { state in
                state.generation == generation ? state.machine.subscribeConfirmed(channel) : ([], [])
            }
            for deliver in gaps { deliver(.gap) }
            for waiter in resume { waiter.resume() }
        case .unsubscribed, .other:
            break
        }
    }
}
