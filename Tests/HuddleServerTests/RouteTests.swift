import Foundation
import HTTPTypes
import HuddleServer
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@Suite struct RouteTests {
    func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8))
        return try #require(object as? [String: Any])
    }

    @Test func countersIncrementAndReadOverHTTP() async throws {
        let server = try await ServerFixture.make()
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/api/v1/counters/visits", method: .get) { (response) throws in
                #expect(response.status == .ok)
                #expect(try self.json(response.body)["count"] as? Int == 0)
            }
            for expected in 1...3 {
                try await client.execute(uri: "/api/v1/counters/visits/increment", method: .post) { (response) throws in
                    #expect(response.status == .ok)
                    let body = try self.json(response.body)
                    #expect(body["id"] as? String == "visits")
                    #expect(body["count"] as? Int == expected)
                }
            }
            // Seed 003's API: GET increments and answers {"count": n}.
            try await client.execute(uri: "/counter/visits", method: .get) { (response) throws in
                #expect(try self.json(response.body).keys.sorted() == ["count"])
                #expect(try self.json(response.body)["count"] as? Int == 4)
            }
            try await client.execute(uri: "/counter/fresh", method: .get) { (response) throws in
                #expect(try self.json(response.body)["count"] as? Int == 1, "1 the first time")
            }
        }
    }

    @Test func concurrentIncrementsAreAtomicOnTheEmbeddedStore() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerFixture.make(ServerFixture.configuration(store: .sqlite, dataDirectory: directory.path))
        try await server.application.test(.live) { client in
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<100 {
                    group.addTask {
                        try await client.execute(uri: "/api/v1/counters/hot/increment", method: .post) { (response) throws in
                            try #require(self.json(response.body)["count"] as? Int)
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(counts.sorted() == Array(1...100), "every increment got its own value")
        }
        await server.shutdown()
    }

    @Test func countsSurviveARestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = ServerFixture.configuration(store: .sqlite, dataDirectory: directory.path + "/nested/data")
        let first = try await ServerFixture.make(configuration)
        try await first.application.test(.router) { client in
            for _ in 0..<5 {
                try await client.execute(uri: "/api/v1/counters/kept/increment", method: .post) { _ in }
            }
        }
        await first.shutdown()
        #expect(FileManager.default.fileExists(atPath: directory.path + "/nested/data/huddle.sqlite"))

        let second = try await ServerFixture.make(configuration)
        try await second.application.test(.router) { client in
            try await client.execute(uri: "/api/v1/counters/kept", method: .get) { (response) throws in
                #expect(try self.json(response.body)["count"] as? Int == 5)
            }
            try await client.execute(uri: "/api/v1/counters/kept/increment", method: .post) { (response) throws in
                #expect(try self.json(response.body)["count"] as? Int == 6)
            }
        }
        await second.shutdown()
    }

    @Test(arguments: ["/api/v1/counters/a%20b", "/api/v1/counters/" + String(repeating: "x", count: 129), "/counter/%3Cb%3E"])
    func invalidCounterIDsAreBadRequests(_ uri: String) async throws {
        let server = try await ServerFixture.make()
        try await server.application.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { (response) throws in
                #expect(response.status == .badRequest)
                let body = try self.json(response.body)
                #expect(body["error"] as? String == "bad_request")
                #expect((body["message"] as? String)?.isEmpty == false)
                #expect(body["requestId"] as? String == response.headers[HTTPField.Name("X-Request-Id")!])
            }
        }
    }

    @Test func unknownRoutesAreJSON404sWithTheRequestID() async throws {
        let server = try await ServerFixture.make()
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/api/v1/nope", method: .get) { (response) throws in
                #expect(response.status == .notFound)
                let body = try self.json(response.body)
                #expect(body["error"] as? String == "not_found")
                let id = try #require(response.headers[HTTPField.Name("X-Request-Id")!])
                #expect(body["requestId"] as? String == id)
            }
            try await client.execute(uri: "/api/v1/counters/x/increment", method: .delete) { (response) throws in
                #expect(response.status == .notFound || response.status == .methodNotAllowed)
                #expect(try self.json(response.body)["requestId"] is String)
            }
        }
    }

    @Test func aPlainRequestIDFromTheClientIsKeptAndAHostileOneReplaced() async throws {
        let server = try await ServerFixture.make()
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/health/live", method: .get, headers: [HTTPField.Name("X-Request-Id")!: "abc-123"]) {
                #expect($0.headers[HTTPField.Name("X-Request-Id")!] == "abc-123")
            }
            try await client.execute(
                uri: "/health/live", method: .get, headers: [HTTPField.Name("X-Request-Id")!: "bad id\" <script>"]
            ) { (response) throws in
                let id = try #require(response.headers[HTTPField.Name("X-Request-Id")!])
                #expect(id != "bad id\" <script>")
                #expect(id.count == 16)
            }
        }
    }

    @Test func readinessIs503UntilTheServerListensAndWhileDraining() async throws {
        let server = try await ServerFixture.make()
        // The router test framework never starts a listener: the replica is still starting.
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/health/ready", method: .get) { (response) throws in
                #expect(response.status == .serviceUnavailable)
                #expect(try self.json(response.body)["status"] as? String == "starting")
            }
            try await client.execute(uri: "/ping", method: .get) { #expect($0.status == .internalServerError) }
            try await client.execute(uri: "/health/live", method: .get) { #expect($0.status == .ok) }
        }
        try await server.application.test(.live) { client in
            try await client.execute(uri: "/health/ready", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/ping", method: .get) { #expect($0.status == .ok) }
            server.readiness.markDraining()
            try await client.execute(uri: "/health/ready", method: .get) { (response) throws in
                #expect(response.status == .serviceUnavailable)
                #expect(try self.json(response.body)["status"] as? String == "draining")
            }
            try await client.execute(uri: "/ping", method: .get) { #expect($0.status == .internalServerError) }
        }
    }

    @Test func metricsArePrometheusText() async throws {
        let server = try await ServerFixture.make()
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/api/v1/counters/m/increment", method: .post) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { (response) throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                let text = String(buffer: response.body)
                #expect(text.contains(#"huddle_http_requests_total{method="POST",route="/api/v1/counters/{id}/increment",status="200"}"#))
                #expect(text.contains("huddle_http_request_duration_seconds_bucket"))
                #expect(text.contains("huddle_broker_publishes_total"))
            }
        }
    }

    @Test func servesTheWebFrontEnd() async throws {
        let server = try await ServerFixture.make()
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { (response) throws in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("<html"))
            }
            try await client.execute(uri: "/js/realtime.js", method: .get) { (response) throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.contains("javascript") == true)
            }
        }
    }

    @Test func badConfigurationIsRefusedWithTheKeyNamed() throws {
        #expect(throws: ConfigurationError.self) {
            try HuddleConfiguration(reader: .init(provider: InMemoryProvider(values: ["port": "eighty"])))
        }
        do {
            _ = try HuddleConfiguration(reader: .init(provider: InMemoryProvider(values: ["ws.max-message": "12"])))
            Issue.record("a 12-byte message limit was accepted")
        } catch let error as ConfigurationError {
            #expect(error.description.contains("HUDDLE_WS_MAX_MESSAGE"))
        }
        let parsed = try HuddleConfiguration(
            reader: .init(provider: InMemoryProvider(values: ["port": " 9090 ", "store": "MEMORY", "log-level": "debug"])))
        #expect(parsed.port == 9090)
        #expect(parsed.store == .memory)
        #expect(parsed.logLevel == .debug)
    }
}

import Configuration
