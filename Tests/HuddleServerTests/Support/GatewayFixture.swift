import HuddleCore
@testable import HuddleServer
import Logging

/// A gateway on in-memory backends with the Counter app and a plain event-stream app
/// (`note:*` channels: command `append` stores its data; command `refuse` is rejected;
/// command `pin` is for signed-in users only and stores who ran it).
///
/// Tokens for `auth` frames: `user:<name>` and `admin:<name>` are accepted (as if a
/// valid access token), anything else is refused.
struct GatewayFixture {
    let store = InMemoryEventStore()
    let counters = InMemoryCounters()
    let broker = InProcessBroker()
    let presence: any Presence
    let gateway: Gateway
    let notes: EventStreamApp
    let counter: CounterApp
    let board: BoardApp

    init(presence: any Presence = InProcessPresence(), configure: (inout GatewayConfiguration) -> Void = { _ in }) {
        self.presence = presence
        var configuration = GatewayConfiguration()
        configure(&configuration)
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        self.notes = EventStreamApp(store: self.store, broker: self.broker) { command, data, _, _, identity in
            switch command {
            case "append": return NewEvent(name: "appended", data: data.jsonText)
            case "pin":
                guard !identity.isGuest else { throw CommandRejection(code: "forbidden", message: "log in to pin") }
                return NewEvent(name: "pinned", data: JSONValue.object(["by": .string(identity.id)]).jsonText)
            case "refuse": throw CommandRejection(code: "locked", message: "not now")
            default: throw CommandRejection.unknownCommand(command, kind: "note")
            }
        }
        self.counter = CounterApp(counters: self.counters, broker: self.broker, logger: logger)
        self.board = BoardApp(store: self.store, broker: self.broker)
        var directory = ChannelDirectory()
        directory.register(self.board, kind: BoardApp.kind)
        directory.register(self.notes, kind: "note")
        directory.register(self.counter, kind: CounterApp.kind)
        self.gateway = Gateway(
            directory: directory, broker: self.broker, presence: self.presence, configuration: configuration, logger: logger,
            authenticate: Self.identity(forToken:))
    }

    func connect(
        name: String? = "Tester", identity: Identity? = nil, blockAfter: Int? = nil, slowClose: Bool = false
    ) -> TestConnection {
        TestConnection(gateway: self.gateway, name: name, identity: identity, blockAfter: blockAfter, slowClose: slowClose)
    }

    @Sendable static func identity(forToken token: String) async -> Identity? {
        let parts = token.split(separator: ":", maxSplits: 1).map(String.init)
        switch (parts.first, parts.count) {
        case ("user"?, 2): return Identity(id: "u-" + parts[1], name: parts[1].prefix(1).uppercased() + parts[1].dropFirst(), role: .user, username: parts[1])
        case ("admin"?, 2): return Identity(id: "a-" + parts[1], name: parts[1].prefix(1).uppercased() + parts[1].dropFirst(), role: .admin, username: parts[1])
        default: return nil
        }
    }

    /// Appends a note through the app, which publishes it like any command would.
    @discardableResult
    func appendNote(_ channel: String, _ n: Int) async throws -> Int64 {
        try await self.notes.handle(
            command: "append", data: .object(["n": .number(Double(n))]), on: ChannelName(channel)!,
            by: PresenceMember(id: "writer", name: "Writer"), as: .guest(id: "guest-writer", name: "Writer"))
    }

    /// Subscribes and returns the `subscribed` frame, having checked the replay before it.
    func subscribe(_ connection: TestConnection, _ channel: String, since: Int? = nil) throws {
        var frame: [String: Any] = ["type": "subscribe", "channel": channel]
        if let since { frame["since"] = since }
        try connection.send(frame)
    }
}
