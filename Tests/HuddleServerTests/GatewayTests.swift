import HuddleCore
@testable import HuddleGateway
@testable import HuddleServer
import Testing

@Suite struct GatewayTests {
    @Test func welcomesWithTheChosenNameOrAGuestName() async throws {
        let fixture = GatewayFixture()
        let named = fixture.connect(name: "Ada")
        let welcome = try await named.next()
        #expect(welcome["type"] as? String == "welcome")
        #expect(welcome["name"] as? String == "Ada")
        #expect((welcome["connectionId"] as? String)?.isEmpty == false)

        let guest = fixture.connect(name: nil)
        let guestName = try #require(try await guest.next()["name"] as? String)
        #expect(guestName.split(separator: " ").count == 2)
    }

    @Test func replaysThenGoesLiveWithoutGapsOrDuplicatesWhileEventsAreAppended() async throws {
        let fixture = GatewayFixture { $0.replayPageSize = 7 }
        for n in 1...120 {
            try await fixture.appendNote("note:race", n)
        }
        let client = fixture.connect()
        _ = try await client.next("welcome")
        try fixture.subscribe(client, "note:race", since: 0)
        // Appends race with the replay: some land before the subscription, some during, some after.
        let writer = Task {
            for n in 121...200 {
                try await fixture.appendNote("note:race", n)
                await Task.yield()
            }
        }
        var offsets: [Int] = []
        var subscribedAt: Int?
        // Until the last event and the `subscribed` frame (a replay may cover every append, so
        // that `subscribed` comes last).
        while offsets.last != 200 || subscribedAt == nil {
            let frame = try await client.next()
            switch frame["type"] as? String {
            case "event":
                offsets.append(try #require(frame["offset"] as? Int))
                let data = try #require(frame["data"] as? [String: Any])
                #expect(data["n"] as? Int == offsets.last, "each offset carries its own event")
            case "subscribed":
                #expect(subscribedAt == nil, "one subscribed frame")
                subscribedAt = offsets.count
                #expect(frame["offset"] as? Int == offsets.last)
            default:
                break
            }
        }
        try await writer.value
        #expect(offsets == Array(1...200))
        #expect(subscribedAt != nil)
    }

    @Test func resumesAfterTheGivenOffset() async throws {
        let fixture = GatewayFixture()
        for n in 1...10 {
            try await fixture.appendNote("note:resume", n)
        }
        let client = fixture.connect()
        _ = try await client.next("welcome")
        try fixture.subscribe(client, "note:resume", since: 7)
        #expect(try await client.next()["offset"] as? Int == 8)
        #expect(try await client.next()["offset"] as? Int == 9)
        #expect(try await client.next()["offset"] as? Int == 10)
        let subscribed = try await client.next()
        #expect(subscribed["type"] as? String == "subscribed")
        #expect(subscribed["offset"] as? Int == 10)
    }

    @Test func sinceMinusOneSkipsHistory() async throws {
        let fixture = GatewayFixture()
        for n in 1...5 {
            try await fixture.appendNote("note:fresh", n)
        }
        let client = fixture.connect()
        _ = try await client.next("welcome")
        try fixture.subscribe(client, "note:fresh", since: -1)
        let subscribed = try await client.next()
        #expect(subscribed["type"] as? String == "subscribed")
        #expect(subscribed["offset"] as? Int == 5)
        _ = try await client.next("presence")
        try await fixture.appendNote("note:fresh", 6)
        #expect(try await client.next("event")["offset"] as? Int == 6)
    }

    @Test func fillsAGapWhenADoorbellWasLost() async throws {
        let fixture = GatewayFixture()
        let client = fixture.connect()
        _ = try await client.next("welcome")
        try fixture.subscribe(client, "note:gap", since: 0)
        _ = try await client.next("subscribed")
        // Two events stored without being published, as if the broker dropped them.
        for n in 1...2 {
            _ = try await fixture.store.append(NewEvent(name: "appended", data: "{\"n\":\(n)}"), to: "note:gap")
        }
        try await fixture.appendNote("note:gap", 3)
        #expect(try await client.next("event")["offset"] as? Int == 1)
        #expect(try await client.next("event")["offset"] as? Int == 2)
        #expect(try await client.next("event")["offset"] as? Int == 3)
    }

    @Test func commandsAreAcknowledgedWithTheirOffsetAndReachEverySubscriber() async throws {
        let fixture = GatewayFixture()
        let clients = try await fixture.connectSubscribed(["A", "B"], to: "counter:clicks")
        let (a, b) = (clients[0], clients[1])
        try a.send(["type": "command", "id": "c1", "channel": "counter:clicks", "name": "increment"])
        var sawAck = false
        var sawEvent = false
        while !(sawAck && sawEvent) {
            let frame = try await a.next()
            if frame["type"] as? String == "ack" {
                #expect(frame["id"] as? String == "c1")
                #expect(frame["offset"] as? Int == 1)
                sawAck = true
            } else if frame["type"] as? String == "event" {
                sawEvent = true
            }
        }
        let event = try await b.next("event")
        #expect(event["channel"] as? String == "counter:clicks")
        #expect((event["data"] as? [String: Any])?["count"] as? Int == 1)
        #expect(await fixture.counters.value(of: "clicks") == 1)
    }

    @Test func refusedCommandsGetTheAppsErrorCode() async throws {
        let fixture = GatewayFixture()
        let client = fixture.connect()
        _ = try await client.next("welcome")
        try client.send(["type": "command", "id": "r1", "channel": "note:x", "name": "refuse"])
        let refused = try await client.next("error")
        #expect(refused["id"] as? String == "r1")
        #expect(refused["code"] as? String == "locked")
        try client.send(["type": "command", "id": "r2", "channel": "note:x", "name": "dance"])
        #expect(try await client.next("error")["code"] as? String == "unknown_command")
        #expect(await fixture.store.head(of: "note:x") == 0, "nothing was stored")
    }

    @Test func badFramesGetErrorsAndTheConnectionStaysUsable() async throws {
        let fixture = GatewayFixture()
        let client = fixture.connect()
        _ = try await client.next("welcome")
        let cases: [(String, String)] = [
            ("not json", "bad_request"),
            ("[1,2]", "bad_request"),
            (#"{"type":42}"#, "bad_request"),
            (#"{"type":"dance"}"#, "unknown_type"),
            (#"{"type":"subscribe","channel":"no colon"}"#, "bad_request"),
            (#"{"type":"subscribe","channel":"nothing:here"}"#, "unknown_channel"),
            (#"{"type":"subscribe","channel":"note:a","since":-5}"#, "bad_request"),
            (#"{"type":"subscribe","channel":"note:a","since":1.5}"#, "bad_request"),
            (#"{"type":"command","channel":"note:a","name":"append"}"#, "bad_request"),
            (#"{"type":"command","id":"x","channel":"note:a"}"#, "bad_request"),
            (#"{"type":"signal","channel":"note:a","name":"cursor"}"#, "not_subscribed"),
            (#"{"type":"unsubscribe","channel":"note:a"}"#, "not_subscribed"),
            // Hostile nesting is refused by the parser's depth limit, not by a crash.
            (#"{"type":"command","id":"d","channel":"note:a","name":"append","data":"#
                + String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000) + "}", "bad_request"),
        ]
        for (text, code) in cases {
            client.sendText(text)
            let error = try await client.next()
            #expect(error["type"] as? String == "error", "\(text)")
            #expect(error["code"] as? String == code, "\(text)")
        }
        try client.send(["type": "ping", "id": "still-there"])
        #expect(try await client.next()["id"] as? String == "still-there")
        client.receive(.binary(size: 3))
        #expect(try await client.next()["code"] as? String == "bad_request")
    }

    /// A wrong-typed or unusable value is named, not answered with a nesting limit.
    @Test func aBadFieldIsNamedInTheError() async throws {
        let fixture = GatewayFixture()
        let client = fixture.connect()
        _ = try await client.next("welcome")
        client.sendText(#"{"type":"subscribe","channel":"counter:x","since":"soon"}"#)
        #expect((try await client.next("error")["message"] as? String)?.contains("'since' must be a whole number") == true)
        client.sendText(#"{"type":"subscribe","channel":"counter:x","since":1e309}"#)
        let message = try await client.next("error")["message"] as? String
        #expect(message?.contains("a number out of range") == true, "\(message ?? "")")
        client.sendText(#"{"id":"x"}"#)
        #expect((try await client.next("error")["message"] as? String)?.contains("'type' is missing") == true)
        client.disconnect()
    }

    @Test func persistentAbuseClosesWithPolicyViolation() async throws {
        let fixture = GatewayFixture()
        let client = fixture.connect()
        for _ in 0..<25 {
            client.sendText("{")
        }
        #expect(try await client.closeReason() == .policyViolation)
    }

    /// A good frame between bad ones does not reset the count: 30 bad frames at once, each
    /// followed by a ping, are more than the 20 allowed in 10 s.
    @Test func badFramesAreCountedOverTimeNotInARow() async throws {
        let fixture = GatewayFixture()
        let client = fixture.connect()
        _ = try await client.next("welcome")
        for n in 0..<30 {
            client.sendText("{")
            try client.send(["type": "ping", "id": "p\(n)"])
        }
        #expect(try await client.closeReason() == .policyViolation)
    }

    @Test func subscribeChurnIsRateLimited() async throws {
        let fixture = GatewayFixture {
            $0.commandsPerSecond = 1
            $0.commandBurst = 4
        }
        let client = fixture.connect()
        _ = try await client.next("welcome")
        for _ in 0..<3 {
            try fixture.subscribe(client, "counter:churn")
            try client.send(["type": "unsubscribe", "channel": "counter:churn"])
        }
        #expect(try await client.next("error")["code"] as? String == "rate_limited")
    }

    @Test func oversizedMessagesCloseWith1009() async throws {
        let fixture = GatewayFixture { $0.maxMessageSize = 1024 }
        let client = fixture.connect()
        _ = try await client.next("welcome")
        client.sendText(#"{"type":"ping","id":""# + String(repeating: "x", count: 2000) + #""}"#)
        #expect(try await client.closeReason() == .messageTooLarge)
    }

    @Test func commandsBeyondTheRateAreRefused() async throws {
        let fixture = GatewayFixture {
            $0.commandsPerSecond = 1
            $0.commandBurst = 2
        }
        let client = fixture.connect()
        _ = try await client.next("welcome")
        // Fewer than the violation limit, so the connection stays open.
        for n in 0..<10 {
            try client.send(["type": "command", "id": "c\(n)", "channel": "counter:rate", "name": "increment"])
        }
        var acks = 0
        var limited = 0
        while acks + limited < 10 {
            let frame = try await client.next()
            if frame["type"] as? String == "ack" { acks += 1 }
            if frame["code"] as? String == "rate_limited" { limited += 1 }
        }
        #expect(limited > 0)
        #expect(await fixture.counters.value(of: "rate") == Int64(acks), "refused commands did nothing")
    }

    @Test func aClientThatStopsReadingIsCutOffWithBoundedMemory() async throws {
        let fixture = GatewayFixture { $0.sendBufferLimit = 256 }
        // welcome, subscribed, presence: then the client stops reading.
        let client = fixture.connect(blockAfter: 3)
        try fixture.subscribe(client, "counter:flood", since: -1)
        _ = try await client.next("presence")
        for _ in 0..<200 {
            _ = try await fixture.counter.increment("flood")
        }
        #expect(try await client.closeReason() == .slowConsumer)
        #expect(client.writer.wasAborted, "a non-reading client is dropped, not waited for")
        #expect(fixture.gateway.connectionCount == 0)
    }

    @Test func limitsChannelsPerConnection() async throws {
        let fixture = GatewayFixture { $0.maxChannelsPerConnection = 2 }
        let client = fixture.connect()
        _ = try await client.next("welcome")
        for n in 0..<2 {
            try fixture.subscribe(client, "note:\(n)")
            _ = try await client.next("subscribed")
        }
        try fixture.subscribe(client, "note:2")
        #expect(try await client.next("error")["code"] as? String == "too_many_channels")
        try fixture.subscribe(client, "note:0")
        #expect(try await client.next("error")["code"] as? String == "bad_request", "already subscribed")
    }

    @Test func unsubscribeStopsDeliveries() async throws {
        let fixture = GatewayFixture()
        let client = fixture.connect()
        _ = try await client.next("welcome")
        try fixture.subscribe(client, "note:u")
        _ = try await client.next("subscribed")
        try client.send(["type": "unsubscribe", "channel": "note:u"])
        #expect(try await client.next("unsubscribed")["channel"] as? String == "note:u")
        try await fixture.appendNote("note:u", 1)
        try client.send(["type": "ping", "id": "after"])
        let next = try await client.next()
        #expect(next["type"] as? String == "pong", "no event arrived after unsubscribing")
    }

    @Test func presenceAndSignalsReachTheOthers() async throws {
        let fixture = GatewayFixture()
        let ada = fixture.connect(name: "Ada")
        _ = try await ada.next("welcome")
        try fixture.subscribe(ada, "note:room")
        let alone = try await ada.next("presence")
        #expect((alone["members"] as? [[String: Any]])?.map { $0["name"] as? String } == ["Ada"])

        let bo = fixture.connect(name: "Bo <b>")
        _ = try await bo.next("welcome")
        try fixture.subscribe(bo, "note:room")
        let both = try await bo.next("presence")
        #expect((both["members"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["Ada", "Bo <b>"])
        let joined = try await ada.next("presence")
        #expect(joined["action"] as? String == "join")
        #expect((joined["member"] as? [String: Any])?["name"] as? String == "Bo <b>")

        try bo.send(["type": "signal", "channel": "note:room", "name": "cursor", "data": ["x": 3, "y": 4]])
        let signal = try await ada.next("signal")
        let from = signal["from"] as? [String: Any]
        #expect(from?["name"] as? String == "Bo <b>")
        // A connection without a token is the guest of its connection id; pages trust a
        // signal by that identity (a player's hover), not by the name.
        #expect(from?["identity"] as? String == "guest-" + (from?["id"] as? String ?? "?"))
        #expect((signal["data"] as? [String: Any])?["x"] as? Int == 3)
        try bo.send(["type": "ping", "id": "p"])
        #expect(try await bo.next()["type"] as? String == "pong", "a signal is not echoed to its sender")

        bo.disconnect()
        let left = try await ada.next("presence")
        #expect(left["action"] as? String == "leave")
        #expect(try await fixture.presence.members(of: "note:room").map(\.name) == ["Ada"])
    }

    /// 2^53 + 1 is the first integer a Double cannot hold; -2^63 and 2^63 - 1 are Int64's ends.
    @Test func integersReachTheOthersExactlyInSignalsAndStoredEvents() async throws {
        let fixture = GatewayFixture()
        let clients = try await fixture.connectSubscribed(["Ada", "Bo"], to: "note:ids")
        let (ada, bo) = (clients[0], clients[1])
        let data = #"{"max":9223372036854775807,"min":-9223372036854775808,"t":9007199254740993,"x":1.5}"#

        bo.sendText(#"{"type":"signal","channel":"note:ids","name":"cursor","data":\#(data)}"#)
        #expect(try await ada.nextText("signal").hasSuffix(#","data":\#(data)}"#))

        bo.sendText(#"{"type":"command","id":"c1","channel":"note:ids","name":"append","data":\#(data)}"#)
        #expect(try await ada.nextText("event").contains(#","data":\#(data)"#), "live")
        #expect(try await fixture.store.read("note:ids", after: 0, limit: 1).first?.data == data, "stored")
        let late = fixture.connect(name: "Cy")
        _ = try await late.next("welcome")
        try fixture.subscribe(late, "note:ids", since: 0)
        #expect(try await late.nextText("event").contains(#","data":\#(data)"#), "replayed")
    }

    @Test func oneUpstreamSubscriptionPerChannelPerReplica() async throws {
        let fixture = GatewayFixture()
        let clients = (0..<5).map { _ in fixture.connect() }
        for client in clients {
            _ = try await client.next("welcome")
            try fixture.subscribe(client, "counter:shared")
            _ = try await client.next("subscribed")
        }
        #expect(fixture.broker.channelCount == 1)
        for client in clients {
            client.disconnect()
            _ = try await client.closeReason()
        }
        #expect(fixture.broker.channelCount == 0, "the last one to leave ends the upstream subscription")
    }

    @Test func drainClosesEveryConnectionWithServiceRestart() async throws {
        let fixture = GatewayFixture()
        let clients = (0..<3).map { _ in fixture.connect() }
        for client in clients {
            _ = try await client.next("welcome")
        }
        await fixture.gateway.drain(timeout: .seconds(10))
        for client in clients {
            #expect(try await client.closeReason() == .serviceRestart)
        }
        #expect(fixture.gateway.connectionCount == 0)
    }

    /// A client that keeps talking during a drain ends the reader early (it sees the session
    /// closing); the connection must still end with the drain's 1012, not the transport's 1000.
    @Test func aClientSendingDuringADrainStillGets1012() async throws {
        let fixture = GatewayFixture()
        let client = fixture.connect(slowClose: true)
        _ = try await client.next("welcome")
        let drain = Task { await fixture.gateway.drain(timeout: .seconds(10)) }
        var started = client.writer.closeStarted.makeAsyncIterator()
        _ = await started.next()
        try client.send(["type": "ping", "id": "during-drain"])
        #expect(try await client.closeReason() == .serviceRestart)
        await drain.value
    }
}
