/// A bounded set of connections, leased one command at a time.
///
/// At most ``maximumConnections`` exist; callers beyond that wait for one to be released. A
/// connection that closed is dropped and a new one made on demand. ``invalidateAll()`` drops
/// every connection (idle ones at once, leased ones on release): Sentinel uses it when the
/// master moved, so that nothing keeps talking to the old one.
actor RESPConnectionPool {
    typealias Factory = @Sendable () async throws -> RESPConnection

    let maximumConnections: Int
    private let factory: Factory
    private var idle: [RESPConnection] = []
    /// Connections that exist or are being made.
    private var count = 0
    private var waiters: [CheckedContinuation<Void, any Error>] = []
    private var generation = 0
    private var leased: [ObjectIdentifier: Int] = [:]
    private var isShutDown = false

    init(maximumConnections: Int, factory: @escaping Factory) {
        precondition(maximumConnections > 0)
        self.maximumConnections = maximumConnections
        self.factory = factory
    }

    /// Connections open or being opened (for tests and metrics).
    var connectionCount: Int { self.count }

    func lease() async throws -> RESPConnection {
        while true {
            guard !self.isShutDown else { throw RESPConnectionError(.connectionClosed) }
            while let connection = self.idle.popLast() {
                if connection.isOpen {
                    self.leased[ObjectIdentifier(connection)] = self.generation
                    return connection
                }
                self.count -= 1
            }
            if self.count < self.maximumConnections {
                self.count += 1
                let generation = self.generation
                do {
                    let connection = try await self.factory()
                    if self.isShutDown {
                        await connection.close()
                        throw RESPConnectionError(.connectionClosed)
                    }
                    self.leased[ObjectIdentifier(connection)] = generation
                    return connection
                } catch {
                    self.count -= 1
                    self.wakeOne()
                    throw error
                }
            }
            // Wait for a release, then look again.
            try await withCheckedThrowingContinuation { self.waiters.append($0) }
        }
    }

    func release(_ connection: RESPConnection) {
        let generation = self.leased.removeValue(forKey: ObjectIdentifier(connection))
        if connection.isOpen, generation == self.generation, !self.isShutDown {
            self.idle.append(connection)
        } else {
            connection.closeSoon()
            self.count -= 1
        }
        self.wakeOne()
    }

    /// Closes every connection: idle ones now, leased ones when released.
    func invalidateAll() {
        self.generation += 1
        for connection in self.idle { connection.closeSoon() }
        self.count -= self.idle.count
        self.idle.removeAll()
        self.wakeAll()
    }

    func shutDown() async {
        self.isShutDown = true
        let idle = self.idle
        self.idle.removeAll()
        self.count -= idle.count
        for waiter in self.waiters { waiter.resume(throwing: RESPConnectionError(.connectionClosed)) }
        self.waiters.removeAll()
        for connection in idle { await connection.close() }
    }

    private func wakeOne() {
        if !self.waiters.isEmpty { self.waiters.removeFirst().resume() }
    }

    private func wakeAll() {
        let waiters = self.waiters
        self.waiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }
}
