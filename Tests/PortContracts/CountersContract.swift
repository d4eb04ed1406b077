public import HuddleCore
import Testing

/// The ``Counters`` contract. Each backend's test target runs every check against it.
public enum CountersContract {
    public static func startAtZeroAndCountUpByOne(_ counters: any Counters) async throws {
        let id = "visits-\(UInt32.random(in: 0...UInt32.max))"
        #expect(try await counters.value(of: id) == 0)
        #expect(try await counters.increment(id) == 1)
        #expect(try await counters.increment(id) == 2)
        #expect(try await counters.value(of: id) == 2)
        #expect(try await counters.value(of: id + "-other") == 0)
    }

    public static func concurrentIncrementsAreAtomic(_ counters: any Counters) async throws {
        let id = "hot-\(UInt32.random(in: 0...UInt32.max))"
        _ = try await counters.increment(id)
        let values = try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<100 {
                group.addTask { try await counters.increment(id) }
            }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(values.sorted() == Array(2...101), "each caller saw a distinct value")
        #expect(try await counters.value(of: id) == 101)
    }
}
