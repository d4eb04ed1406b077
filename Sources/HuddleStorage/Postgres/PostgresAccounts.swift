public import HuddleCore
import PostgresNIO

/// ``Accounts`` in PostgreSQL, shared by every replica. The statements are those of
/// ``SQLiteAccounts``: each step is one guarded statement, and a refresh's rotation is an
/// `UPDATE … WHERE rotated_at IS NULL`, which PostgreSQL's row lock lets exactly one replica win.
public struct PostgresAccounts: Accounts {
    let database: PostgresStorage

    public init(database: PostgresStorage) {
        self.database = database
    }

    public func create(_ user: User) async throws {
        let rows = try await self.database.query(
            """
            INSERT INTO users (id, username, email, display_name, password_hash, role, active, created_at)
            VALUES (\(user.id), \(user.username), \(user.email), \(user.displayName), \(user.passwordHash),
                \(user.role.rawValue), \(user.active), \(user.createdAt))
            ON CONFLICT DO NOTHING RETURNING id
            """
        )
        guard rows.isEmpty else { return }
        let taken = try await self.database.query("SELECT 1 FROM users WHERE username = \(user.username)")
        throw AccountsError.taken(taken.isEmpty ? .email : .username)
    }

    public func user(id: String) async throws -> User? {
        try await self.database.query(
            "SELECT id, username, email, display_name, password_hash, role, active, created_at FROM users WHERE id = \(id)"
        ).first.map(Self.user)
    }

    public func user(login: String) async throws -> User? {
        try await self.database.query(
            """
            SELECT id, username, email, display_name, password_hash, role, active, created_at FROM users
            WHERE username = \(login) OR email = \(login)
            """
        ).first.map(Self.user)
    }

    public func users(matching search: UserSearch?, offset: Int, limit: Int) async throws -> [User] {
        let (pattern, emails) = (search?.likePattern, search?.includesEmail ?? false)
        return try await self.database.query(
            """
            SELECT id, username, email, display_name, password_hash, role, active, created_at FROM users
            WHERE \(pattern)::TEXT IS NULL OR username ILIKE \(pattern) OR display_name ILIKE \(pattern)
                OR (\(emails) AND email ILIKE \(pattern))
            ORDER BY created_at, id LIMIT \(limit) OFFSET \(max(offset, 0))
            """
        ).map(Self.user)
    }

    public func userCount(matching search: UserSearch?) async throws -> Int {
        let (pattern, emails) = (search?.likePattern, search?.includesEmail ?? false)
        return try await self.database.query(
            """
            SELECT COUNT(*) FROM users WHERE \(pattern)::TEXT IS NULL OR username ILIKE \(pattern)
                OR display_name ILIKE \(pattern) OR (\(emails) AND email ILIKE \(pattern))
            """
        ).first?.decode(Int.self) ?? 0
    }

    public func update(id: String, _ changes: UserChanges) async throws -> User? {
        do {
            return try await self.database.query(
                """
                UPDATE users SET role = COALESCE(\(changes.role?.rawValue)::TEXT, role),
                    active = COALESCE(\(changes.active)::BOOLEAN, active),
                    display_name = COALESCE(\(changes.displayName)::TEXT, display_name),
                    email = COALESCE(\(changes.email)::TEXT, email),
                    password_hash = COALESCE(\(changes.passwordHash)::TEXT, password_hash)
                WHERE id = \(id)
                RETURNING id, username, email, display_name, password_hash, role, active, created_at
                """
            ).first.map(Self.user)
        } catch let error where PostgresStorage.sqlState(of: error) == "23505" {
            // unique_violation: the only unique column an update can change is the email.
            throw AccountsError.taken(.email)
        }
    }

    public func startSession(_ session: RefreshSession) async throws {
        _ = try await self.database.query(
            """
            INSERT INTO refresh_families (id, user_id, created_at)
            VALUES (\(session.familyID), \(session.userID), \(session.createdAt))
            """
        )
        try await self.insertToken(session)
    }

    private func insertToken(_ session: RefreshSession) async throws {
        _ = try await self.database.query(
            """
            INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at)
            VALUES (\(session.tokenHash), \(session.familyID), \(session.userID), \(session.createdAt), \(session.expiresAt))
            """
        )
    }

