import HTTPTypes
import HuddleServer
import Testing

@Suite struct BoardRouteTests {
    @Test func aGuestCreatesABoardAndAnyoneReadsItWithItsOffset() async throws {
        try await AccountRouteTests.withServer { _, client, _ in
            let guest = try await AccountRouteTests.call(client, .post, "/api/v1/auth/guest")
            let token = try #require(guest.token)

            let unauthenticated = try await AccountRouteTests.call(client, .post, "/api/v1/boards", json: ["name": "Plan"])
            #expect(unauthenticated.status == .unauthorized)

            let created = try await AccountRouteTests.call(client, .post, "/api/v1/boards", json: ["name": " Plan "], token: token)
            #expect(created.status == .created)
            let id = try #require(created.body["id"] as? String)
            #expect(created.body["name"] as? String == "Plan")
            #expect(created.body["offset"] as? Int == 1)
            #expect((created.body["boxes"] as? [Any])?.isEmpty == true)

            let read = try await AccountRouteTests.call(client, .get, "/api/v1/boards/\(id)")
            #expect(read.status == .ok)
            #expect(read.body["name"] as? String == "Plan")

            let blank = try await AccountRouteTests.call(client, .post, "/api/v1/boards", json: ["name": "  "], token: token)
            #expect(blank.status == .badRequest)
            #expect(try await AccountRouteTests.call(client, .get, "/api/v1/boards/nope").status == .notFound)
            #expect(try await AccountRouteTests.call(client, .get, "/api/v1/boards/a%20b").status == .badRequest)
        }
    }
}
