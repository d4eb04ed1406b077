/// A group commit's batch of increments, added up per counter: each counter is bumped once
/// by its share, and its callers are answered in arrival order as if one increment at a time
/// (a counter at 7 bumped by 3 answers 8, 9 and 10).
public struct IncrementBatch: Sendable {
    /// Each counter once, in the order it first arrived, with how many increments it got.
    public let shares: [(counter: String, count: Int)]
    private let callers: [String: [Int]]
    private let size: Int

    public init(_ counters: [String]) {
        var callers: [String: [Int]] = [:]
        var order: [String] = []
        for (index, counter) in counters.enumerated() {
            if callers[counter] == nil { order.append(counter) }
            callers[counter, default: []].append(index)
        }
        self.shares = order.map { ($0, callers[$0]?.count ?? 0) }
        self.callers = callers
        self.size = counters.count
    }

    /// One outcome per increment of the batch, from each counter's value after its bump.
    /// A counter missing from `totals` fails its callers with `missing`.
    public func outcomes(totals: [String: Result<Int64, any Error>], missing: any Error) -> [Result<Int64, any Error>] {
        var outcomes = [Result<Int64, any Error>](repeating: .failure(missing), count: self.size)
        for (counter, indexes) in self.callers {
            guard let total = totals[counter] else { continue }
            for (rank, index) in indexes.enumerated() {
                outcomes[index] = total.map { $0 - Int64(indexes.count) + 1 + Int64(rank) }
            }
        }
        return outcomes
    }
}
