import HuddleCore
@testable import HuddleGateway
@testable import HuddleServer
import Logging
import Synchronization

/// A gateway on in-memory backends with the Board and Counter apps, ``Notes`` (`note:*`) and
/// ``Rooms`` (`room:*`).
///
/// Tokens for `auth` frames: `user:<name>` and `admin:<name>` are accepted (as if a
/// valid access token), anything else is refused.
struct GatewayFixture {
    let store = InMemoryEventStore()
    let counters = InMemoryCounters()
    let broker = InProcessBroker()
    let presence: any Presence
    let gateway: Gateway
    let notes: StreamApp<Notes>
    let rooms = Rooms()
    let counter: CounterApp
    let boards: BoardRoutes
    /// The accounts as they are now, for the gateway's look-ups after an account change: a user
    /// missing here is gone or deactivated.
    let users = Users()

    init(presence: any Presence = InProcessPresence(), configure: (inout GatewayConfiguration) -> Void = { _ in }) {
        self.presence = presence
        var configuration = GatewayConfiguration()
        configure(&configuration)
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let log = EventLog(store: self.store, broker: self.broker)
        self.notes = StreamApp<Notes>(log: log)
        self.counter = CounterApp(counters: self.counters, log: log)
        self.boards = BoardRoutes(app: StreamApp<BoardState>(log: log), creations: .unlimited)
        let directory = ChannelDirectory([self.boards.app, self.notes, self.counter, self.rooms])
        self.gateway = Gateway(
            directory: directory, broker: self.broker, presence: self.presence, configuration: configuration, logger: logger,
            authenticate: Self.identity(forToken:), lookUp: { [users] id in users.now[id] })
    }

    func connect(
        name: String? = "Tester", identity: Identity? = nil, blockAfter: Int? = nil, slowClose: Bool = false,
        answersClose: Bool = true
    ) -> TestConnection {
        TestConnection(
            gateway: self.gateway, name: name, identity: identity, blockAfter: blockAfter, slowClose: slowClose,
            answersClose: answersClose)
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
            command: "append", data: .object(["n": .integer(Int64(n))]), on: ChannelName(channel)!,
            as: .guest(id: "guest-writer", name: "Writer"))
    }

    /// New connections named `names`, each welcomed and subscribed to `channel`.
    func connectSubscribed(_ names: [String], to channel: String) async throws -> [TestConnection] {
        var connections: [TestConnection] = []
        for name in names {
            let client = self.connect(name: name)
            _ = try await client.next("welcome")
            try self.subscribe(client, channel)
            _ = try await client.next("subscribed")
            connections.append(client)
        }
        return connections
    }

    /// Subscribes and returns the `subscribed` frame, having checked the replay before it.
    func subscribe(_ connection: TestConnection, _ channel: String, since: Int? = nil) throws {
        var frame: [String: Any] = ["type": "subscribe", "channel": channel]
        if let since { frame["since"] = since }
        try connection.send(frame)
    }
}

/// The fixture's accounts, shared by its gateway's look-ups.
final class Users: Sendable {
    private let table = Mutex<[String: Identity]>([:])

    var now: [String: Identity] { self.table.withLock { $0 } }

    func set(_ identity: Identity) {
        self.table.withLock { $0[identity.id] = identity }
    }
}

extension AnonymousCreations {
    /// No limit that an in-process test would reach.
    static let unlimited = AnonymousCreations(
        throttle: LoginThrottle(attempts: .max, window: .seconds(60), now: { 0 }), trustedProxies: .none)
}
