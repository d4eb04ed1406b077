public import HuddleCore
import SQLiteNIO

/// The embedded ``Accounts``: tables `users`, `refresh_families` and `refresh_tokens`.
///
/// Writes are statements of the storage's group commit, reads go to its reader; another
/// caller's write can land between two of ours, so each step is a single guarded statement
/// (see ``rotate``).
public struct SQLiteAccounts: Accounts {
    let database: SQLiteStorage

    public init(database: SQLiteStorage) {
        self.database = database
    }

    static let userColumns = "id, username, email, display_name, password_hash, role, active, created_at"

    public func create(_ user: User) async throws {
        // ON CONFLICT DO NOTHING instead of catching the constraint error: SQLiteStorage turns
        // every SQLite error into "unavailable".
        let rows = try await self.database.query(
            """
            INSERT INTO users (\(Self.userColumns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            ON CONFLICT DO NOTHING RETURNING id
            """,
            [
                .text(user.id), .text(user.username), .text(user.email), .text(user.displayName), .text(user.passwordHash),
                .text(user.role.rawValue), .integer(user.active ? 1 : 0), .integer(Int(user.createdAt)),
            ]
        )
        guard rows.isEmpty else { return }
        let taken = try await self.database.read("SELECT 1 FROM users WHERE username = ?1", [.text(user.username)])
        throw AccountsError.taken(taken.isEmpty ? .email : .username)
    }

    public func user(id: String) async throws -> User? {
        try await self.database.read("SELECT \(Self.userColumns) FROM users WHERE id = ?1", [.text(id)]).first.map(Self.user)
    }

    public func user(login: String) async throws -> User? {
        try await self.database.read(
            "SELECT \(Self.userColumns) FROM users WHERE username = ?1 OR email = ?1", [.text(login)]
        ).first.map(Self.user)
    }

    public func users(matching search: UserSearch?, offset: Int, limit: Int) async throws -> [User] {
        try await self.database.read(
            "SELECT \(Self.userColumns) FROM users WHERE \(Self.matching) ORDER BY created_at, id LIMIT ?1 OFFSET ?2",
            [.integer(limit), .integer(max(offset, 0))] + Self.binds(search)
        ).map(Self.user)
    }

    public func userCount(matching search: UserSearch?) async throws -> Int {
        try await self.database.read("SELECT COUNT(*) AS n FROM users WHERE \(Self.matching)", [.null, .null] + Self.binds(search))
            .first?.column("n")?.integer ?? 0
    }

    /// ?3 the pattern (NULL: everyone), ?4 whether emails count. SQLite's LIKE ignores ASCII case.
    private static let matching = """
        (?3 IS NULL OR username LIKE ?3 ESCAPE '\\' OR display_name LIKE ?3 ESCAPE '\\' \
        OR (?4 AND email LIKE ?3 ESCAPE '\\'))
        """

    private static func binds(_ search: UserSearch?) -> [SQLiteData] {
        guard let search else { return [.null, .integer(0)] }
        return [.text(search.likePattern), .integer(search.includesEmail ? 1 : 0)]
    }

    public func update(id: String, _ changes: UserChanges) async throws -> User? {
        // OR IGNORE skips the row on a taken email (SQLiteStorage turns a constraint error into
        // "unavailable"); the only unique column it can change is the email, so an existing
        // user without a returned row is that conflict.
        let rows = try await self.database.query(
            """
            UPDATE OR IGNORE users SET role = COALESCE(?2, role), active = COALESCE(?3, active),
                display_name = COALESCE(?4, display_name), email = COALESCE(?5, email),
                password_hash = COALESCE(?6, password_hash)
            WHERE id = ?1 RETURNING \(Self.userColumns)
            """,
            [
                .text(id), changes.role.map { .text($0.rawValue) } ?? .null,
                changes.active.map { .integer($0 ? 1 : 0) } ?? .null, changes.displayName.map { .text($0) } ?? .null,
                changes.email.map { .text($0) } ?? .null, changes.passwordHash.map { .text($0) } ?? .null,
            ]
        )
        if let row = rows.first { return Self.user(row) }
        guard changes.email != nil, try await self.user(id: id) != nil else { return nil }
        throw AccountsError.taken(.email)
    }

    public func startSession(_ session: RefreshSession) async throws {
        _ = try await self.database.query(
            "INSERT INTO refresh_families (id, user_id, created_at) VALUES (?1, ?2, ?3)",
            [.text(session.familyID), .text(session.userID), .integer(Int(session.createdAt))]
        )
        try await self.insertToken(session)
    }

