import HuddleGateway
import HuddleCore
import Logging
import ServiceLifecycle

/// Keeps this replica's presence entries alive and announces members whose replica died.
///
/// Every `interval` it refreshes the members of its own connections, then reaps each
/// channel it serves: members whose entries expired (their replica stopped refreshing them)
/// are removed, and the replica that removed one publishes its `leave`, so no ghost stays
/// on anyone's screen for longer than the time to live plus one interval.
struct PresenceKeeper: Service {
    let gateway: Gateway
    let presence: any Presence
    let broker: any Broker
    let interval: Duration
    let logger: Logger

    func run() async throws {
        // A graceful shutdown cancels the sleep; that is this service's normal end, not a
        // failure (a service that throws makes the group, and `huddle serve`, exit 1).
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: self.interval)
                await self.tick()
            }
        }
    }

    /// One round: refresh, then reap. Failures are logged and retried next round.
    func tick() async {
        for (channel, members) in self.gateway.localMembers() {
            do {
                try await self.presence.refresh(members, channel: channel)
                for gone in try await self.presence.reapExpired(channel: channel) {
                    let frame = ServerFrame.presenceChange(channel: channel, action: .leave, member: gone)
                    try await self.broker.publish(BrokerMessage(kind: .presence, frame: frame.text), to: channel)
                }
            } catch {
                self.logger.warning("Presence upkeep failed", metadata: ["channel": .string(channel), "error": "\(error)"])
            }
        }
    }
}
