import HuddleCore
import Synchronization
import Testing

/// `GroupCommit`: writes that arrive during a commit form the next batch, and each caller
/// gets its own outcome.
@Suite struct GroupCommitTests {
    /// Records every batch; the first waits for `release`, so the test can queue writes behind it.
    final class Recorder: Sendable {
        let batches = Mutex<[[Int]]>([])
        let firstStarted = FirstSignal()
        let release = FirstSignal()

        func commit(_ batch: [Int]) async -> [Result<Int, any Error>] {
            let isFirst = self.batches.withLock { batches in
                batches.append(batch)
                return batches.count == 1
            }
            if isFirst {
                self.firstStarted.fire()
                await self.release.wait()
            }
            return batch.map { $0 == 13 ? .failure(Refused()) : .success($0 * 10) }
        }
    }

    struct Refused: Error {}

    static func waitUntil(_ commit: GroupCommit<Int, Int>, queues count: Int) async {
        while commit.queued < count { await Task.yield() }
    }

    @Test func writesQueuedDuringACommitFormTheNextBatchAndEachCallerGetsItsOwnOutcome() async throws {
        let recorder = Recorder()
        let commit = GroupCommit<Int, Int>(maximumBatch: 100) { await recorder.commit($0) }
        // -1 for a write that failed.
        try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            group.addTask { (0, try await commit.submit(0)) }
            await recorder.firstStarted.wait()
            for write in 10..<20 {
                group.addTask { (write, (try? await commit.submit(write)) ?? -1) }
            }
            await Self.waitUntil(commit, queues: 10)
            recorder.release.fire()
            var outcomes: [Int: Int] = [:]
            for try await (write, outcome) in group { outcomes[write] = outcome }
            #expect(outcomes[0] == 0)
            for write in 10..<20 {
                #expect(outcomes[write] == (write == 13 ? -1 : write * 10), "write \(write) got its own outcome")
            }
        }
        let batches = recorder.batches.withLock { $0 }
        #expect(batches.count == 2)
        #expect(batches.first == [0])
        #expect(batches.last?.sorted() == Array(10..<20), "all ten waited and went together")
    }

    @Test func aBatchHoldsAtMostTheMaximumAndKeepsArrivalOrder() async throws {
        let recorder = Recorder()
        let commit = GroupCommit<Int, Int>(maximumBatch: 4) { await recorder.commit($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await commit.submit(0) }
            await recorder.firstStarted.wait()
            // Queued one at a time, so the arrival order is known.
            for write in 1...10 {
                group.addTask { _ = try await commit.submit(write) }
                await Self.waitUntil(commit, queues: write)
            }
            recorder.release.fire()
            try await group.waitForAll()
        }
        #expect(recorder.batches.withLock { $0 } == [[0], [1, 2, 3, 4], [5, 6, 7, 8], [9, 10]])
    }

    @Test func aCommitThatAnswersTooFewWritesFailsTheRest() async throws {
        let commit = GroupCommit<Int, Int>(maximumBatch: 10) { _ in [] }
        await #expect(throws: GroupCommitError.self) { try await commit.submit(1) }
    }
}