    private func insertToken(_ session: RefreshSession) async throws {
        _ = try await self.database.query(
            "INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            [
                .text(session.tokenHash), .text(session.familyID), .text(session.userID), .integer(Int(session.createdAt)),
                .integer(Int(session.expiresAt)),
            ]
        )
    }

    public func rotate(tokenHash: String, replacementHash: String, now: Int64, expiresAt: Int64, reuseInterval: Int64)
        async throws -> RefreshOutcome
    {
        // Only a live token of a live family is marked rotated; the guard in the WHERE clause
        // makes the check and the mark one step, so two racing refreshes cannot both win.
        let claimed = try await self.database.query(
            """
            UPDATE refresh_tokens SET rotated_at = ?2
            WHERE token_hash = ?1 AND rotated_at IS NULL AND expires_at > ?2
              AND family_id IN (SELECT id FROM refresh_families WHERE revoked_at IS NULL)
            RETURNING family_id, user_id
            """,
            [.text(tokenHash), .integer(Int(now))]
        )
        if let row = claimed.first {
            let next = RefreshSession(
                tokenHash: replacementHash, familyID: row.column("family_id")?.string ?? "",
                userID: row.column("user_id")?.string ?? "", createdAt: now, expiresAt: expiresAt)
            try await self.insertToken(next)
            return .rotated(next)
        }
        // Rotated only just: a client whose answer was lost presents it again. One more token
        // joins the family, in one statement, so a family revoked meanwhile gets none.
        let reissued = try await self.database.query(
            """
            INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at)
            SELECT ?3, t.family_id, t.user_id, ?2, ?4 FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id
            WHERE t.token_hash = ?1 AND t.rotated_at > ?2 - ?5 AND t.expires_at > ?2 AND f.revoked_at IS NULL
            RETURNING family_id, user_id
            """,
            [.text(tokenHash), .integer(Int(now)), .text(replacementHash), .integer(Int(expiresAt)), .integer(Int(reuseInterval))]
        )
        if let row = reissued.first {
            return .rotated(
                RefreshSession(
                    tokenHash: replacementHash, familyID: row.column("family_id")?.string ?? "",
                    userID: row.column("user_id")?.string ?? "", createdAt: now, expiresAt: expiresAt))
        }
        // Not live: a rotated token of a family that is still live is a replay. Revoke it.
        let revoked = try await self.database.query(
            """
            UPDATE refresh_families SET revoked_at = ?2
            WHERE revoked_at IS NULL
              AND id = (SELECT family_id FROM refresh_tokens WHERE token_hash = ?1 AND rotated_at IS NOT NULL)
            RETURNING id, user_id
            """,
            [.text(tokenHash), .integer(Int(now))]
        )
        guard let row = revoked.first else { return .invalid }
        return .reused(familyID: row.column("id")?.string ?? "", userID: row.column("user_id")?.string ?? "")
    }

    public func session(tokenHash: String, now: Int64) async throws -> RefreshSession? {
        let rows = try await self.database.read(
            """
            SELECT t.family_id, t.user_id, t.created_at, t.expires_at FROM refresh_tokens t
            JOIN refresh_families f ON f.id = t.family_id
            WHERE t.token_hash = ?1 AND t.rotated_at IS NULL AND t.expires_at > ?2 AND f.revoked_at IS NULL
            """,
            [.text(tokenHash), .integer(Int(now))]
        )
        return rows.first.map { row in
            RefreshSession(
                tokenHash: tokenHash, familyID: row.column("family_id")?.string ?? "",
                userID: row.column("user_id")?.string ?? "", createdAt: Int64(row.column("created_at")?.integer ?? 0),
                expiresAt: Int64(row.column("expires_at")?.integer ?? 0))
        }
    }

    public func revokeFamily(ofTokenHash tokenHash: String, now: Int64) async throws {
        _ = try await self.database.query(
            """
            UPDATE refresh_families SET revoked_at = ?2
            WHERE revoked_at IS NULL AND id = (SELECT family_id FROM refresh_tokens WHERE token_hash = ?1)
            """,
            [.text(tokenHash), .integer(Int(now))]
        )
    }

    public func revokeSessions(ofUser userID: String, except keptFamily: String?, now: Int64) async throws {
        _ = try await self.database.query(
            """
            UPDATE refresh_families SET revoked_at = ?2
            WHERE user_id = ?1 AND revoked_at IS NULL AND (?3 IS NULL OR id <> ?3)
            """,
            [.text(userID), .integer(Int(now)), keptFamily.map { .text($0) } ?? .null]
        )
    }

    static func user(_ row: SQLiteRow) -> User {
        User(
            id: row.column("id")?.string ?? "",
            username: row.column("username")?.string ?? "",
            email: row.column("email")?.string ?? "",
            displayName: row.column("display_name")?.string ?? "",
            passwordHash: row.column("password_hash")?.string ?? "",
            role: Role(rawValue: row.column("role")?.string ?? "") ?? .user,
            active: row.column("active")?.integer == 1,
            createdAt: Int64(row.column("created_at")?.integer ?? 0)
        )
    }
}
