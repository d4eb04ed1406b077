import HummingbirdBcrypt
import NIOPosix

/// bcrypt on NIO's thread pool: a hash takes a quarter of a second at cost 12, which must not
/// stall the cooperative pool that runs every request and WebSocket.
struct PasswordHasher: Sendable {
    let cost: Int

    func hash(_ password: String) async throws -> String {
        let cost = UInt8(self.cost)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
