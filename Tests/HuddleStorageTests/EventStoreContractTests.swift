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

    @Test(arguments: Backend.available)
    func keepsArbitraryJSONTextAndNamesIntact(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let data = #"{"text":"quote \" backslash \\ newline \n emoji 😀 nul-free","list":[1,2.5,null,true]}"#
        let stored = try await made.events.append(NewEvent(name: "édité", data: data), to: "s:1")
        let read = try await made.events.read("s:1", after: 0, limit: 1)
        #expect(read == [stored])
        #expect(read.first?.data == data)
        #expect(read.first?.name == "édité")
    }
}
