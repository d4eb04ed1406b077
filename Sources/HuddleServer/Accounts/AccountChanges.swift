import HuddleCore
import HuddleGateway
import Logging
import ServiceLifecycle

/// Tells every replica that an account changed, so that the user's open WebSockets follow at
/// once: a deactivated user is disconnected (4001), a demoted one loses the rights at their
/// next command. The broker is at-most-once; a replica whose subscription dropped checks every
/// signed-in connection again when it is back (the `.gap`).
struct AccountChanges: Sendable {
    /// Not a channel name (no `kind:`), so no client can subscribe to it.
    static let channel = "accounts"

    let broker: any Broker

    func announce(_ userID: String) async {
        await self.broker.ring(BrokerMessage(kind: .signal, frame: userID), on: Self.channel)
    }
}

/// Delivers account changes to this replica's gateway, from start to shutdown.
struct AccountWatch: Service {
    let broker: any Broker
    let gateway: Gateway
    let logger: Logger

    func run() async throws {
        let gateway = self.gateway
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let subscription = try await self.broker.subscribe(to: AccountChanges.channel) { delivery in
                    switch delivery {
                    case .message(let message): Task { await gateway.accountChanged(message.frame) }
                    case .gap: Task { await gateway.revalidateAccounts() }
                    }
                }
                try? await gracefulShutdown()
                await subscription.cancel()
                return
            } catch {
                // The broker is down (Redis failing over): try again shortly.
                self.logger.warning("Account changes not subscribed; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
