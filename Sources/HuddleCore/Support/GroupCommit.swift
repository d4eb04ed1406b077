import Synchronization

/// Group commit: writes that arrive while a batch is being committed wait and are committed
/// together in the next one, so one fsync (or one replica acknowledgement) covers them all.
///
/// Batches form from whatever is waiting: a lone write is committed at once, with no timer
/// and no knob; under load the batch grows to `maximumBatch`, which bounds its latency. One
/// batch runs at a time, in arrival order. `commit` returns one result per write, in the
/// batch's order; each caller gets its own (its offset, its conflict), and a batch that
/// fails as a whole gives every write in it that failure.
public final class GroupCommit<Write: Sendable, Outcome: Sendable>: Sendable {
    public typealias Commit = @Sendable ([Write]) async -> [Result<Outcome, any Error>]

    private typealias Entry = (write: Write, caller: CheckedContinuation<Outcome, any Error>)

    private struct Waiting {
        var writes: [Entry] = []
        var committing = false
    }

    private let waiting = Mutex(Waiting())
    private let maximumBatch: Int
    private let commit: Commit

    public init(maximumBatch: Int, commit: @escaping Commit) {
        precondition(maximumBatch > 0)
        self.maximumBatch = maximumBatch
        self.commit = commit
    }

    /// Writes waiting for a batch (not counting the one being committed).
    public var queued: Int { self.waiting.withLock { $0.writes.count } }

    /// Commits `write` with whatever is waiting, and returns its outcome once that batch
    /// committed.
    ///
    /// The caller that finds nothing being committed commits itself (no hop to another task:
    /// a lone write costs what it did before batching), together with whatever queued
    /// meanwhile, and hands the rest to a task of their own once its own write is done.
    /// A write that was queued is committed even if its caller is cancelled meanwhile: like
    /// a statement in flight, its outcome is then unknown to that caller, never half-applied.
    public func submit(_ write: Write) async throws -> Outcome {
        let leads = self.waiting.withLock { waiting in
            guard !waiting.committing else { return false }
            waiting.committing = true
            return true
        }
        if leads {
            return try await self.lead(with: write)
        }
        return try await withCheckedThrowingContinuation { caller in
            let startsCommitting = self.waiting.withLock { waiting in
                waiting.writes.append((write, caller))
                // The leader may have finished between the check above and now.
                guard !waiting.committing else { return false }
                waiting.committing = true
                return true
            }
            if startsCommitting {
                Task { await self.commitUntilEmpty() }
            }
        }
    }

    /// Commits `write` first (nothing was waiting when it came), then what queued behind it.
    private func lead(with write: Write) async throws -> Outcome {
        let others = self.takeBatch(upTo: self.maximumBatch - 1, idleWhenEmpty: false)
        let outcomes = await self.commit([write] + others.map(\.write))
        Self.answer(others, with: outcomes.dropFirst())
        let more = self.waiting.withLock { waiting in
            if waiting.writes.isEmpty { waiting.committing = false }
            return !waiting.writes.isEmpty
        }
        if more {
            Task { await self.commitUntilEmpty() }
        }
        return try (outcomes.first ?? .failure(GroupCommitError.missingOutcome)).get()
    }

    private func commitUntilEmpty() async {
        while true {
            let batch = self.takeBatch(upTo: self.maximumBatch, idleWhenEmpty: true)
            guard !batch.isEmpty else { return }
            Self.answer(batch, with: await self.commit(batch.map(\.write))[...])
        }
    }

    /// The oldest `count` waiting writes; with none, marks the queue idle if `idleWhenEmpty`.
    private func takeBatch(upTo count: Int, idleWhenEmpty: Bool) -> [Entry] {
        self.waiting.withLock { waiting in
            let batch = waiting.writes.prefix(count)
            waiting.writes.removeFirst(batch.count)
            if batch.isEmpty, idleWhenEmpty { waiting.committing = false }
            return Array(batch)
        }
    }

    private static func answer(_ batch: [Entry], with outcomes: ArraySlice<Result<Outcome, any Error>>) {
        for (offset, entry) in batch.enumerated() {
            let index = outcomes.startIndex + offset
            entry.caller.resume(with: index < outcomes.endIndex ? outcomes[index] : .failure(GroupCommitError.missingOutcome))
        }
    }
}

/// A batch's commit returned fewer outcomes than it had writes: a bug in that commit.
public enum GroupCommitError: Error, Sendable {
    case missingOutcome
}
