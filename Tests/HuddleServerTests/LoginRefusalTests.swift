import HTTPTypes
import HuddleCore
@testable import HuddleServer
import Logging
import Synchronization
import Testing

/// A login refused because the hashes' queue is full must cost the store nothing: under a
/// flood, the store is what every other request waits for.
@Suite struct LoginRefusalTests {
    @Test func aLoginRefusedForAFullHashQueueReadsNoUser() async throws {
        let accounts = CountingAccounts()
        let passwords = PasswordHasher(cost: 4, queueLimit: 1)
        let authority = try await Self.authority(accounts: accounts, passwords: passwords)
        let held = await HeldPlace(in: passwords)

        await #expect(throws: APIError.self) {
            _ = try await authority.login("nobody", password: "some password", client: "10.0.0.1")
        }
        #expect(accounts.lookups == 0, "the refused login looked the user up")

        try await held.letGo()
        await #expect(throws: APIError.self) {
            _ = try await authority.login("nobody", password: "some password", client: "10.0.0.1")
        }
        #expect(accounts.lookups == 1, "an admitted login looks the user up")
    }

    @Test func aFullHashQueueRunsNothingOfARefusedReservation() async throws {
        let passwords = PasswordHasher(cost: 4, queueLimit: 1)
        let held = await HeldPlace(in: passwords)
        let ran = Mutex(false)
        do {
            try await passwords.reserving { _ in ran.withLock { $0 = true } }
            Issue.record("a reservation past the limit was admitted")
        } catch let error as APIError {
            #expect(error.status == .serviceUnavailable && error.retryAfter == 1)
        }
        #expect(!ran.withLock { $0 })
        try await held.letGo()
        #expect(try await passwords.verify("p", hash: try await passwords.hash("p")))
    }

    private static func authority(accounts: any Accounts, passwords: PasswordHasher) async throws -> SessionAuthority {
        let throttle = { LoginThrottle(attempts: 1000, window: .seconds(60), now: { 0 }) }
        return SessionAuthority(
            accounts: accounts, passwords: passwords,
            tokens: await AccessTokens(key: Array(repeating: 7, count: 32), accessLifetime: .seconds(60), guestLifetime: .seconds(60)),
            throttle: throttle(), addressThrottle: throttle(), registrationThrottle: throttle(),
            refreshLifetime: .seconds(3600), refreshReuseInterval: .seconds(5), guestPassLifetime: .seconds(60),
            clock: { 0 }, logger: Logger(label: "test"), decoyHash: try await passwords.hash("decoy"))
    }
}

/// A place among the hashes, held by a task of the test's until it lets go.
private struct HeldPlace {
    let task: Task<Void, any Error>
    let release: AsyncStream<Void>.Continuation

    init(in passwords: PasswordHasher) async {
        let (taken, took) = AsyncStream<Void>.makeStream()
        let (released, release) = AsyncStream<Void>.makeStream()
        self.release = release
        self.task = Task {
            try await passwords.reserving { _ in
                took.yield()
                for await _ in released { break }
            }
        }
        for await _ in taken { break }
    }

    func letGo() async throws {
        self.release.yield()
        try await self.task.value
    }
}

/// The in-memory store, counting look-ups by login name.
private final class CountingAccounts: Accounts {
    private let base = InMemoryAccounts()
    private let count = Atomic<Int>(0)
    var lookups: Int { self.count.load(ordering: .relaxed) }

    func user(login: String) async throws -> User? {
        self.count.add(1, ordering: .relaxed)
        return try await self.base.user(login: login)
    }

    func create(_ user: User) async throws { try await self.base.create(user) }
    func user(id: String) async throws -> User? { try await self.base.user(id: id) }
    func users(matching search: UserSearch?, offset: Int, limit: Int) async throws -> [User] {
        try await self.base.users(matching: search, offset: offset, limit: limit)
    }
    func userCount(matching search: UserSearch?) async throws -> Int { try await self.base.userCount(matching: search) }
    func update(id: String, _ changes: UserChanges) async throws -> User? { try await self.base.update(id: id, changes) }
    func startSession(_ session: RefreshSession) async throws { try await self.base.startSession(session) }
    func rotate(tokenHash: String, replacementHash: String, now: Int64, expiresAt: Int64, reuseInterval: Int64) async throws
        -> RefreshOutcome
    {
        try await self.base.rotate(tokenHash: tokenHash, replacementHash: replacementHash, now: now, expiresAt: expiresAt, reuseInterval: reuseInterval)
    }
    func session(tokenHash: String, now: Int64) async throws -> RefreshSession? { try await self.base.session(tokenHash: tokenHash, now: now) }
    func revokeFamily(ofTokenHash tokenHash: String, now: Int64) async throws { try await self.base.revokeFamily(ofTokenHash: tokenHash, now: now) }
    func revokeSessions(ofUser userID: String, except keptFamily: String?, now: Int64) async throws {
        try await self.base.revokeSessions(ofUser: userID, except: keptFamily, now: now)
    }
}
