import Foundation
import HuddleCore
@testable import HuddleGateway
import Testing

@Suite struct FrameTests {
    /// Parses a rendered frame with Foundation's parser: the renderer must produce valid JSON.
    func parse(_ frame: ServerFrame) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(frame.text.utf8))
        return try #require(object as? [String: Any])
    }

    @Test func eventFramesEmbedTheStoredJSON() throws {
        let event = StoredEvent(stream: "board:1", offset: 7, name: "boxMoved", data: #"{"x":1,"y":[2,3]}"#, recordedAt: 99)
        let object = try self.parse(.event(event))
        #expect(object["type"] as? String == "event")
        #expect(object["channel"] as? String == "board:1")
        #expect(object["offset"] as? Int == 7)
        #expect(object["time"] as? Int == 99)
        let data = try #require(object["data"] as? [String: Any])
        #expect(data["x"] as? Int == 1)
    }

    @Test func hostileTextIsEscaped() throws {
        let nasty = "a\"b\\c\n\u{01}\u{2028}</script><b>x</b>😀"
        let member = PresenceMember(id: "c1", name: nasty)
        let object = try self.parse(.presenceChange(channel: "board:1", action: .join, member: member))
        let parsed = try #require(object["member"] as? [String: Any])
        #expect(parsed["name"] as? String == nasty)
        let error = try self.parse(.error(id: nasty, channel: nil, code: .badRequest, message: nasty))
        #expect(error["message"] as? String == nasty)
        #expect(error["code"] as? String == "bad_request")
        #expect(error["channel"] == nil)
    }

    @Test func everyFrameTypeIsValidJSON() throws {
        let member = PresenceMember(id: "c1", name: "Ada k3")
        let frames: [ServerFrame] = [
            .welcome(connectionID: "c1", name: "Ada"),
            .subscribed(channel: "counter:x", offset: 3),
            .unsubscribed(channel: "counter:x"),
            .ack(id: "c9", offset: 18),
            .error(id: nil, channel: "counter:x", code: .locked, message: "held by Ada"),
            .signal(channel: "board:1", from: member, identity: "guest-1", name: "cursor", data: .object(["x": .double(1.5), "on": .bool(true)])),
            .presenceSnapshot(channel: "board:1", members: [member, member]),
            .pong(id: nil),
            .pong(id: "p1"),
        ]
        for frame in frames {
            let object = try self.parse(frame)
            #expect(object["type"] is String)
        }
    }

    @Test func jsonValuesRoundTrip() throws {
        let value = JSONValue.object([
            "n": .integer(3), "f": .double(-2.5), "s": .string("x\"y"), "a": .array([.null, .bool(false)]),
            "o": .object(["k": .string("v")]),
        ])
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(value.jsonText.utf8))
        #expect(decoded == value)
        #expect(JSONValue.double(.infinity).jsonText == "null", "non-finite numbers are not JSON")
        #expect(JSONValue.integer(42).jsonText == "42")
    }
}
