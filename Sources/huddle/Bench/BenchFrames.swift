import Foundation
import NIOHTTP1

/// The parts of Huddle's server frames (docs/PROTOCOL.md) the load generators look at.
struct BenchFrame: Decodable {
    struct Data: Decodable {
        var boxId: String?
        var x: Double?
        var y: Double?
    }

    var type: String
    var id: String?
    var channel: String?
    var name: String?
    var offset: Int64?
    var code: String?
    var data: Data?

    static func parse(_ text: String) -> BenchFrame? {
        try? JSONDecoder().decode(BenchFrame.self, from: Foundation.Data(text.utf8))
    }
}

/// Setting up a benchmark over HTTP: a guest token, boards, boxes.
enum BenchSetup {
    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    static func object(_ response: HTTPConnection.Response, _ what: String) throws -> [String: Any] {
        guard (200..<300).contains(response.status),
            let object = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        else { throw Failed(description: "\(what) answered \(response.status): \(response.body.prefix(300))") }
        return object
    }

    static func guestToken(_ connection: inout HTTPConnection) async throws -> String {
        let reply = try self.object(try await connection.request(.POST, "/api/v1/auth/guest"), "POST /api/v1/auth/guest")
        guard let token = reply["accessToken"] as? String else { throw Failed(description: "no accessToken from /api/v1/auth/guest") }
        return token
    }

    static func board(named name: String, token: String, _ connection: inout HTTPConnection) async throws -> String {
        let body = #"{"name":"\#(name)"}"#
        let reply = try self.object(
            try await connection.request(.POST, "/api/v1/boards", json: body, token: token), "POST /api/v1/boards")
        guard let id = reply["id"] as? String else { throw Failed(description: "no board id") }
        return id
    }

    static func box(on board: String, token: String, _ connection: inout HTTPConnection) async throws -> String {
        let reply = try self.object(
            try await connection.request(
                .POST, "/api/v1/boards/\(board)/commands", json: #"{"name":"addBox","data":{"text":"bench"}}"#, token: token),
            "addBox")
        guard let data = reply["data"] as? [String: Any], let id = data["id"] as? String else { throw Failed(description: "no box id") }
        return id
    }
}
