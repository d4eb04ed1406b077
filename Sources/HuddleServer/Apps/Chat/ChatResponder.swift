import HuddleCore
import HuddleGateway
import Logging

/// The bot's side of every conversation: answers each message the bot owes (the state's
/// `unanswered`), written by the server's own identity as a `botReply` to that message.
///
/// Answering is idempotent across replicas: a reply is decided against the conversation's
/// state and appended expecting its offset, so of two replicas answering one message exactly
/// one writes, and the other is refused `already_answered` (or `not_with_bot` when the
/// customer has since asked for a person), which is the end of its work, not a failure.
struct ChatResponder: Sendable {
    let app: StreamApp<ConversationState>
    let assistant: ChatAssistant
    let logger: Logger

    /// Answers in the background, so that the customer's own command is acknowledged first.
    func answerSoon(_ channel: ChannelName) {
        Task { await self.answer(channel) }
    }

    /// Answers what the bot owes in `channel`: every unanswered message, or only those stored
    /// at or before `storedBy` (ms since 1970) when sweeping up after another replica.
    func answer(_ channel: ChannelName, storedBy: Int64? = nil) async {
        do {
            var state = try await self.app.state(of: channel)
            for message in state.unanswered where storedBy.map({ message.at <= $0 }) ?? true {
                // An assistant that cannot answer is said so, in reply to the message: the
                // customer knows, and the message is not retried for ever.
                let command = await self.assistant.answer(message, in: state)?.command(replyingTo: message.id, id: RandomID.make())
                    ?? .systemNote(id: RandomID.make(), text: ChatAssistant.unavailable, replyTo: message.id)
                do {
                    _ = try await self.app.run(command, on: channel, as: .chatServer)
                } catch let rejection as CommandRejection where [.alreadyAnswered, .notWithBot].contains(rejection.code) {
                    continue  // another replica answered, or a person will
                }
                state = try await self.app.state(of: channel)
            }
        } catch {
            // Left unanswered: a sweep (this replica's or another's) tries again.
            self.logger.warning("The chat bot could not answer", metadata: ["channel": "\(channel)", "error": "\(error)"])
        }
    }
}
