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

    @Test func ownersListRenameAndDeleteTheirBoardsAndOthersMayNot() async throws {
        try await AccountRouteTests.withServer { _, client, adminToken in
            let ada = try #require(try await AccountRouteTests.call(client, .post, "/api/v1/auth/guest").token)
            let bob = try #require(try await AccountRouteTests.call(client, .post, "/api/v1/auth/guest").token)
            var ids: [String] = []
            for name in ["First", "Second"] {
                let created = try await AccountRouteTests.call(client, .post, "/api/v1/boards", json: ["name": name], token: ada)
                ids.append(try #require(created.body["id"] as? String))
            }
            _ = try await AccountRouteTests.call(client, .post, "/api/v1/boards", json: ["name": "Bob's"], token: bob)

            func names(_ token: String) async throws -> [String] {
                let listed = try await AccountRouteTests.call(client, .get, "/api/v1/boards", token: token)
                #expect(listed.status == .ok)
                return (listed.body["boards"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            }
            #expect(try await names(ada) == ["Second", "First"], "own boards, newest first")
            #expect(try await names(bob) == ["Bob's"])
            #expect(Set(try await names(adminToken)).isSuperset(of: ["First", "Second", "Bob's"]), "an admin sees every board")
            #expect(try await AccountRouteTests.call(client, .get, "/api/v1/boards").status == .unauthorized)
            #expect(try await AccountRouteTests.call(client, .get, "/api/v1/boards?limit=0", token: ada).status == .badRequest)

            let path = "/api/v1/boards/\(ids[0])"
            let notYours = try await AccountRouteTests.call(client, .patch, path, json: ["name": "Mine now"], token: bob)
            #expect(notYours.status == .forbidden)
            #expect(notYours.body["error"] as? String == "forbidden")
            #expect(try await AccountRouteTests.call(client, .delete, path, token: bob).status == .forbidden)

            let renamed = try await AccountRouteTests.call(client, .patch, path, json: ["name": "Renamed"], token: ada)
            #expect(renamed.status == .ok)
            #expect(renamed.body["name"] as? String == "Renamed")
            #expect(try await AccountRouteTests.call(client, .patch, path, json: ["name": ""], token: ada).status == .badRequest)
            #expect(try await names(ada) == ["Second", "Renamed"])

            // An admin may rename anyone's board; the owner deletes it, and then it is gone.
            #expect(try await AccountRouteTests.call(client, .patch, path, json: ["name": "By admin"], token: adminToken).status == .ok)
            #expect(try await AccountRouteTests.call(client, .delete, path, token: ada).status == .noContent)
            let gone = try await AccountRouteTests.call(client, .get, path)
            #expect(gone.status == .notFound)
            #expect((gone.body["message"] as? String)?.contains("deleted") == true)
            #expect(try await AccountRouteTests.call(client, .delete, path, token: ada).status == .notFound)
            #expect(try await names(ada) == ["Second"])
        }
    }

    @Test func commandsOverHTTPAreDecidedAsOverTheWebSocket() async throws {
        try await AccountRouteTests.withServer { _, client, _ in
            let ada = try #require(try await AccountRouteTests.call(client, .post, "/api/v1/auth/guest").token)
            let bob = try #require(try await AccountRouteTests.call(client, .post, "/api/v1/auth/guest").token)
            let created = try await AccountRouteTests.call(client, .post, "/api/v1/boards", json: ["name": "Plan"], token: ada)
            let id = try #require(created.body["id"] as? String)
            let commands = "/api/v1/boards/\(id)/commands"

            let added = try await AccountRouteTests.call(
                client, .post, commands, json: ["name": "addBox", "data": ["x": 10, "y": 20, "text": "Hi"]], token: ada)
            #expect(added.status == .ok)
            #expect(added.body["offset"] as? Int == 2)
            #expect(added.body["name"] as? String == "boxAdded")
            let box = try #require((added.body["data"] as? [String: Any])?["id"] as? String)

            let moved = try await AccountRouteTests.call(
                client, .post, commands, json: ["name": "moveBox", "data": ["boxId": box, "x": 100, "y": 200]], token: ada)
            #expect(moved.status == .ok && moved.body["offset"] as? Int == 3)

            // Seed 000's soft lock: someone else's move within 2 s is refused with 409 `locked`.
            let locked = try await AccountRouteTests.call(
                client, .post, commands, json: ["name": "moveBox", "data": ["boxId": box, "x": 1, "y": 1]], token: bob)
            #expect(locked.status == .conflict)
            #expect(locked.body["error"] as? String == "locked")
            #expect(locked.body["requestId"] is String)

            let bad = try await AccountRouteTests.call(client, .post, commands, json: ["name": "moveBox", "data": ["boxId": box]], token: ada)
            #expect(bad.status == .badRequest)
            let unknown = try await AccountRouteTests.call(client, .post, commands, json: ["name": "explode"], token: ada)
            #expect(unknown.status == .badRequest && unknown.body["error"] as? String == "unknown_command")
            let anonymous = try await AccountRouteTests.call(client, .post, commands, json: ["name": "raiseBox", "data": ["boxId": box]])
            #expect(anonymous.status == .unauthorized)
            let missing = try await AccountRouteTests.call(
                client, .post, "/api/v1/boards/nope/commands", json: ["name": "addBox"], token: ada)
            #expect(missing.status == .notFound)

            let read = try await AccountRouteTests.call(client, .get, "/api/v1/boards/\(id)")
            #expect(read.body["offset"] as? Int == 3)
            let boxes = try #require(read.body["boxes"] as? [[String: Any]])
            #expect(boxes.count == 1 && boxes[0]["x"] as? Int == 100 && boxes[0]["text"] as? String == "Hi")
        }
    }
}
