#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
@testable import RESP
import Testing

/// Socket options are set at two levels: `SOL_SOCKET` (`.socketOption`) and `IPPROTO_TCP`
/// (`.tcpOption`). TCP_NODELAY given at the socket level is SO_DEBUG (both are option 1 on
/// Linux), which only root may set: the connection then failed with EACCES for everyone else,
/// and for root it left Nagle's algorithm on.
@Suite("Socket options of a Redis connection", .enabled(if: RedisRig.isAvailable, RedisRig.skipReason))
struct RESPSocketOptionsTests {
    @Test("TCP_NODELAY is on at the TCP level and SO_DEBUG stays off")
    func noDelay() async throws {
        let connection = try await RedisRig.connect()
        let noDelay = try await connection.channel.getOption(.tcpOption(.tcp_nodelay)).get()
        let debug = try await connection.channel.getOption(.socketOption(NIOBSDSocket.Option(rawValue: SO_DEBUG))).get()
        #expect(noDelay != 0)
        #expect(debug == 0)
        await connection.close()
    }
}
