import HuddleCore
import Testing

/// The ``Accounts`` contract, run against every backend.
@Suite struct AccountsContractTests {
    static func user(_ name: String, email: String? = nil, at time: Int64 = 1, role: Role = .user) -> User {
        User(
            id: "id-\(name)", username: name, email: email ?? "\(name)@example.com", displayName: name.prefix(1).uppercased() + name.dropFirst(),
            passwordHash: "$2b$04$hash", role: role, active: true, createdAt: time)
    }

    static func session(_ hash: String, family: String = "f1", user: String = "id-ada", expires: Int64 = 1_000) -> RefreshSession {
        RefreshSession(tokenHash: hash, familyID: family, userID: user, createdAt: 0, expiresAt: expires)
    }

    @Test(arguments: Backend.available)
    func createsAndFindsUsersByIdUsernameOrEmail(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let accounts = made.accounts
        let ada = Self.user("ada", role: .admin)
        try await accounts.create(ada)
        #expect(try await accounts.user(id: "id-ada") == ada)
        #expect(try await accounts.user(login: "ada") == ada)
        #expect(try await accounts.user(login: "ada@example.com") == ada)
        #expect(try await accounts.user(login: "nobody") == nil)
        #expect(try await accounts.user(id: "missing") == nil)
    }

    @Test(arguments: Backend.available)
    func refusesATakenUsernameOrEmail(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let accounts = made.accounts
        try await accounts.create(Self.user("ada"))
        await #expect(throws: AccountsError.taken(.username)) {
            try await accounts.create(User(
                id: "other", username: "ada", email: "new@example.com", displayName: "A", passwordHash: "h", createdAt: 2))
        }
        await #expect(throws: AccountsError.taken(.email)) {
            try await accounts.create(User(
                id: "other", username: "bea", email: "ada@example.com", displayName: "B", passwordHash: "h", createdAt: 2))
        }
        #expect(try await accounts.userCount() == 1)
    }

    @Test(arguments: Backend.available)
    func listsInCreationOrderAndPages(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let accounts = made.accounts
        for (index, name) in ["cai", "ada", "bea", "dara", "eli"].enumerated() {
            try await accounts.create(Self.user(name, at: Int64(index)))
        }
        #expect(try await accounts.userCount() == 5)
        #expect(try await accounts.users(offset: 0, limit: 2).map(\.username) == ["cai", "ada"])
        #expect(try await accounts.users(offset: 2, limit: 2).map(\.username) == ["bea", "dara"])
        #expect(try await accounts.users(offset: 4, limit: 2).map(\.username) == ["eli"])
        #expect(try await accounts.users(offset: 9, limit: 2).isEmpty)
    }

    /// An admin's search: a substring of the username or display name, any ASCII case, emails
    /// only when the search includes them, and `%`/`_` taken as themselves.
    @Test(arguments: Backend.available)
    func searchesUsersByNameAndOnlyWhenAskedByEmail(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let accounts = made.accounts
        let people = [("ada", "Ada Lovelace", "countess@example.com"), ("bea", "Bea 100%", "bea@lab.example"),
                      ("cai", "Cai_Wu", "cai@example.com"), ("dara", "Dara", "dara@lovelace.example")]
        for (index, (name, display, email)) in people.enumerated() {
            try await accounts.create(User(
                id: "id-\(name)", username: name, email: email, displayName: display, passwordHash: "h", createdAt: Int64(index)))
        }
        func found(_ text: String, emails: Bool = false) async throws -> [String] {
            try await accounts.users(matching: UserSearch(text, includesEmail: emails), offset: 0, limit: 10).map(\.username)
        }
        #expect(try await found("LOVE") == ["ada"], "display names, any case; not emails")
        #expect(try await found("love", emails: true) == ["ada", "dara"])
        #expect(try await found("100%") == ["bea"])
        #expect(try await found("%") == ["bea"])
        #expect(try await found("_") == ["cai"], "a wildcard character matches only itself")
        #expect(try await found("zzz").isEmpty)
        #expect(try await accounts.userCount(matching: UserSearch("a", includesEmail: false)) == 4)
        #expect(try await accounts.userCount(matching: UserSearch("lovelace", includesEmail: true)) == 2)
        #expect(try await accounts.users(matching: UserSearch("a", includesEmail: false), offset: 1, limit: 2).map(\.username) == ["bea", "cai"])
    }

    @Test(arguments: Backend.available)
    func updatesRoleActiveAndNameOnlyWhereGiven(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let accounts = made.accounts
        try await accounts.create(Self.user("ada"))
        let promoted = try #require(try await accounts.update(id: "id-ada", UserChanges(role: .agent)))
        #expect(promoted.role == .agent && promoted.active && promoted.displayName == "Ada")
        let deactivated = try #require(try await accounts.update(id: "id-ada", UserChanges(active: false, displayName: "A. L.")))
        #expect(deactivated.role == .agent && !deactivated.active && deactivated.displayName == "A. L.")
        #expect(try await accounts.user(id: "id-ada") == deactivated)
        #expect(try await accounts.update(id: "missing", UserChanges(role: .admin)) == nil)
    }

    @Test(arguments: Backend.available)
    func updatesEmailAndPasswordHashButRefusesAnotherUsersEmail(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let accounts = made.accounts
        try await accounts.create(Self.user("ada"))
        try await accounts.create(Self.user("bea"))
        let moved = try #require(try await accounts.update(id: "id-ada", UserChanges(email: "ada@lovelace.example")))
        #expect(moved.email == "ada@lovelace.example" && moved.passwordHash == "$2b$04$hash" && moved.displayName == "Ada")
        #expect(try await accounts.user(login: "ada@lovelace.example") == moved)
        #expect(try await accounts.user(login: "ada@example.com") == nil)
        let rehashed = try #require(try await accounts.update(id: "id-ada", UserChanges(passwordHash: "$2b$04$other")))
        #expect(rehashed.passwordHash == "$2b$04$other" && rehashed.email == "ada@lovelace.example")
        #expect(try await accounts.update(id: "id-ada", UserChanges(email: "ada@lovelace.example")) == rehashed, "one's own email again")

        await #expect(throws: AccountsError.taken(.email)) {
            try await accounts.update(id: "id-ada", UserChanges(displayName: "Not Applied", email: "bea@example.com"))
        }
        #expect(try await accounts.user(id: "id-ada") == rehashed, "a refused update changes nothing")
        #expect(try await accounts.update(id: "missing", UserChanges(email: "bea@example.com")) == nil)
    }

    @Test(arguments: Backend.available)
    func rotatesARefreshTokenOnceAndTreatsReuseAsTheft(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let accounts = made.accounts
        try await accounts.create(Self.user("ada"))
        try await accounts.startSession(Self.session("t1"))
        #expect(try await accounts.session(tokenHash: "t1", now: 10)?.userID == "id-ada")

        let first = try await accounts.rotate(tokenHash: "t1", replacementHash: "t2", now: 10, expiresAt: 2_000)
        guard case .rotated(let next) = first else { Issue.record("expected a rotation, got \(first)"); return }
        #expect(next.tokenHash == "t2" && next.familyID == "f1" && next.userID == "id-ada" && next.expiresAt == 2_000)
        #expect(try await accounts.session(tokenHash: "t1", now: 11) == nil, "a rotated token is no longer live")
        #expect(try await accounts.session(tokenHash: "t2", now: 11) != nil)

        // The old token again: someone else has it. The whole family ends, the new token too.
        let replay = try await accounts.rotate(tokenHash: "t1", replacementHash: "t3", now: 12, expiresAt: 2_000)
        #expect(replay == .reused(familyID: "f1", userID: "id-ada"))
        #expect(try await accounts.session(tokenHash: "t2", now: 13) == nil)
        #expect(try await accounts.rotate(tokenHash: "t2", replacementHash: "t4", now: 13, expiresAt: 2_000) == .invalid)
        #expect(try await accounts.rotate(tokenHash: "t3", replacementHash: "t5", now: 13, expiresAt: 2_000) == .invalid)
    }

    @Test(arguments: Backend.available)
    func aTokenRotatedJustNowRotatesAgainAndLaterIsAReuse(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let accounts = made.accounts
        try await accounts.startSession(Self.session("g1", family: "fg"))
        let first = try await accounts.rotate(tokenHash: "g1", replacementHash: "g2", now: 10, expiresAt: 2_000, reuseInterval: 100)
        #expect(first == .rotated(RefreshSession(tokenHash: "g2", familyID: "fg", userID: "id-ada", createdAt: 10, expiresAt: 2_000)))

        // The answer was lost: the same token within the interval gives the family another token.
        let again = try await accounts.rotate(tokenHash: "g1", replacementHash: "g3", now: 109, expiresAt: 2_000, reuseInterval: 100)
        #expect(again == .rotated(RefreshSession(tokenHash: "g3", familyID: "fg", userID: "id-ada", createdAt: 109, expiresAt: 2_000)))
        #expect(try await accounts.session(tokenHash: "g2", now: 109) != nil, "the first successor stays live")
        #expect(try await accounts.session(tokenHash: "g3", now: 109) != nil)
        #expect(try await accounts.session(tokenHash: "g1", now: 109) == nil, "the old token is still rotated")

        // The interval counts from the first rotation; after it, the old token is a reuse again.
        let late = try await accounts.rotate(tokenHash: "g1", replacementHash: "g4", now: 110, expiresAt: 2_000, reuseInterval: 100)
        #expect(late == .reused(familyID: "fg", userID: "id-ada"))
        for hash in ["g2", "g3", "g4"] {
            #expect(try await accounts.session(tokenHash: hash, now: 111) == nil, "\(hash) ended with its family")
        }

        // A revoked family gets nothing within the interval either.
        try await accounts.startSession(Self.session("h1", family: "fh"))
        _ = try await accounts.rotate(tokenHash: "h1", replacementHash: "h2", now: 10, expiresAt: 2_000, reuseInterval: 100)
        try await accounts.revokeFamily(ofTokenHash: "h2", now: 11)
        #expect(try await accounts.rotate(tokenHash: "h1", replacementHash: "h3", now: 12, expiresAt: 2_000, reuseInterval: 100) == .invalid)
    }

    @Test(arguments: Backend.available)
    func concurrentRotationsOfOneTokenLetExactlyOneWin(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let accounts = made.accounts
        try await accounts.startSession(Self.session("race"))
        let outcomes = try await withThrowingTaskGroup(of: RefreshOutcome.self) { group in
            for n in 0..<8 {
                group.addTask {
                    try await accounts.rotate(tokenHash: "race", replacementHash: "next-\(n)", now: 10, expiresAt: 2_000)
                }
            }
            return try await group.reduce(into: [RefreshOutcome]()) { $0.append($1) }
        }
        let rotated = outcomes.filter { if case .rotated = $0 { true } else { false } }
        #expect(rotated.count == 1, "exactly one rotation wins: \(outcomes)")
    }

    @Test(arguments: Backend.available)
    func expiredUnknownAndRevokedTokensDoNotRotate(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let accounts = made.accounts
        try await accounts.startSession(Self.session("old", family: "f-old", expires: 100))
        #expect(try await accounts.rotate(tokenHash: "old", replacementHash: "x", now: 100, expiresAt: 2_000) == .invalid)
        #expect(try await accounts.session(tokenHash: "old", now: 100) == nil)
        #expect(try await accounts.rotate(tokenHash: "nope", replacementHash: "y", now: 1, expiresAt: 2_000) == .invalid)

        try await accounts.startSession(Self.session("out", family: "f-out"))
        try await accounts.revokeFamily(ofTokenHash: "out", now: 5)
        #expect(try await accounts.rotate(tokenHash: "out", replacementHash: "z", now: 6, expiresAt: 2_000) == .invalid)
        try await accounts.revokeFamily(ofTokenHash: "unknown", now: 5)
    }

    @Test(arguments: Backend.available)
    func revokingAUsersSessionsEndsEveryFamilyOfThatUserOnly(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let accounts = made.accounts
        try await accounts.startSession(Self.session("a1", family: "fa1", user: "ada"))
        try await accounts.startSession(Self.session("a2", family: "fa2", user: "ada"))
        try await accounts.startSession(Self.session("b1", family: "fb1", user: "bea"))
        try await accounts.revokeSessions(ofUser: "ada", now: 5)
        #expect(try await accounts.session(tokenHash: "a1", now: 6) == nil)
        #expect(try await accounts.session(tokenHash: "a2", now: 6) == nil)
        #expect(try await accounts.session(tokenHash: "b1", now: 6)?.userID == "bea")
    }

    @Test(arguments: Backend.available)
    func revokingAUsersSessionsCanKeepOneFamily(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let accounts = made.accounts
        try await accounts.startSession(Self.session("a1", family: "fa1", user: "ada"))
        try await accounts.startSession(Self.session("a2", family: "fa2", user: "ada"))
        try await accounts.startSession(Self.session("a3", family: "fa3", user: "ada"))
        try await accounts.startSession(Self.session("b1", family: "fb1", user: "bea"))
        try await accounts.revokeSessions(ofUser: "ada", except: "fa2", now: 5)
        #expect(try await accounts.session(tokenHash: "a1", now: 6) == nil)
        #expect(try await accounts.session(tokenHash: "a2", now: 6)?.familyID == "fa2")
        #expect(try await accounts.session(tokenHash: "a3", now: 6) == nil)
        #expect(try await accounts.session(tokenHash: "b1", now: 6)?.userID == "bea")
        // Another user's family named as the one to keep keeps nothing of this user's.
        try await accounts.revokeSessions(ofUser: "ada", except: "fb1", now: 7)
        #expect(try await accounts.session(tokenHash: "a2", now: 8) == nil)
        #expect(try await accounts.session(tokenHash: "b1", now: 8) != nil)
    }
}
