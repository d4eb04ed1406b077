import HuddleCore
import HuddleGateway
import Synchronization

/// The channel app of `chat:{id}`: the stream app over ``ConversationState``, plus what a
/// conversation needs besides decisions: the bot answering each customer message (when this
/// replica runs the bot), and the "agent left" marker when an agent's connection goes.
struct ChatApp: ChannelApp {
    let stream: StreamApp<ConversationState>
    /// nil when this replica leaves the answering to the others (`chat.bot off`).
    let responder: ChatResponder?
    /// The agents among this replica's members, for their leave marker.
    private let agents = AgentMembers()

    init(stream: StreamApp<ConversationState>, responder: ChatResponder?) {
        self.stream = stream
        self.responder = responder
    }

    var kind: String { ConversationState.kind }

    func channel(_ id: String) -> ChannelName? { self.stream.channel(id) }

    func history(of channel: ChannelName, after offset: Int64, limit: Int) async throws -> [StoredEvent] {
        try await self.stream.history(of: channel, after: offset, limit: limit)
    }

    func head(of channel: ChannelName) async throws -> Int64 {
        try await self.stream.head(of: channel)
    }

    func admit(_ identity: Identity, to channel: ChannelName) async throws {
        try await self.stream.admit(identity, to: channel)
    }

    func handle(command name: String, data: JSONValue, on channel: ChannelName, as identity: Identity) async throws -> Int64 {
        try await self.run(try ConversationState.parse(command: name, data: data), on: channel, as: identity).offset
    }

    /// Runs `command` as the stream app does; a customer's message is then answered by the bot.
    func run(_ command: ConversationCommand, on channel: ChannelName, as identity: Identity) async throws -> StoredEvent {
        let stored = try await self.stream.run(command, on: channel, as: identity)
        if case .send = command, stored.name == "messagePosted" {
            self.responder?.answerSoon(channel)
        }
        return stored
    }

    func joined(_ member: PresenceMember, as identity: Identity, channel: ChannelName) async {
        guard identity.isAgent else { return }
        self.agents.set(ChatAgent(id: identity.id, name: identity.name), for: Self.key(member, channel))
    }

    /// An agent's connection left the conversation: the server writes their leave marker (the
    /// console may have written it already: then it is refused `presence_unchanged`).
    func left(_ member: PresenceMember, channel: ChannelName) async {
        guard let agent = self.agents.remove(Self.key(member, channel)) else { return }
        _ = try? await self.stream.run(.agentPresence(joined: false, agent: agent), on: channel, as: .chatServer)
    }

    private static func key(_ member: PresenceMember, _ channel: ChannelName) -> String {
        member.id + " " + channel.description
    }
}

/// Agents by member and channel; shared by every copy of the app.
private final class AgentMembers: Sendable {
    private let agents = Mutex<[String: ChatAgent]>([:])

    func set(_ agent: ChatAgent, for key: String) {
        self.agents.withLock { $0[key] = agent }
    }

    func remove(_ key: String) -> ChatAgent? {
        self.agents.withLock { $0.removeValue(forKey: key) }
    }
}
