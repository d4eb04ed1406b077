import HuddleCore
@testable import HuddleGateway
import Synchronization
import Testing

/// A model of the smallest kind: a tally that anyone may add to, and that must be started.
struct Tally: StreamModel {
    enum Command: Sendable { case add(Int) }

    static let kind = "tally"
    var offset: Int64 = 0
    var total = 0
    var started = false

    init() {}

    mutating func apply(_ event: StoredEvent) {
        self.offset = event.offset
        switch event.name {
        case "started": self.started = true
        case "added": self.total += Int(event.data) ?? 0
        default: break
        }
    }

    static func parse(command name: String, data: JSONValue) throws(CommandRejection) -> Command {
        guard name == "add" else { throw .unknownCommand(name, kind: Self.kind) }
        guard let amount = data["amount"]?.integerValue.flatMap({ Int(exactly: $0) }) else { throw .badRequest("add needs an amount") }
        return .add(amount)
    }

    func decide(_ command: Command, by identity: Identity, at now: Int64) throws(CommandRejection) -> NewEvent {
        guard self.started else { throw CommandRejection(.notFound, "no such tally") }
        switch command {
        case .add(let amount):
            guard self.total + amount <= 10 else { throw CommandRejection(.conflict, "a tally stops at 10") }
            return NewEvent(name: "added", data: String(amount))
        }
    }

    func admit(_ identity: Identity) throws(CommandRejection) {
        guard self.started else { throw CommandRejection(.notFound, "no such tally") }
    }
}

@Suite struct StreamAppTests {
    static let ada = Identity.guest(id: "guest-ada", name: "Ada")

    static func app(_ store: InMemoryEventStore = InMemoryEventStore(), cacheLimit: Int = 1_000) -> StreamApp<Tally> {
        StreamApp<Tally>(log: EventLog(store: store, broker: InProcessBroker()), cacheLimit: cacheLimit)
    }

    @Test func racingReplicasDecideAgainstTheWinnersState() async throws {
        let store = InMemoryEventStore()
        let (one, two) = (Self.app(store), Self.app(store))
        let channel = one.channel("t")!
        _ = try await one.start(channel, with: NewEvent(name: "started", data: "0"))
        // Both replicas know the tally at offset 1; each adds 6: exactly one may win.
        _ = try await one.state(of: channel)
        _ = try await two.state(of: channel)
        async let first = Result { try await one.handle(command: "add", data: .object(["amount": .integer(6)]), on: channel, as: Self.ada) }
        async let second = Result { try await two.handle(command: "add", data: .object(["amount": .integer(6)]), on: channel, as: Self.ada) }
        let results = [await first, await second]
        #expect(results.filter { (try? $0.get()) != nil }.count == 1)
        #expect(try await one.state(of: channel).total == 6)
        #expect(try await store.head(of: channel.description) == 2, "the loser appended nothing")
    }

    /// Many commands of one stream at once on one replica: none is refused `conflict`, because
    /// they take turns instead of racing (the store refuses every append but one per offset).
    @Test func commandsOfOneStreamOnOneReplicaTakeTurns() async throws {
        let store = ConflictCountingStore()
        let app = StreamApp<Tally>(log: EventLog(store: store, broker: InProcessBroker()))
        let channel = app.channel("busy")!
        _ = try await app.start(channel, with: NewEvent(name: "started", data: "0"))
        let offsets = try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<10 {
                group.addTask { try await app.handle(command: "add", data: .object(["amount": .integer(1)]), on: channel, as: Self.ada) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(offsets.sorted() == Array(2...11))
        #expect(try await app.state(of: channel).total == 10)
        #expect(app.turns.busy == 0, "a stream nobody waits for is forgotten")
        #expect(store.conflicts.load(ordering: .relaxed) == 0, "no command lost a race on its own replica")
    }

    @Test func admissionAndCommandsFollowTheModel() async throws {
        let app = Self.app()
        let channel = app.channel("later")!
        await #expect(throws: CommandRejection(.notFound, "no such tally")) { try await app.admit(Self.ada, to: channel) }
        _ = try await app.start(channel, with: NewEvent(name: "started", data: "0"))
        try await app.admit(Self.ada, to: channel)
        await #expect(throws: CommandRejection.self) {
            try await app.handle(command: "double", data: .object([:]), on: channel, as: Self.ada)
        }
        #expect(try await app.handle(command: "add", data: .object(["amount": .integer(2)]), on: channel, as: Self.ada) == 2)
    }

    @Test func streamsThatDoNotExistAreNotCached() async throws {
        let app = Self.app(cacheLimit: 2)
        let channel = app.channel("real")!
        _ = try await app.start(channel, with: NewEvent(name: "started", data: "0"))
        _ = try await app.state(of: channel)
        for n in 0..<10 {
            _ = try await app.state(of: app.channel("made-up-\(n)")!)
        }
        #expect(app.states.count == 1, "reading missing streams evicted nothing and kept nothing")
    }

    @Test func aFullCacheForgetsOneStreamAtATime() async throws {
        let app = Self.app(cacheLimit: 3)
        for n in 0..<4 {
            _ = try await app.start(app.channel("t\(n)")!, with: NewEvent(name: "started", data: "0"))
            _ = try await app.state(of: app.channel("t\(n)")!)
        }
        #expect(app.states.count == 3)
    }
}

/// The in-memory store, counting the appends it refused for an expected offset, and letting
/// other tasks run while it reads, as a real store's round trip does.
final class ConflictCountingStore: EventStore {
    let store = InMemoryEventStore()
    let conflicts = Atomic<Int>(0)

    func append(_ event: NewEvent, to stream: String, expecting expected: ExpectedOffset) async throws -> StoredEvent {
        do {
            return try await self.store.append(event, to: stream, expecting: expected)
        } catch EventStoreError.conflict(let stream, let expected, let actual) {
            self.conflicts.add(1, ordering: .relaxed)
            throw EventStoreError.conflict(stream: stream, expected: expected, actual: actual)
        }
    }

    func read(_ stream: String, after offset: Int64, limit: Int) async throws -> [StoredEvent] {
        await Task.yield()
        return try await self.store.read(stream, after: offset, limit: limit)
    }

    func head(of stream: String) async throws -> Int64 {
        try await self.store.head(of: stream)
    }
}

extension Result where Failure == any Error {
    init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
