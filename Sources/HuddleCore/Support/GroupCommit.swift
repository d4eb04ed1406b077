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

    private struct Waiting {
        var writes: [(write: Write, caller: CheckedContinuation<Outcome, any Error>)] = []
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

    /// Queues `write` for the next batch and returns its outcome once that batch committed.
    ///
    /// A write that was queued is committed even if its caller is cancelled meanwhile: like
    /// a statement in flight, its outcome is then unknown to that caller, never half-applied.
    public func submit(_ write: Write) async throws -> Outcome {
        try await withCheckedThrowingContinuation { caller in
            let startsCommitting = self.waiting.withLock { waiting in
                waiting.writes.append((write, caller))
                guard !waiting.committing else { return false }
                waiting.committing = true
                return true
            }
            if startsCommitting {
                Task { await self.commitUntilEmpty() }
            }
        }
    }

    private func commitUntilEmpty() async {
        while true {
            let batch = self.waiting.withLock { waiting in
                let batch = waiting.writes.prefix(self.maximumBatch)
                waiting.writes.removeFirst(batch.count)
                if batch.isEmpty { waiting.committing = false }
                return Array(batch)
            }
            guard !batch.isEmpty else { return }
            let outcomes = await self.commit(batch.map(\.write))
            for (index, entry) in batch.enumerated() {
                let outcome =
                    index < outcomes.count ? outcomes[index] : .failure(GroupCommitError.missingOutcome)
                entry.caller.resume(with: outcome)
            }
        }
    }
}

/// A batch's commit returned fewer outcomes than it had writes: a bug in that commit.
public enum GroupCommitError: Error, Sendable {
    case missingOutcome
}
