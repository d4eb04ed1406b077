/// ``Presence`` within one process: embedded mode and tests.
public actor InProcessPresence: Presence {
    private var channels: [String: [PresenceMember]] = [:]

    public init() {}

    public func join(_ member: PresenceMember, channel: String) {
        var members = self.channels[channel, default: []]
        guard !members.contains(where: { $0.id == member.id }) else { return }
        members.append(member)
        self.channels[channel] = members
    }

    public func leave(memberID: String, channel: String) {
        self.channels[channel]?.removeAll { $0.id == memberID }
        if self.channels[channel]?.isEmpty == true {
            self.channels[channel] = nil
        }
    }

    public func members(of channel: String) -> [PresenceMember] {
        self.channels[channel] ?? []
    }

    /// Nothing expires in one process: its members leave when their connections close.
    public func refresh(_ members: [PresenceMember], channel: String) {}

    public func reapExpired(channel: String) -> [PresenceMember] { [] }
}
