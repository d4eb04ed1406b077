extension ConversationState {
    /// The event `command` produces when `identity` asks, or why it is refused. Every command is
    /// first held to ``admit(_:)``: only the customer, agents, admins and the server get further.
    public func decide(_ command: ConversationCommand, by identity: Identity) throws(CommandRejection) -> ConversationEvent {
        try self.admit(identity)
        switch command {
        case .send(let text, let id):
            let role = try self.writer(identity)
            let text = try Self.checked(text: text)
            // The original's one word for "a person, please", kept: while the bot has the
            // conversation it asks for a person and is not posted (it is no question for the bot
            // and would only sit in the history). Later it is an ordinary message.
            if role == .customer, self.status == .bot, text.lowercased() == "escalate" {
                return .escalated(by: identity.id, reason: .keyword)
            }
            guard self.postedByPeople < ChatLimits.maxMessages else {
                throw CommandRejection(.conversationFull, "this conversation holds \(ChatLimits.maxMessages) messages; start a new one")
            }
            try self.checkNew(id)
            let name = role == .customer ? self.customerName ?? identity.name : identity.name
            return .messagePosted(
                id: id, author: identity.id, authorName: name, role: role, text: text, replyTo: nil, offersPerson: false)
        case .escalate:
            guard identity.id == self.customer else { throw CommandRejection(.forbidden, "only the customer asks for a person") }
            switch self.status {
            case .bot: return .escalated(by: identity.id, reason: .button)
            case .queued: throw CommandRejection(.alreadyEscalated, "you are already waiting for a person")
            case .withAgent(let agent): throw CommandRejection(.alreadyEscalated, "\(agent.name) is with you")
            }
        case .claim:
            guard identity.isAgent else { throw CommandRejection(.forbidden, "only agents claim conversations") }
            switch self.status {
            case .queued: return .claimed(agent: identity.id, agentName: identity.name)
            case .withAgent(let agent) where agent.id == identity.id:
                throw CommandRejection(.alreadyClaimed, "you have already claimed this conversation")
            case .withAgent(let agent): throw CommandRejection(.alreadyClaimed, "\(agent.name) has already claimed this conversation")
            case .bot: throw CommandRejection(.notQueued, "nobody is waiting for a person in this conversation")
            }
        case .transfer(let to, let toName):
            guard let holder = try self.managed(by: identity, doing: "transfer") else {
                throw CommandRejection(.notClaimed, "no agent holds this conversation")
            }
            guard let to else { return .transferred(from: holder.id, to: nil, toName: nil, by: identity.id) }
            guard ChannelName.isValidID(to), to != self.customer, to != Identity.chatServer.id else {
                throw .badRequest("transfer's 'to' must be an agent's identity id")
            }
            guard to != holder.id else { throw .badRequest("\(holder.name) already holds this conversation") }
            var name: String?
            if let toName {
                guard let checked = ChatLimits.checkedName(toName) else { throw Self.badName("toName") }
                name = checked
            }
            return .transferred(from: holder.id, to: to, toName: name, by: identity.id)
        case .resolve:
            if case .bot = self.status, identity.isAgent || identity.isAdmin {
                throw CommandRejection(.notEscalated, "the bot already has this conversation")
            }
            _ = try self.managed(by: identity, doing: "resolve")
            return .resolved(by: identity.id)
        case .botReply(let id, let replyTo, let text, let offersPerson):
            guard identity.isChatServer else { throw CommandRejection(.forbidden, "only the server's bot replies as the bot") }
            let text = try Self.checked(text: text)
            try self.checkAnswerable(replyTo)
            try self.checkNew(id)
            return .messagePosted(
                id: id, author: identity.id, authorName: identity.name, role: .bot, text: text, replyTo: replyTo,
                offersPerson: offersPerson)
        case .systemNote(let id, let text, let replyTo):
            guard identity.isChatServer else { throw CommandRejection(.forbidden, "only the server posts system notes") }
            let text = try Self.checked(text: text)
            if let replyTo { try self.checkAnswerable(replyTo) }
            try self.checkNew(id)
            return .messagePosted(
                id: id, author: Self.systemAuthor, authorName: Self.systemName, role: .system, text: text, replyTo: replyTo,
                offersPerson: false)
        case .agentPresence(let joined, let named):
            let agent = try self.presenceSubject(named, by: identity)
            let present = self.agentsPresent.contains { $0.id == agent.id }
            guard present != joined else {
                throw CommandRejection(.presenceUnchanged, joined ? "\(agent.name) has already joined" : "\(agent.name) is not here")
            }
            return .agentPresence(agent: agent.id, agentName: agent.name, joined: joined)
        }
    }

    /// The role `identity` writes in: the customer's own, or the holding agent's.
    private func writer(_ identity: Identity) throws(CommandRejection) -> ChatMessage.Role {
        if identity.id == self.customer { return .customer }
        if let agent = self.agent, agent.id == identity.id { return .agent }
        if identity.isAgent, let agent = self.agent {
            throw CommandRejection(.forbidden, "\(agent.name) holds this conversation; only they reply")
        }
        if identity.isAgent { throw CommandRejection(.forbidden, "claim this conversation before replying") }
        throw CommandRejection(.forbidden, "only the customer and the agent holding this conversation write in it")
    }

    /// The agent holding the conversation, when `identity` may manage it: that agent, or an
    /// admin. nil for a queued conversation, which only an admin may manage (resolve it when the
    /// customer has gone, say); agents claim it first.
    private func managed(by identity: Identity, doing verb: String) throws(CommandRejection) -> ChatAgent? {
        guard identity.isAgent || identity.isAdmin else {
            throw CommandRejection(.forbidden, "only the agent holding this conversation, or an admin, may \(verb) it")
        }
        switch self.status {
        case .withAgent(let agent):
            guard agent.id == identity.id || identity.isAdmin else {
                throw CommandRejection(.forbidden, "\(agent.name) holds this conversation; only they or an admin may \(verb) it")
            }
            return agent
        case .queued where identity.isAdmin:
            return nil
        case .queued, .bot:
            throw CommandRejection(.notClaimed, "no agent holds this conversation")
        }
    }

    /// The agent a presence marker is about: the asking agent or admin, or whoever the server names.
    private func presenceSubject(_ named: ChatAgent?, by identity: Identity) throws(CommandRejection) -> ChatAgent {
        if identity.isChatServer {
            guard let named, ChannelName.isValidID(named.id) else { throw .badRequest("the server's agentPresence names the agent") }
            guard let name = ChatLimits.checkedName(named.name) else { throw Self.badName("agentName") }
            return ChatAgent(id: named.id, name: name)
        }
        guard identity.isAgent || identity.isAdmin else { throw CommandRejection(.forbidden, "only agents join and leave conversations") }
        guard named == nil || named?.id == identity.id else { throw CommandRejection(.forbidden, "an agent marks only their own presence") }
        return ChatAgent(id: identity.id, name: identity.name)
    }

    /// Whether the bot (or a note) may answer customer message `id` now.
    private func checkAnswerable(_ id: String) throws(CommandRejection) {
        guard let message = self.message(id), message.role == .customer else {
            throw CommandRejection(.notFound, "there is no customer message \(id) in this conversation")
        }
        if self.isAnswered(id) { throw CommandRejection(.alreadyAnswered, "message \(id) has been answered") }
        guard self.isPending(id) else {
            throw CommandRejection(.notWithBot, "message \(id) is for a person to answer: the customer asked for one")
        }
    }

    private func checkNew(_ id: String) throws(CommandRejection) {
        guard ChatLimits.isValidMessageID(id) else {
            throw .badRequest("a message id is 1 to \(ChatLimits.messageIDBytes) of A-Z a-z 0-9 _ . -")
        }
        guard self.message(id) == nil else { throw CommandRejection(.alreadyPosted, "there is already a message \(id) here") }
    }

    static func checked(text: String) throws(CommandRejection) -> String {
        guard let text = ChatLimits.checkedText(text) else {
            throw .badRequest(
                "a message is 1 to \(ChatLimits.textLength) characters (\(ChatLimits.textBytes) bytes), "
                    + "without control characters but newline and tab")
        }
        return text
    }

    static func badName(_ field: String) -> CommandRejection {
        .badRequest("'\(field)' is 1 to \(ChatLimits.nameLength) characters (\(ChatLimits.nameBytes) bytes), without control characters")
    }
}
