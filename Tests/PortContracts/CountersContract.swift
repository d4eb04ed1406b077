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

    /// Many counters incremented at once, several callers each: every caller of a counter
    /// sees a distinct value, as if one increment at a time (a group commit adds one
    /// counter's share up in a single step and must still answer each caller its own).
    public static func concurrentIncrementsOfManyCountersEachCountOnce(_ counters: any Counters) async throws {
        let run = UInt32.random(in: 0...UInt32.max)
        let ids = (0..<12).map { "many-\(run)-\($0)" }
        let seen = try await withThrowingTaskGroup(of: (String, Int64).self) { group in
            for id in ids {
                for _ in 0..<(ids.firstIndex(of: id)! + 1) * 3 {
                    group.addTask { (id, try await counters.increment(id)) }
                }
            }
            return try await group.reduce(into: [String: [Int64]]()) { $0[$1.0, default: []].append($1.1) }
        }
        for (index, id) in ids.enumerated() {
            let calls = (index + 1) * 3
            #expect(seen[id]?.sorted() == Array(1...Int64(calls)), "\(id): each of its callers saw a distinct value")
            #expect(try await counters.value(of: id) == Int64(calls))
        }
    }
}
