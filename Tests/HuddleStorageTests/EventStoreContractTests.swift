import HuddleCore
import Testing

/// The ``EventStore`` contract, run against every backend.
@Suite struct EventStoreContractTests {
    func event(_ n: Int) -> NewEvent {
        NewEvent(name: "noted", data: #"{"n":\#(n)}"#)
    }

    @Test(arguments: Backend.available)
    func offsetsStartAtOneAndHaveNoGaps(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let store = made.events
        #expect(try await store.head(of: "s:1") == 0)
        for n in 1...5 {
            let stored = try await store.append(self.event(n), to: "s:1")
            #expect(stored.offset == Int64(n))
            #expect(stored.stream == "s:1")
        }
        #expect(try await store.head(of: "s:1") == 5)
        #expect(try await store.head(of: "s:2") == 0, "streams are independent")
        let first = try await store.append(self.event(1), to: "s:2")
        #expect(first.offset == 1)
    }

    @Test(arguments: Backend.available)
    func readsReturnWhatWasAppendedInOrder(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let store = made.events
        var appended: [StoredEvent] = []
        for n in 1...10 {
            appended.append(try await store.append(self.event(n), to: "s:1"))
        }
        #expect(try await store.read("s:1", after: 0, limit: 100) == appended)
        #expect(try await store.read("s:1", after: 7, limit: 100) == Array(appended[7...]))
        #expect(try await store.read("s:1", after: 2, limit: 3) == Array(appended[2..<5]))
        #expect(try await store.read("s:1", after: 10, limit: 5).isEmpty)
        #expect(try await store.read("s:1", after: -4, limit: 2) == Array(appended[0..<2]))
        #expect(try await store.read("s:1", after: 0, limit: 0).isEmpty)
        #expect(try await store.read("nothing:here", after: 0, limit: 5).isEmpty)
    }

    @Test(arguments: Backend.available)
    func anAppendAtTheWrongOffsetIsAConflictAndChangesNothing(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let store = made.events
        _ = try await store.append(self.event(1), to: "s:1", expecting: .exactly(0))
        _ = try await store.append(self.event(2), to: "s:1", expecting: .exactly(1))
        await #expect(throws: EventStoreError.conflict(stream: "s:1", expected: 1, actual: 2)) {
            try await store.append(self.event(3), to: "s:1", expecting: .exactly(1))
        }
        await #expect(throws: EventStoreError.conflict(stream: "s:1", expected: 5, actual: 2)) {
            try await store.append(self.event(3), to: "s:1", expecting: .exactly(5))
        }
        await #expect(throws: EventStoreError.conflict(stream: "s:new", expected: 1, actual: 0)) {
            try await store.append(self.event(1), to: "s:new", expecting: .exactly(1))
        }
        #expect(try await store.head(of: "s:1") == 2)
        #expect(try await store.read("s:1", after: 0, limit: 10).map(\.data) == [#"{"n":1}"#, #"{"n":2}"#])
    }

    @Test(arguments: Backend.available)
    func racingAppendsAtTheSameOffsetHaveExactlyOneWinner(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let store = made.events
        _ = try await store.append(self.event(0), to: "s:1")
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for n in 1...20 {
                group.addTask {
                    (try? await store.append(self.event(n), to: "s:1", expecting: .exactly(1))) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(try await store.head(of: "s:1") == 2)
    }

    @Test(arguments: Backend.available)
    func concurrentAppendsWithoutExpectationAllLandWithDistinctOffsets(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let store = made.events
        let offsets = try await withThrowingTaskGroup(of: Int64.self) { group in
            for n in 1...50 {
                group.addTask { try await store.append(self.event(n), to: "s:1").offset }
            }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(offsets.sorted() == Array(1...50))
        let stored = try await store.read("s:1", after: 0, limit: 100)
        #expect(stored.map(\.offset) == Array(1...50))
        #expect(Set(stored.map(\.data)).count == 50, "every event was stored once")
    }

    /// Racers, free appends and stale expectations all at once, over several streams, round
    /// after round: the results must be those of a store that takes one append at a time
    /// (a group-committing store batches exactly these).
    @Test(arguments: Backend.available)
    func manyConcurrentWritersGetTheResultsOfOneAtATime(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let store = made.events
        let raced = (0..<6).map { "race:\($0)" }
        let free = (0..<4).map { "free:\($0)" }
        for round in Int64(0)..<5 {
            let outcomes = await withTaskGroup(of: Attempt.self) { group in
                for stream in raced {
                    for racer in 0..<6 {
                        group.addTask { await Self.attempt(store, stream, "r\(round)-\(racer)", expecting: round) }
                    }
                    // Expects a head the stream never has at this point.
                    group.addTask { await Self.attempt(store, stream, "stale\(round)", expecting: round + 3) }
                }
                for stream in free {
                    for writer in 0..<5 {
                        group.addTask { await Self.attempt(store, stream, "f\(round)-\(writer)", expecting: nil) }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            for stream in raced {
                let mine = outcomes.filter { $0.stream == stream }
                let winners = mine.compactMap { entry -> Int64? in
                    if case .appended(let offset) = entry.outcome { offset } else { nil }
                }
                #expect(winners == [round + 1], "exactly one racer won on \(stream) in round \(round), at the next offset")
                for entry in mine {
                    if case .conflict(let actual) = entry.outcome {
                        #expect(actual == round || actual == round + 1, "a loser was told a head the stream had")
                    }
                    if case .failed = entry.outcome { Issue.record("\(entry.tag) failed instead of winning or conflicting") }
                }
            }
            for stream in free {
                let offsets = outcomes.filter { $0.stream == stream }.compactMap { entry -> Int64? in
                    if case .appended(let offset) = entry.outcome { offset } else { nil }
                }
                #expect(offsets.sorted() == Array((round * 5 + 1)...(round * 5 + 5)), "free appends on \(stream) all landed once")
            }
        }
        for stream in raced + free {
            let stored = try await store.read(stream, after: 0, limit: 100)
            let head = try await store.head(of: stream)
            #expect(stored.map(\.offset) == Array(1...head), "\(stream) has no gap and no duplicate")
        }
    }

    struct Attempt: Sendable {
        enum Outcome: Sendable { case appended(Int64), conflict(actual: Int64), failed }
        let stream: String
        let tag: String
        let outcome: Outcome
    }

    private static func attempt(_ store: any EventStore, _ stream: String, _ tag: String, expecting head: Int64?) async
        -> Attempt
    {
        let event = NewEvent(name: "noted", data: #"{"tag":"\#(tag)"}"#)
        do {
            let stored = try await store.append(event, to: stream, expecting: head.map { .exactly($0) } ?? .any)
            return Attempt(stream: stream, tag: tag, outcome: .appended(stored.offset))
        } catch EventStoreError.conflict(_, _, let actual) {
            return Attempt(stream: stream, tag: tag, outcome: .conflict(actual: actual))
        } catch {
            return Attempt(stream: stream, tag: tag, outcome: .failed)
        }
    }

    @Test(arguments: Backend.available)
    func keepsArbitraryJSONTextAndNamesIntact(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        // Integers beyond a Double's 2^53 too: replays and HTTP reads give a client's ids back as sent.
        let data = #"{"text":"quote \" backslash \\ newline \n emoji 😀 nul-free","list":[1,2.5,null,true],"ids":[9007199254740993,-9223372036854775808,18446744073709551615,-0.0]}"#
        let stored = try await made.events.append(NewEvent(name: "édité", data: data), to: "s:1")
        let read = try await made.events.read("s:1", after: 0, limit: 1)
        #expect(read == [stored])
        #expect(read.first?.data == data)
        #expect(read.first?.name == "édité")
    }
}
