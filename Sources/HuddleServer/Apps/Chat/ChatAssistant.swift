import AsyncHTTPClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HuddleCore
import Logging
import NIOCore
import NIOHTTP1

/// Who writes the bot's answers: the built-in FAQ bot, or an OpenAI-compatible
/// chat-completions endpoint sent the conversation so far.
enum ChatAssistant: Sendable {
    case builtIn(ChatBot)
    case endpoint(ChatCompletions)

    /// What the bot says to `message`, or nil when the assistant could not answer (the
    /// customer is then told so, and may ask for a person).
    func answer(_ message: ChatMessage, in conversation: ConversationState) async -> BotAnswer? {
        switch self {
        case .builtIn(let bot): bot.reply(to: message, in: conversation)
        case .endpoint(let endpoint): await endpoint.answer(message, in: conversation)
        }
    }

    static let unavailable = "The assistant is unavailable right now; you can ask for a person."
}

/// An OpenAI-compatible `POST …/chat/completions` endpoint (`chat.llm-url`, `chat.llm-model`,
/// the key from `chat.llm-key` or its file, never logged), sent a system prompt and the
/// conversation up to the message being answered, customer messages as `user` and the
/// bot's and agents' as `assistant`.
struct ChatCompletions: Sendable {
    let url: String
    let model: String
    let key: String?
    let timeout: Duration
    let client: HTTPClient
    let logger: Logger

    static let prompt = "You are the support assistant of an online shop. Answer briefly and kindly. "
        + "When you cannot help, say so and suggest that the customer asks for a person."

    func answer(_ message: ChatMessage, in conversation: ConversationState) async -> BotAnswer? {
        var request = HTTPClientRequest(url: self.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let key { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        let history = conversation.messages.prefix { $0.offset <= message.offset }.filter { $0.role != .system }
        let body = Request(
            model: self.model,
            messages: [.init(role: "system", content: Self.prompt)]
                + history.map { .init(role: $0.role == .customer ? "user" : "assistant", content: $0.text) })
        do {
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
            let response = try await self.client.execute(request, timeout: .init(self.timeout))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok else {
                self.logger.warning("The chat assistant answered an error", metadata: ["status": "\(response.status.code)"])
                return nil
            }
            let reply = try JSONDecoder().decode(Reply.self, from: Data(bytes.readableBytesView))
            // Held to a message's limits like anyone's text: cut to length, then checked.
            guard let content = reply.choices.first?.message.content,
                let text = ChatLimits.checkedText(String(content.prefix(ChatLimits.textLength)))
            else { return nil }
            return BotAnswer(text: text)
        } catch {
            self.logger.warning("The chat assistant did not answer", metadata: ["error": "\(type(of: error))"])
            return nil
        }
    }

    struct Request: Encodable {
        struct Message: Encodable {
            var role: String
            var content: String
        }

        var model: String
        var messages: [Message]
    }

    struct Reply: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { var content: String? }
            var message: Message
        }

        var choices: [Choice]
    }
}
