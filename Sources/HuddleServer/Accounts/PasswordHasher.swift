import HTTPTypes
import HummingbirdBcrypt
import NIOCore
import NIOPosix
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// bcrypt on threads of its own: a hash takes a quarter of a second at cost 12. Not on the
/// cooperative pool (it runs every request and WebSocket), and not on NIO's shared thread pool
/// either, where SQLite runs: a flood of logins there made every store request wait behind it.
/// At most `queueLimit` hashes wait or run at once; past that a login or registration is
/// answered 503 with `Retry-After` at once instead of queueing without bound.
struct PasswordHasher: Sendable {
    let cost: Int
    private let gate: HashGate

    init(cost: Int, queueLimit: Int) {
        self.cost = cost
        self.gate = HashGate(limit: queueLimit)
    }

    func hash(_ password: String) async throws -> String {
        let cost = UInt8(self.cost)
        return try await self.gate.run { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await self.gate.run { Bcrypt.verify(password, hash: hash) }
    }
}

/// Counts the hashes in flight and runs them on ``BcryptThreads``.
private final class HashGate: Sendable {
    let limit: Int
    private let inFlight = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T {
        guard self.inFlight.add(1, ordering: .relaxed).newValue <= self.limit else {
            self.inFlight.subtract(1, ordering: .relaxed)
            throw APIError(.serviceUnavailable, "Too many sign-ins at once; try again in a moment.", retryAfter: 1)
        }
        defer { self.inFlight.subtract(1, ordering: .relaxed) }
        return try await BcryptThreads.pool.runIfActive {
            BcryptThreads.yieldToOthers()
            return work()
        }
    }
}

/// bcrypt's own threads: half the cores (at least one), at a lower scheduling priority. A
/// flood of logins then gets what is left over, not the cores the requests and sockets need:
/// with a thread per core at normal priority, 400 logins in flight on 2 cores made board
/// commands wait half a second (`huddle bench login-flood`, docs/BENCHMARKS.md).
private enum BcryptThreads {
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount / 2))
        pool.start()
        return pool
    }()

    /// Lowers the calling thread's priority (nice 10; Linux sets it per thread). Idempotent
    /// and one system call, against a quarter of a second of hashing.
    static func yieldToOthers() {
        #if os(Linux)
        // Who 0 is the calling thread: on Linux the nice value belongs to each thread.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }
}
