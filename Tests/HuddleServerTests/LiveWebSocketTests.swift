import Foundation
import HuddleGateway
import HuddleServer
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import Logging
import NIOWebSocket
import Testing

/// The gateway over real sockets: upgrade, frames, close codes.
@Suite struct LiveWebSocketTests {
    static func parse(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Reads text messages until one of `type` arrives.
    static func next(_ type: String, from inbound: inout WebSocketInboundMessageStream.AsyncIterator) async throws
        -> [String: Any]
    {
        while let message = try await inbound.next() {
            guard case .text(let text) = message else { continue }
            let frame = try Self.parse(text)
            if frame["type"] as? String == type { return frame }
        }
        throw CancellationError()
    }

    @Test func anHTTPIncrementReachesAWebSocketSubscriber() async throws {
        let server = try await ServerFixture.make()
        try await server.application.test(.live) { client in
            let close = try await client.ws("/api/v1/realtime?name=Live%20One") { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                let welcome = try await Self.next("welcome", from: &messages)
                #expect(welcome["name"] as? String == "Live One")
                try await outbound.write(.text(#"{"type":"subscribe","channel":"counter:live","since":0}"#))
                _ = try await Self.next("subscribed", from: &messages)
                try await client.execute(uri: "/api/v1/counters/live/increment", method: .post) { _ in }
                let event = try await Self.next("event", from: &messages)
                #expect(event["offset"] as? Int == 1)
                #expect((event["data"] as? [String: Any])?["count"] as? Int == 1)
                try await outbound.close(.normalClosure, reason: nil)
            }
            #expect(close?.closeCode == .normalClosure)
        }
    }

    @Test func anOversizedMessageIsClosedWith1009() async throws {
        var configuration = ServerFixture.configuration()
        configuration.gateway.maxMessageSize = 4096
        let server = try await ServerFixture.make(configuration)
        try await server.application.test(.live) { client in
            let close = try await client.ws("/api/v1/realtime") { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                _ = try await Self.next("welcome", from: &messages)
                try await outbound.write(.text(String(repeating: "x", count: 6000)))
                while try await messages.next() != nil {}
            }
            #expect(close?.closeCode == .messageTooLarge)
        }
    }

    @Test func drainingClosesWith1012AndRefusesNewConnections() async throws {
        let server = try await ServerFixture.make()
        try await server.application.test(.live) { client in
            let close = try await client.ws("/api/v1/realtime") { inbound, _, _ in
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                _ = try await Self.next("welcome", from: &messages)
                server.readiness.markDraining()
                Task { await server.gateway.drain(timeout: .seconds(10)) }
                while try await messages.next() != nil {}
            }
            #expect(close?.closeCode == .unknown(1012))
            await #expect(throws: (any Error).self, "a draining replica refuses new WebSockets") {
                try await client.ws("/api/v1/realtime") { _, _, _ in }
            }
        }
    }
}
