import HuddleCore
import Testing

/// The ``Counters`` contract, run against every backend.
@Suite struct CountersContractTests {
    @Test(arguments: Backend.available)
    func startAtZeroAndCountUpByOne(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let counters = made.counters
        #expect(try await counters.value(of: "visits") == 0)
        #expect(try await counters.increment("visits") == 1)
        #expect(try await counters.increment("visits") == 2)
        #expect(try await counters.value(of: "visits") == 2)
        #expect(try await counters.value(of: "other") == 0)
    }

    @Test(arguments: Backend.available)
    func concurrentIncrementsAreAtomic(_ backend: Backend) async throws {
        let made = try await backend.make()
        defer { Task { await made.close() } }
        let counters = made.counters
        _ = try await counters.increment("hot")
        let values = try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<100 {
                group.addTask { try await counters.increment("hot") }
            }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(values.sorted() == Array(2...101), "each caller saw a distinct value")
        #expect(try await counters.value(of: "hot") == 101)
    }
}
