public import Logging
public import NIOCore
public import NIOPosix

/// Huddle's Redis client: a connection pool for commands, one subscription connection, and
/// (optionally) Sentinel discovery that follows failovers.
///
/// ``run()`` must be running (as a service, or in a task group) for subscriptions to be kept
/// alive and for Sentinel's `+switch-master` to be followed; commands work without it.
/// When the master moves (`+switch-master`, a `READONLY` reply, or a reconnect that finds a
/// different master) every pooled connection to the old master is closed and the
/// subscription connection reconnects, resubscribes and reports `.gap`.
public final class RESPClient: Sendable {
    private let configuration: RESPClientConfiguration
    private let logger: Logger
    private let connector: RESPMasterConnector
    private let pool: RESPConnectionPool
    private let subscriber: RESPSubscriber
    private let sentinelWatcher: RESPSubscriber?
    private let masterName: String?
    /// Coalesced "check where the master is" signals for ``run()``.
    private let checks: AsyncStream<Void>
    private let checkSignal: AsyncStream<Void>.Continuation

    public init(
        endpoint: RESPEndpoint,
        configuration: RESPClientConfiguration = RESPClientConfiguration(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "resp")
    ) {
        self.configuration = configuration
        self.logger = logger
        let (checks, checkSignal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.checks = checks
        self.checkSignal = checkSignal
        let connector = RESPMasterConnector(
            endpoint: endpoint,
            configuration: configuration.connection,
            eventLoopGroup: eventLoopGroup,
            logger: logger,
            masterMoved: { checkSignal.yield() }
        )
        self.connector = connector
        self.pool = RESPConnectionPool(maximumConnections: configuration.maximumConnections) { try await connector.open() }
        self.subscriber = RESPSubscriber(backoff: configuration.backoff, confirmationTimeout: configuration.subscribeTimeout, logger: logger) {
            onPush in try await connector.open(subscriberMode: true, onPush: onPush)
        }
        if case .sentinel(let sentinel) = endpoint, let resolver = connector.resolver {
            self.masterName = sentinel.masterName
            self.sentinelWatcher = RESPSubscriber(backoff: configuration.backoff, confirmationTimeout: sentinel.queryTimeout * 4, logger: logger) {
                onPush in try await resolver.connectToSentinel(onPush: onPush)
            }
        } else {
            self.masterName = nil
            self.sentinelWatcher = nil
        }
    }

    /// Keeps the subscription connection and the Sentinel watch alive until cancelled, then
    /// closes every connection.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.subscriber.run() }
            if let watcher = self.sentinelWatcher {
                group.addTask { await watcher.run() }
                group.addTask { await self.watchSwitchMaster(watcher) }
            }
            group.addTask { await self.followMaster() }
            await group.waitForAll()
        }
        self.checkSignal.finish()
        await self.pool.shutDown()
    }

    /// Sends `command` on a pooled connection and decodes its reply.
    ///
    /// Opening a connection is retried (``RESPClientConfiguration/connectAttempts``); a command
    /// that was written is not, since its outcome is unknown.
    public func execute<Command: RESPCommand>(_ command: Command) async throws -> Command.Response {
        try await self.withConnection { try await $0.execute(command) }
    }

    /// Runs `body` with one connection to itself, e.g. a write followed by `WAIT` (which only
    /// counts the writes of its own connection).
    public func withConnection<Result>(_ body: (RESPConnection) async throws -> Result) async throws -> Result {
        let connection = try await self.lease()
        do {
            let result = try await body(connection)
            await self.pool.release(connection)
            return result
        } catch {
            await self.pool.release(connection)
            await self.failed(with: error)
            throw error
        }
    }

    /// Delivers `channel`'s messages to `deliver` until the subscription is cancelled; returns
    /// once Redis confirmed the subscription.
    ///
    /// `deliver` is called on an event loop, in order, and must not block. After a reconnect it
    /// receives `.gap` once the channel is subscribed again.
    public func subscribe(
        to channel: String,
        deliver: @escaping @Sendable (RESPSubscriptionDelivery) -> Void
    ) async throws -> RESPSubscription {
        try await self.subscriber.subscribe(to: channel, deliver: deliver)
    }

    /// Subscribes to `channels` for the duration of `body`, which reads the messages.
    ///
    /// ```swift
    /// try await client.subscribe(to: ["news"]) { messages in
    ///     for try await message in messages { … }
    /// }
    /// ```
    public func subscribe<Result>(
        to channels: [String],
        _ body: (RESPSubscriptionMessages) async throws -> Result
    ) async throws -> Result {
        let (messages, feed, finish) = RESPSubscriptionMessages.makeBounded(capacity: self.configuration.subscriptionBufferSize)
        var subscriptions: [RESPSubscription] = []
        defer {
            for subscription in subscriptions { subscription.cancel() }
            finish()
        }
        for channel in channels {
            subscriptions.append(
                try await self.subscriber.subscribe(to: channel) { delivery in
                    feed(RESPSubscriptionMessage(channel: channel, delivery: delivery))
                }
            )
        }
        return try await body(messages)
    }

    // MARK: Failover

    private func lease() async throws -> RESPConnection {
        var attempt = 0
        while true {
            do {
                return try await self.pool.lease()
            } catch {
                attempt += 1
                guard attempt < self.configuration.connectAttempts, !Task.isCancelled else { throw error }
                self.checkSignal.yield()
                try await Task.sleep(for: self.configuration.backoff.delay(attempt: attempt))
            }
        }
    }

    private func failed(with error: any Error) async {
        if let error = error as? RESPError, error.isReadOnly {
            // This server was demoted: nothing pooled may write any more.
            self.logger.notice("READONLY from Redis: reconnecting to the new master")
            await self.pool.invalidateAll()
            self.subscriber.reconnect()
            self.checkSignal.yield()
        } else if error is RESPConnectionError {
            self.checkSignal.yield()
        }
    }

    /// Re-resolves on every signal; when the master moved, drops every connection to the old one.
    private func followMaster() async {
        var known = self.connector.masterEpoch
        for await _ in self.checks {
            await self.connector.refresh()
            let current = self.connector.masterEpoch
            if current != known {
                known = current
                await self.pool.invalidateAll()
                self.subscriber.reconnect()
            }
        }
    }

    private func watchSwitchMaster(_ watcher: RESPSubscriber) async {
        let masterName = self.masterName
        let signal = self.checkSignal
        var attempt = 0
        while !Task.isCancelled {
            do {
                let subscription = try await watcher.subscribe(to: "+switch-master") { delivery in
                    switch delivery {
                    case .message(let payload):
                        if let event = RESPSwitchMasterEvent(payload), event.masterName == masterName { signal.yield() }
                    case .gap:
                        // The Sentinel connection dropped: a switch may have been missed.
                        signal.yield()
                    }
                }
                while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
                subscription.cancel()
                return
            } catch {
                try? await Task.sleep(for: self.configuration.backoff.delay(attempt: attempt))
                attempt += 1
            }
        }
    }
}
