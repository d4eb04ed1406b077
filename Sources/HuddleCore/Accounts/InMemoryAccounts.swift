/// ``Accounts`` in memory: tests and `--store memory`.
public actor InMemoryAccounts: Accounts {
    private var usersByID: [String: User] = [:]
    private var order: [String] = []
    private var sessions: [String: Stored] = [:]
    private var revokedFamilies: Set<String> = []

    private struct Stored {
        var session: RefreshSession
        /// When it was rotated (milliseconds since 1970), nil while live.
        var rotatedAt: Int64?
    }

    public init() {}

    public func create(_ user: User) throws {
        if self.usersByID.values.contains(where: { $0.username == user.username }) { throw AccountsError.taken(.username) }
        if self.usersByID.values.contains(where: { $0.email == user.email }) { throw AccountsError.taken(.email) }
        self.usersByID[user.id] = user
        self.order.append(user.id)
    }

    public func user(id: String) -> User? {
        self.usersByID[id]
    }

    public func user(login: String) -> User? {
        self.usersByID.values.first { $0.username == login || $0.email == login }
    }

    public func users(matching search: UserSearch?, offset: Int, limit: Int) -> [User] {
        let found = self.found(search)
        guard offset < found.count, limit > 0 else { return [] }
        return Array(found[max(offset, 0)..<min(found.count, max(offset, 0) + limit)])
    }

    public func userCount(matching search: UserSearch?) -> Int {
        self.found(search).count
    }

    private func found(_ search: UserSearch?) -> [User] {
        self.order.compactMap { self.usersByID[$0] }.filter { search?.matches($0) ?? true }
    }

    public func update(id: String, _ changes: UserChanges) throws -> User? {
        guard var user = self.usersByID[id] else { return nil }
        if let email = changes.email, self.usersByID.values.contains(where: { $0.email == email && $0.id != id }) {
            throw AccountsError.taken(.email)
        }
        if let email = changes.email { user.email = email }
        if let passwordHash = changes.passwordHash { user.passwordHash = passwordHash }
        if let role = changes.role { user.role = role }
        if let active = changes.active { user.active = active }
        if let displayName = changes.displayName { user.displayName = displayName }
        self.usersByID[id] = user
        return user
    }

    public func startSession(_ session: RefreshSession) {
        self.sessions[session.tokenHash] = Stored(session: session)
    }

    public func rotate(tokenHash: String, replacementHash: String, now: Int64, expiresAt: Int64, reuseInterval: Int64)
        -> RefreshOutcome
    {
        guard var stored = self.sessions[tokenHash], !self.revokedFamilies.contains(stored.session.familyID) else {
            return .invalid
        }
        if let rotatedAt = stored.rotatedAt, rotatedAt <= now - reuseInterval {
            self.revokedFamilies.insert(stored.session.familyID)
            return .reused(familyID: stored.session.familyID, userID: stored.session.userID)
        }
        guard stored.session.expiresAt > now else { return .invalid }
        if stored.rotatedAt == nil {
            stored.rotatedAt = now
            self.sessions[tokenHash] = stored
        }
        let next = RefreshSession(
            tokenHash: replacementHash, familyID: stored.session.familyID, userID: stored.session.userID, createdAt: now,
            expiresAt: expiresAt)
        self.sessions[replacementHash] = Stored(session: next)
        return .rotated(next)
    }

    public func session(tokenHash: String, now: Int64) -> RefreshSession? {
        guard let stored = self.sessions[tokenHash], stored.rotatedAt == nil, stored.session.expiresAt > now,
            !self.revokedFamilies.contains(stored.session.familyID)
        else { return nil }
        return stored.session
    }

    public func revokeFamily(ofTokenHash tokenHash: String, now: Int64) {
        guard let stored = self.sessions[tokenHash] else { return }
        self.revokedFamilies.insert(stored.session.familyID)
    }

    public func revokeSessions(ofUser userID: String, except keptFamily: String?, now: Int64) {
        for stored in self.sessions.values where stored.session.userID == userID && stored.session.familyID != keptFamily {
            self.revokedFamilies.insert(stored.session.familyID)
        }
    }
}