    public func rotate(tokenHash: String, replacementHash: String, now: Int64, expiresAt: Int64, reuseInterval: Int64)
        async throws -> RefreshOutcome
    {
        let claimed = try await self.database.query(
            """
            UPDATE refresh_tokens SET rotated_at = \(now)
            WHERE token_hash = \(tokenHash) AND rotated_at IS NULL AND expires_at > \(now)
              AND family_id IN (SELECT id FROM refresh_families WHERE revoked_at IS NULL)
            RETURNING family_id, user_id
            """
        )
        if let row = claimed.first {
            let (familyID, userID) = try row.decode((String, String).self)
            let next = RefreshSession(
                tokenHash: replacementHash, familyID: familyID, userID: userID, createdAt: now, expiresAt: expiresAt)
            try await self.insertToken(next)
            return .rotated(next)
        }
        // Rotated only just: a client whose answer was lost presents it again. One more token
        // joins the family, in one statement, so a family revoked meanwhile gets none.
        let reissued = try await self.database.query(
            """
            INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at)
            SELECT \(replacementHash), t.family_id, t.user_id, \(now), \(expiresAt)
            FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id
            WHERE t.token_hash = \(tokenHash) AND t.rotated_at > \(now - reuseInterval) AND t.expires_at > \(now)
              AND f.revoked_at IS NULL
            RETURNING family_id, user_id
            """
        )
        if let row = reissued.first {
            let (familyID, userID) = try row.decode((String, String).self)
            return .rotated(
                RefreshSession(tokenHash: replacementHash, familyID: familyID, userID: userID, createdAt: now, expiresAt: expiresAt))
        }
        // Not live: a rotated token of a family that is still live is a replay. Revoke it.
        let revoked = try await self.database.query(
            """
            UPDATE refresh_families SET revoked_at = \(now)
            WHERE revoked_at IS NULL
              AND id = (SELECT family_id FROM refresh_tokens WHERE token_hash = \(tokenHash) AND rotated_at IS NOT NULL)
            RETURNING id, user_id
            """
        )
        guard let row = revoked.first else { return .invalid }
        let (familyID, userID) = try row.decode((String, String).self)
        return .reused(familyID: familyID, userID: userID)
    }

    public func session(tokenHash: String, now: Int64) async throws -> RefreshSession? {
        let rows = try await self.database.query(
            """
            SELECT t.family_id, t.user_id, t.created_at, t.expires_at FROM refresh_tokens t
            JOIN refresh_families f ON f.id = t.family_id
            WHERE t.token_hash = \(tokenHash) AND t.rotated_at IS NULL AND t.expires_at > \(now) AND f.revoked_at IS NULL
            """
        )
        guard let row = rows.first else { return nil }
        let (familyID, userID, createdAt, expiresAt) = try row.decode((String, String, Int64, Int64).self)
        return RefreshSession(
            tokenHash: tokenHash, familyID: familyID, userID: userID, createdAt: createdAt, expiresAt: expiresAt)
    }

    public func revokeFamily(ofTokenHash tokenHash: String, now: Int64) async throws {
        _ = try await self.database.query(
            """
            UPDATE refresh_families SET revoked_at = \(now)
            WHERE revoked_at IS NULL AND id = (SELECT family_id FROM refresh_tokens WHERE token_hash = \(tokenHash))
            """
        )
    }

    public func revokeSessions(ofUser userID: String, except keptFamily: String?, now: Int64) async throws {
        _ = try await self.database.query(
            """
            UPDATE refresh_families SET revoked_at = \(now)
            WHERE user_id = \(userID) AND revoked_at IS NULL AND (\(keptFamily)::TEXT IS NULL OR id <> \(keptFamily))
            """
        )
    }

    static func user(_ row: PostgresRow) throws -> User {
        let (id, username, email, displayName, passwordHash, role, active, createdAt) = try row.decode(
            (String, String, String, String, String, String, Bool, Int64).self)
        return User(
            id: id, username: username, email: email, displayName: displayName, passwordHash: passwordHash,
            role: Role(rawValue: role) ?? .user, active: active, createdAt: createdAt)
    }
}
