@testable import HuddleGateway
import Testing

@Suite struct LeastRecentlyUsedTests {
    @Test func forgetsTheLeastRecentlyUsedEntryOneAtATime() {
        var cache = LeastRecentlyUsed<String, Int>(capacity: 3)
        cache.set(1, for: "a")
        cache.set(2, for: "b")
        cache.set(3, for: "c")
        #expect(cache.value(for: "a") == 1, "reading a makes it the most recently used")
        cache.set(4, for: "d")
        #expect(cache.count == 3)
        #expect(cache.value(for: "b") == nil, "b was the least recently used")
        #expect(cache.keys == ["d", "a", "c"])
        cache.set(30, for: "c")
        cache.set(5, for: "e")
        #expect(cache.keys == ["e", "c", "d"])
        #expect(cache.value(for: "c") == 30)
    }

    @Test func aCapacityOfOneKeepsTheLatest() {
        var cache = LeastRecentlyUsed<Int, Int>(capacity: 1)
        for n in 0..<10 { cache.set(n, for: n) }
        #expect(cache.keys == [9])
        #expect(cache.value(for: 8) == nil)
    }

    @Test func staysConsistentUnderManyMixedOperations() {
        var cache = LeastRecentlyUsed<Int, Int>(capacity: 16)
        var reference: [Int] = []  // most recent first, the model to compare with
        // A fixed, well-mixed sequence of keys and operations, so a failure can be replayed.
        for step in 0..<5_000 {
            let key = (step &* 7_919) % 40
            if (step &* 31 + step / 7) % 3 != 0 {
                cache.set(key, for: key)
                reference.removeAll { $0 == key }
                reference.insert(key, at: 0)
                if reference.count > 16 { reference.removeLast() }
            } else {
                let found = cache.value(for: key)
                #expect((found != nil) == reference.contains(key))
                if found != nil {
                    reference.removeAll { $0 == key }
                    reference.insert(key, at: 0)
                }
            }
        }
        #expect(cache.keys == reference)
    }
}
