import HuddleCore
@testable import HuddleGateway
import Testing

@Suite struct ChannelCursorTests {
    /// Feeds offsets to a cursor and returns its decisions.
    func decisions(from start: Int64, for offsets: [Int64]) -> (decisions: [ChannelCursor.Decision], delivered: Int64) {
        var cursor = ChannelCursor(delivered: start)
        let decisions = offsets.map { cursor.receive(offset: $0) }
        return (decisions, cursor.delivered)
    }

    @Test func deliversConsecutiveOffsetsAndSkipsOldOnes() {
        let result = self.decisions(from: 3, for: [4, 4, 2, 5])
        #expect(result.decisions == [.deliver, .skip, .skip, .deliver])
        #expect(result.delivered == 5)
    }

    @Test func asksForCatchUpWhenAnOffsetJumpsAhead() {
        let result = self.decisions(from: 5, for: [8])
        #expect(result.decisions == [.catchUp(after: 5)])
        #expect(result.delivered == 5, "a jump must not move the cursor before the gap is filled")

        var cursor = ChannelCursor(delivered: 5)
        cursor.advance(to: 7)
        let next = cursor.receive(offset: 8)
        #expect(next == .deliver)
    }

    @Test func advanceNeverMovesBackwards() {
        var cursor = ChannelCursor(delivered: 10)
        cursor.advance(to: 4)
        #expect(cursor.delivered == 10)
    }

    @Test func negativeStartMeansEmpty() {
        let result = self.decisions(from: -3, for: [1])
        #expect(result.decisions == [.deliver])
    }
}

@Suite struct TokenBucketTests {
    func takes(_ bucket: TokenBucket, at times: [Double]) -> [Bool] {
        var bucket = bucket
        return times.map { bucket.take(now: $0) }
    }

    @Test func allowsABurstThenRefillsAtTheRate() {
        let taken = self.takes(TokenBucket(rate: 2, burst: 3), at: [0, 0, 0, 0, 0.4, 0.5, 0.5])
        // Three from the burst; 0.4 s at 2/s refills less than one token; 0.5 s refills one.
        #expect(taken == [true, true, true, false, false, true, false])
    }

    @Test func neverSavesMoreThanTheBurst() {
        let taken = self.takes(TokenBucket(rate: 100, burst: 2), at: [0] + Array(repeating: 1000, count: 10))
        #expect(taken.dropFirst().filter { $0 }.count == 2)
    }

    @Test func aClockGoingBackwardsAddsNothing() {
        #expect(self.takes(TokenBucket(rate: 1, burst: 1), at: [10, 5]) == [true, false])
    }
}
