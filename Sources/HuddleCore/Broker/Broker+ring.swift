extension Broker {
    /// Publishes a stored event's doorbell, waiting for it at most `patience`.
    ///
    /// The event is already durable; the broker only tells other replicas to look. A publish
    /// that is slow (a Redis failover: up to the command timeout) goes on, and succeeds or
    /// fails, in the background instead of holding up the writer's acknowledgement. Subscribers
    /// that miss or reorder a doorbell lose nothing: their cursor catches up from the store on
    /// the next event, and a broker reconnect delivers a gap. Publishes left running are
    /// bounded by the broker's own timeout.
    ///
    /// A broker that publishes immediately is simply awaited: the two tasks and the timer that
    /// bound the wait cost more than its publish (a tenth of an embedded server's increment).
    public func ring(_ message: BrokerMessage, on channel: String, patience: Duration = .milliseconds(250)) async {
        if self.publishesImmediately {
            try? await self.publish(message, to: channel)
            return
        }
        let settled = FirstSignal()
        Task {
            try? await self.publish(message, to: channel)
            settled.fire()
        }
        let timer = Task {
            try? await Task.sleep(for: patience)
            settled.fire()
        }
        await settled.wait()
        timer.cancel()
    }
}
