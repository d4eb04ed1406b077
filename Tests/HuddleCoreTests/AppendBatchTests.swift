import HuddleCore
import Testing

@Suite struct AppendBatchTests {
    @Test func eachAppendIsDecidedAgainstTheHeadTheEarlierOnesLeft() {
        let decisions = AppendBatch.decide(
            streams: ["a", "a", "b", "a", "c", "b"],
            expected: [3, 3, nil, 4, 0, 6],
            heads: ["a": 3, "b": 6])
        #expect(decisions == [
            .append(offset: 4),
            .conflict(actual: 4),  // lost to the first: the head moved
            .append(offset: 7),
            .append(offset: 5),
            .append(offset: 1),  // a stream not in the heads is empty
            .conflict(actual: 7),  // expected the head before the batch
        ])
    }
}
