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
/// refused with 503 and `Retry-After` instead of queueing without bound (answered after
/// ``SessionAuthority/refusalPause``).
struct PasswordHasher: Sendable {
    let cost: Int
    private let gate: HashGate

    init(cost: Int, queueLimit: Int) {
        self.cost = cost
        self.gate = HashGate(limit: queueLimit)
    }

    func hash(_ password: String) async throws -> String {
        try await self.reserving { try await $0.hash(password) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await self.reserving { try await $0.verify(password, hash: hash) }
    }

    /// Runs `body` holding one of the `queueLimit` places, or answers 503 at once without
    /// running it. A login takes its place before it looks the user up: under a flood, a
    /// refused login then costs no store read (the store is what everyone else waits for).
    func reserving<T: Sendable>(_ body: (Hashing) async throws -> T) async throws -> T {
        try self.gate.enter()
        defer { self.gate.leave() }
        return try await body(Hashing(cost: UInt8(self.cost)))
    }

    /// bcrypt for a caller holding a place (``reserving(_:)``).
    struct Hashing: Sendable {
        fileprivate let cost: UInt8

        func hash(_ password: String) async throws -> String {
            let cost = self.cost
            return try await BcryptThreads.run { Bcrypt.hash(password, cost: cost) }
        }

        func verify(_ password: String, hash: String) async throws -> Bool {
            try await BcryptThreads.run { Bcrypt.verify(password, hash: hash) }
        }
    }
}

/// Counts the places taken among the hashes waiting or running.
private final class HashGate: Sendable {
    let limit: Int
    private let inFlight = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    func enter() throws {
        guard self.inFlight.add(1, ordering: .relaxed).newValue <= self.limit else {
            self.inFlight.subtract(1, ordering: .relaxed)
            throw APIError(.serviceUnavailable, "Too many sign-ins at once; try again in a moment.", retryAfter: 1)
        }
    }

    func leave() {
        self.inFlight.subtract(1, ordering: .relaxed)
    }
}

/// bcrypt's own threads: half the cores (at least one), at a lower scheduling priority. A
/// flood of logins then gets what is left over, not the cores the requests and sockets need:
/// with a thread per core at normal priority, 400 logins in flight on 2 cores made board
/// commands wait half a second (`huddle bench login-flood`, docs/BENCHMARKS.md).
private enum BcryptThreads {
    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T {
        try await self.pool.runIfActive {
            self.yieldToOthers()
            return work()
        }
    }

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
