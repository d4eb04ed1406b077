/// A dictionary of at most `capacity` entries that forgets the least recently used one to make
/// room: reads and writes are O(1) (a doubly linked list threaded through an array of slots).
struct LeastRecentlyUsed<Key: Hashable, Value> {
    private struct Slot {
        var key: Key
        var value: Value
        var newer: Int?
        var older: Int?
    }

    let capacity: Int
    private var slots: [Slot] = []
    private var slotOf: [Key: Int] = [:]
    private var newest: Int?
    private var oldest: Int?

    init(capacity: Int) {
        precondition(capacity > 0, "a cache holds at least one entry")
        self.capacity = capacity
    }

    var count: Int { self.slots.count }

    /// The value for `key`, which becomes the most recently used.
    mutating func value(for key: Key) -> Value? {
        guard let slot = self.slotOf[key] else { return nil }
        self.touch(slot)
        return self.slots[slot].value
    }

    /// The keys, most recently used first.
    var keys: [Key] {
        var keys: [Key] = []
        var slot = self.newest
        while let current = slot {
            keys.append(self.slots[current].key)
            slot = self.slots[current].older
        }
        return keys
    }

    /// Stores `value` as the most recently used, forgetting the least recently used entry when full.
    mutating func set(_ value: Value, for key: Key) {
        if let slot = self.slotOf[key] {
            self.slots[slot].value = value
            self.touch(slot)
        } else if self.slots.count < self.capacity {
            self.slots.append(Slot(key: key, value: value))
            let slot = self.slots.count - 1
            self.slotOf[key] = slot
            self.pushNewest(slot)
        } else {
            // Reuse the oldest entry's slot for the new one.
            let slot = self.oldest!
            self.unlink(slot)
            self.slotOf[self.slots[slot].key] = nil
            self.slots[slot] = Slot(key: key, value: value)
            self.slotOf[key] = slot
            self.pushNewest(slot)
        }
    }

    private mutating func touch(_ slot: Int) {
        guard self.newest != slot else { return }
        self.unlink(slot)
        self.pushNewest(slot)
    }

    private mutating func unlink(_ slot: Int) {
        let (newer, older) = (self.slots[slot].newer, self.slots[slot].older)
        if let newer { self.slots[newer].older = older } else { self.newest = older }
        if let older { self.slots[older].newer = newer } else { self.oldest = newer }
        self.slots[slot].newer = nil
        self.slots[slot].older = nil
    }

    private mutating func pushNewest(_ slot: Int) {
        self.slots[slot].older = self.newest
        if let newest = self.newest { self.slots[newest].newer = slot }
        self.newest = slot
        if self.oldest == nil { self.oldest = slot }
    }
}
