import HTTPTypes
@testable import HuddleServer
import Testing

@Suite struct PasswordHasherTests {
    /// Past its queue limit the hasher refuses at once with 503 rather than queueing: a login
    /// flood cannot pile up without bound.
    @Test func hashesPastTheQueueLimitAreRefusedWith503() async throws {
        let hasher = PasswordHasher(cost: 12, queueLimit: 2)
        let outcomes = await withTaskGroup(of: Int.self) { group in
            for n in 0..<8 {
                group.addTask {
                    do {
                        _ = try await hasher.hash("password \(n)")
                        return 200
                    } catch let error as APIError {
                        return Int(error.status.code)
                    } catch {
                        return 500
                    }
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(outcomes.contains(503))
        #expect(outcomes.filter { $0 == 200 }.count >= 2, "the first ones were hashed")
        #expect(!outcomes.contains(500))
        // Once they are done there is room again.
        let hash = try await hasher.hash("later")
        #expect(try await hasher.verify("later", hash: hash))
    }
}
