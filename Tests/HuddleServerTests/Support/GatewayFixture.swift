import HuddleCore
@testable import HuddleServer
import Logging

/// A gateway on in-memory backends with the Counter app and a plain event-stream app
/// (`note:*` channels: command `append` stores its data; command `refuse` is rejected).
struct GatewayFixture {
    let store = InMemoryEventStore()
    let counters = InMemoryCounters()
    let broker = InProcessBroker()
    let presence: any Presence
    let gateway: Gateway
    let notes: EventStreamApp
    let counter: CounterApp

    init(presence: any Presence = InProcessPresence(), configure: (inout GatewayConfiguration) -> Void = { _ in }) {
        self.presence = presence
        var configuration = GatewayConfiguration()
        configure(&configuration)
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        self.notes = EventStreamApp(store: self.store, broker: self.broker) { command, data, _, _ in
            switch command {
            case "append": return NewEvent(name: "appended", data: data.jsonText)
            case "refuse": throw CommandRejection(code: "locked", message: "not now")
            default: throw CommandRejection.unknownCommand(command, kind: "note")
            }
        }
        self.counter = CounterApp(counters: self.counters, broker: self.broker, logger: logger)
        var directory = ChannelDirectory()
        directory.register(self.notes, kind: "note")
        directory.register(self.counter, kind: CounterApp.kind)
        self.gateway = Gateway(
            directory: directory, broker: self.broker, presence: self.presence, configuration: configuration, logger: logger)
    }

    func connect(name: String? = "Tester", blockAfter: Int? = nil) -> TestConnection {
        TestConnection(gateway: self.gateway, name: name, blockAfter: blockAfter)
    }

    /// Appends a note through the app, which publishes it like any command would.
    @discardableResult
    func appendNote(_ channel: String, _ n: Int) async throws -> Int64 {
        try await self.notes.handle(
            command: "append", data: .object(["n": .number(Double(n))]), on: ChannelName(channel)!,
            by: PresenceMember(id: "writer", name: "Writer"))
    }

    /// Subscribes and returns the `subscribed` frame, having checked the replay before it.
    func subscribe(_ connection: TestConnection, _ channel: String, since: Int? = nil) throws {
        var frame: [String: Any] = ["type": "subscribe", "channel": channel]
        if let since { frame["since"] = since }
        try connection.send(frame)
    }
}
