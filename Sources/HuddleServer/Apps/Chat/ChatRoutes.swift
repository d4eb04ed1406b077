import HTTPTypes
import HuddleCore
import HuddleGateway
import Hummingbird
import ServiceLifecycle

/// Seed 002's support chat: channel `chat:{id}` is served by ``ChatApp``; the HTTP API
/// (docs/PROTOCOL.md) starts, lists and reads conversations and runs every action, decided
/// exactly as over the WebSocket. Who may see a conversation is the model's admission rule
/// (its customer, agents, admins), applied to every route.
struct ChatRoutes: AppRoutes {
    let app: ChatApp
    /// Which conversations exist, shared with the sweep.
    let index: StateCache<ConversationIndex>
    let accounts: any Accounts
    /// A guest who starts a conversation gets a longer-lived token: a reload resumes it.
    let passes: @Sendable (Identity) async throws -> SessionAuthority.Grant?
    /// The bot's sweep for what other replicas left unanswered; nil with `chat.bot off`.
    let sweeper: ChatSweeper?
    let creations: AnonymousCreations

    var channelApp: any ChannelApp { self.app }
    var services: [any Service] { self.sweeper.map { [$0] } ?? [] }

    /// Conversations a listing looks through at most (newest first) to fill its page.
    static let listingScan = 2_000

    func register(on router: Router<AppRequestContext>) {
        let chats = router.group("api/v1/chats")
        chats.post { request, context in
            let identity = try context.requireIdentity()
            var fields = try await request.decode(as: FieldReader.self, context: context)
            let name = fields.text("customerName")
            guard fields.problems.isEmpty else { throw APIError(.badRequest, "Some fields are invalid.", fields: fields.problems) }
            try self.creations.admit(request, context)
            let id = try await self.start(for: identity, customerName: name)
            var pass: GrantBody?
            if let grant = try await self.passes(identity) { pass = GrantBody(grant) }
            return try JSONResponse.make(ChatBody(view: try await self.view(id), pass: pass), status: .created)
        }
        chats.get { request, context in
            let identity = try context.requireIdentity()
            let status = try Self.status(request.uri.queryParameters.get("status"))
            let chats = try await self.list(for: identity, status: status, limit: try request.listLimit())
            return try JSONResponse.make(ChatList(chats: chats))
        }
        chats.get("{id}") { _, context in
            let (id, _) = try await self.admitted(context)
            return try JSONResponse.make(ChatBody(view: try await self.view(id)))
        }
        chats.post("{id}/messages") { request, context in
            let (id, channel, identity) = try await self.acting(context)
            var fields = try await request.decode(as: FieldReader.self, context: context)
            let text = fields.text("text", required: "Write a message.")
            let messageID = fields.text("id")
            guard fields.problems.isEmpty, let text else {
                throw APIError(.badRequest, "Some fields are invalid.", fields: fields.problems)
            }
            var data: [String: JSONValue] = ["text": .string(text)]
            if let messageID { data["id"] = .string(messageID) }
            let command = try ConversationState.parse(command: "send", data: .object(data))
            _ = try await self.app.run(command, on: channel, as: identity)
            return try JSONResponse.make(ChatBody(view: try await self.view(id)), status: .created)
        }
        for (action, command) in [("escalate", ConversationCommand.escalate), ("claim", .claim), ("resolve", .resolve)] {
            chats.post("{id}/\(action)") { _, context in
                let (id, channel, identity) = try await self.acting(context)
                _ = try await self.app.run(command, on: channel, as: identity)
                return try JSONResponse.make(ChatBody(view: try await self.view(id)))
            }
        }
        chats.post("{id}/transfer") { request, context in
            let (id, channel, identity) = try await self.acting(context)
            // Back to the queue needs no body at all.
            var fields = try await request.decodeIfSent(as: FieldReader.self, context: context) ?? .empty
            let to = fields.text("to")
            guard fields.problems.isEmpty else { throw APIError(.badRequest, "Some fields are invalid.", fields: fields.problems) }
            var agent: User?
            if let to {
                guard let user = try await self.accounts.user(id: to), user.active, user.role == .agent else {
                    throw APIError(.badRequest, "Some fields are invalid.", fields: ["to": "Not an active agent's id."])
                }
                agent = user
            }
            _ = try await self.app.run(.transfer(to: agent?.id, toName: agent?.displayName), on: channel, as: identity)
            return try JSONResponse.make(ChatBody(view: try await self.view(id)))
        }
    }

    /// Lists the conversation, then starts its stream (both in one commit, usually); returns its id.
    func start(for customer: Identity, customerName: String?) async throws -> String {
        let id = RandomID.make()
        let creation = try ConversationState.creation(customer: customer, customerName: customerName)
        guard let channel = self.app.channel(id) else { throw CommandRejection(.internalError, "bad id") }
        async let listed = self.app.stream.log.append(
            ConversationIndex.listing(id: id, customer: customer.id), to: ConversationIndex.stream, expecting: .any)
        _ = try await self.app.stream.start(channel, with: creation)
        _ = try await listed
        return id
    }

    /// The conversations `identity` may see, newest first (the queue: oldest waiting first).
    func list(for identity: Identity, status: ConversationView.Status?, limit: Int) async throws -> [ConversationView] {
        let index = try await self.index.latest(of: ConversationIndex.stream, in: self.app.stream.log)
        // The queue is served oldest waiting first, so it is gathered whole before its page is cut.
        let queue = status == .queued
        var found: [ConversationView] = []
        for entry in index.visible(to: identity).prefix(Self.listingScan) where queue || found.count < limit {
            guard let channel = self.app.channel(entry.id),
                let view = ConversationView(id: entry.id, try await self.app.stream.state(of: channel), includingMessages: false),
                status == nil || view.status == status
            else { continue }
            found.append(view)
        }
        guard queue else { return found }
        return Array(found.sorted { ($0.queuedSince ?? 0, $0.id) < ($1.queuedSince ?? 0, $1.id) }.prefix(limit))
    }

    private func view(_ id: String) async throws -> ConversationView {
        guard let channel = self.app.channel(id), let view = ConversationView(id: id, try await self.app.stream.state(of: channel)) else {
            throw APIError(.notFound, "There is no conversation \(id).")
        }
        return view
    }

    /// The conversation of the path, once the caller is let in (403 another customer's, 404 none).
    private func admitted(_ context: AppRequestContext) async throws -> (String, ChannelName) {
        let identity = try context.requireIdentity()
        let id = context.parameters.get("id") ?? ""
        guard let channel = self.app.channel(id) else { throw APIError(.badRequest, "Not a conversation id.") }
        try await self.app.admit(identity, to: channel)
        return (id, channel)
    }

    private func acting(_ context: AppRequestContext) async throws -> (String, ChannelName, Identity) {
        let (id, channel) = try await self.admitted(context)
        return (id, channel, try context.requireIdentity())
    }

    private static func status(_ text: String?) throws -> ConversationView.Status? {
        guard let text else { return nil }
        guard let status = ConversationView.Status(rawValue: text) else {
            throw APIError(.badRequest, "status is bot, queued or withAgent.")
        }
        return status
    }
}

/// A conversation as the routes answer it, with a guest's pass after they start one.
struct ChatBody: Encodable {
    var view: ConversationView
    var pass: GrantBody?

    func encode(to encoder: any Encoder) throws {
        try self.view.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encodeIfPresent(self.pass, forKey: .pass)
    }

    enum Keys: String, CodingKey { case pass }
}

struct ChatList: Encodable {
    var chats: [ConversationView]
}
