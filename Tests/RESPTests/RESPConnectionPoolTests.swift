import Logging
import NIOCore
import NIOEmbedded
@testable import RESP
import Synchronization
import Testing

@Suite("Connection pool, on testing channels")
struct RESPConnectionPoolTests {
    /// Makes ready connections on testing channels (RESP2, no handshake) and counts them.
    final class Factory: Sendable {
        let made = Mutex<[NIOAsyncTestingChannel]>([])

        func make() async throws -> RESPConnection {
            let channel = NIOAsyncTestingChannel()
            try await channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 6379))
            self.made.withLock { $0.append(channel) }
            return try await RESPConnection.setUp(
                channel: channel,
                address: nil,
                configuration: .init(protocolVersion: .resp2),
                logger: Logger(label: "test")
            )
        }
    }

    @Test("never more connections than the bound; a waiter gets the next release")
    func bounded() async throws {
        let factory = Factory()
        let pool = RESPConnectionPool(maximumConnections: 2) { try await factory.make() }
        let first = try await pool.lease()
        let second = try await pool.lease()
        #expect(await pool.connectionCount == 2)
        let waiter = Task { try await pool.lease() }
        try await Task.sleep(for: .milliseconds(50))
        #expect(await pool.connectionCount == 2)
        await pool.release(first)
        let third = try await waiter.value
        #expect(third === first)
        await pool.release(second)
        await pool.release(third)
        #expect(factory.made.withLock { $0.count } == 2)
    }

    @Test("a closed connection is dropped and replaced")
    func replacesBroken() async throws {
        let factory = Factory()
        let pool = RESPConnectionPool(maximumConnections: 1) { try await factory.make() }
        let connection = try await pool.lease()
        await connection.close()
        await pool.release(connection)
        #expect(await pool.connectionCount == 0)
        let replacement = try await pool.lease()
        #expect(replacement !== connection)
        #expect(replacement.isOpen)
        await pool.release(replacement)
    }

    @Test("invalidateAll closes idle connections now and leased ones on release")
    func invalidate() async throws {
        let factory = Factory()
        let pool = RESPConnectionPool(maximumConnections: 2) { try await factory.make() }
        let idle = try await pool.lease()
        let leased = try await pool.lease()
        await pool.release(idle)
        await pool.invalidateAll()
        try await idle.closeFuture.get()
        #expect(leased.isOpen)
        await pool.release(leased)
        try await leased.closeFuture.get()
        #expect(await pool.connectionCount == 0)
        let fresh = try await pool.lease()
        #expect(fresh !== idle && fresh !== leased)
        await pool.release(fresh)
    }
}
