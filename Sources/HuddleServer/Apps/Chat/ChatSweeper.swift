import HuddleCore
import HuddleGateway
import Logging
import ServiceLifecycle

/// Answers what another replica stored but never answered (it died in between): every few
/// seconds, the newest conversations of the index are checked for messages the bot owes that
/// were stored more than a grace period ago (the storing replica answers its own first).
///
/// Bounded on purpose: only the newest `window` conversations are looked at, since a
/// conversation whose message went unanswered is one somebody is waiting in now.
struct ChatSweeper: Service {
    let app: StreamApp<ConversationState>
    let index: StateCache<ConversationIndex>
    let responder: ChatResponder
    var interval = Duration.seconds(2)
    var grace: Int64 = 1_000
    var window = 200
    let clock: @Sendable () -> Int64
    let logger: Logger

    func run() async throws {
        // A graceful shutdown cancels the sleep: this service's normal end, not a failure.
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: self.interval)
                await self.sweep()
            }
        }
    }

    func sweep() async {
        do {
            let index = try await self.index.latest(of: ConversationIndex.stream, in: self.app.log)
            let storedBy = self.clock() - self.grace
            for entry in index.entries.suffix(self.window) {
                guard let channel = self.app.channel(entry.id) else { continue }
                let state = try await self.app.state(of: channel)
                if state.unanswered.contains(where: { $0.at <= storedBy }) {
                    await self.responder.answer(channel, storedBy: storedBy)
                }
            }
        } catch {
            self.logger.debug("Chat sweep skipped", metadata: ["error": "\(error)"])
        }
    }
}
