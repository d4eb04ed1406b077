/// The bookkeeping of the subscription connection, without I/O.
///
/// Channels are reference counted: the first subscriber of a channel sends `SUBSCRIBE`, the
/// last one to leave sends `UNSUBSCRIBE`. When the connection drops, every channel that was
/// live is subscribed again on the next connection, and its subscribers are owed a `.gap`,
/// paid once the new `SUBSCRIBE` is confirmed.
struct RESPSubscriptionStateMachine<Deliver, Waiter> {
    private struct Channel {
        var subscribers: [Int: Deliver] = [:]
        /// Subscribers waiting for the first confirmation.
        var waiters: [Int: Waiter] = [:]
        /// SUBSCRIBE was written on the current connection.
        var sent = false
        /// The current connection confirmed SUBSCRIBE.
        var confirmed = false
        /// Subscribers that had a live subscription on a connection that dropped.
        var owedGap: Set<Int> = []
    }

    enum SubscribeAction {
        /// Already live: resume the caller now.
        case resume(Waiter)
        /// Write `SUBSCRIBE channel`, then wait for its confirmation.
        case sendSubscribe(String)
        /// Wait: SUBSCRIBE is in flight, or there is no connection yet.
        case wait(connect: Bool)
        /// The subscription was cancelled before it started.
        case cancelled(Waiter)
    }

    enum UnsubscribeAction {
        case none
        /// Resume this caller, still waiting, with a cancellation.
        case failWaiter(Waiter)
        /// The last subscriber left: write `UNSUBSCRIBE channel`.
        case sendUnsubscribe(String, failing: Waiter?)
    }

    private var channels: [String: Channel] = [:]
    private var cancelledBeforeStart: Set<Int> = []
    private var nextID = 0
    private(set) var isConnected = false

    /// Whether a connection is needed (some channel has a subscriber).
    var wantsConnection: Bool { !self.channels.isEmpty }

    var channelNames: [String] { Array(self.channels.keys) }

    func subscriberCount(of channel: String) -> Int { self.channels[channel]?.subscribers.count ?? 0 }

    mutating func makeID() -> Int {
        self.nextID += 1
        return self.nextID
    }

    mutating func subscribe(id: Int, to name: String, deliver: Deliver, waiter: Waiter) -> SubscribeAction {
        if self.cancelledBeforeStart.remove(id) != nil { return .cancelled(waiter) }
        var channel = self.channels[name] ?? Channel()
        channel.subscribers[id] = deliver
        defer { self.channels[name] = channel }
        if channel.confirmed { return .resume(waiter) }
        channel.waiters[id] = waiter
        guard self.isConnected else { return .wait(connect: true) }
        if channel.sent { return .wait(connect: false) }
        channel.sent = true
        return .sendSubscribe(name)
    }

    mutating func unsubscribe(id: Int, from name: String) -> UnsubscribeAction {
        guard var channel = self.channels[name], channel.subscribers.removeValue(forKey: id) != nil else {
            // Not registered yet: remember, so that the registration is refused.
            self.cancelledBeforeStart.insert(id)
            return .none
        }
        let waiter = channel.waiters.removeValue(forKey: id)
        channel.owedGap.remove(id)
        if !channel.subscribers.isEmpty {
            self.channels[name] = channel
            return waiter.map { .failWaiter($0) } ?? .none
        }
        self.channels[name] = nil
        if self.isConnected, channel.sent { return .sendUnsubscribe(name, failing: waiter) }
        return waiter.map { .failWaiter($0) } ?? .none
    }

    /// A new connection is up: returns the channels to subscribe on it.
    mutating func connected() -> [String] {
        self.isConnected = true
        for name in self.channels.keys { self.channels[name]!.sent = true }
        return self.channels.keys.sorted()
    }

    /// The connection dropped: every live channel owes its subscribers a gap.
    mutating func disconnected() {
        self.isConnected = false
        for (name, var channel) in self.channels {
            if channel.confirmed { channel.owedGap.formUnion(channel.subscribers.keys) }
            channel.confirmed = false
            channel.sent = false
            self.channels[name] = channel
        }
    }

    /// `SUBSCRIBE` confirmed: the waiters to resume and the gaps to deliver.
    mutating func subscribeConfirmed(_ name: String) -> (resume: [Waiter], gaps: [Deliver]) {
        guard var channel = self.channels[name], !channel.confirmed else { return ([], []) }
        channel.confirmed = true
        let resume = Array(channel.waiters.values)
        channel.waiters.removeAll()
        let gaps = channel.owedGap.compactMap { channel.subscribers[$0] }
        channel.owedGap.removeAll()
        self.channels[name] = channel
        return (resume, gaps)
    }

    /// Who receives a message published on `name`.
    func receivers(of name: String) -> [Deliver] {
        guard let channel = self.channels[name] else { return [] }
        return Array(channel.subscribers.values)
    }

    /// Shutting down: every waiter, to be failed.
    mutating func shutDown() -> [Waiter] {
        let waiters = self.channels.values.flatMap { $0.waiters.values }
        self.channels.removeAll()
        self.isConnected = false
        return waiters
    }
}
