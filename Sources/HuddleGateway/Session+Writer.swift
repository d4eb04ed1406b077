import HuddleCore
import CoreMetrics
import Logging
import Synchronization

extension Session {
    /// Sends everything in the outbox, in order, until the connection ends.
    func writeLoop() async {
        var cursors: [String: ChannelCursor] = [:]
        for await item in self.outbox {
            do {
                switch item {
                case .frame(let text):
                    try await self.write(text)
                case .subscribe(let channel, let since, let app):
                    try await self.subscribe(channel, since: since, app: app, cursors: &cursors)
                case .unsubscribe(let channel):
                    cursors[channel.description] = nil
                    self.shared.withLock { _ = $0.joined.remove(channel.description) }
                    await self.leave(channel.description)
                    try await self.write(ServerFrame.unsubscribed(channel: channel.description).text)
                case .delivery(let channel, let delivery):
                    try await self.forward(delivery, on: channel, cursors: &cursors)
                }
            } catch is StoreReadFailure {
                self.close(.tryAgainLater)
                return
            } catch {
                // The socket is gone; the reader ends with it.
                return
            }
        }
    }

    /// A history read failed while catching up: the client reconnects and resumes later.
    private struct StoreReadFailure: Error {}

    private func write(_ text: String) async throws {
        try await self.writer.write(text)
        self.dependencies.metrics.framesOut.increment()
    }

    /// Joins the hub first, then replays history: whatever is published during the replay is
    /// queued behind this step, and the cursor drops what the replay already sent.
    private func subscribe(
        _ channel: ChannelName, since: Int64, app: any ChannelApp, cursors: inout [String: ChannelCursor]
    ) async throws {
        let name = channel.description
        do {
            try await app.admit(self.identity, to: channel)
        } catch {
            self.shared.withLock { _ = $0.requested.remove(name) }
            let frame: ServerFrame =
                switch error {
                case let rejection as CommandRejection:
                    .error(id: nil, channel: name, code: rejection.code, message: rejection.message)
                default:
                    .error(id: nil, channel: name, code: .unavailable, message: "cannot subscribe right now; try again")
                }
            try await self.write(frame.text)
            return
        }
        do {
            try await self.dependencies.hub.join(name, self)
        } catch {
            self.shared.withLock { _ = $0.requested.remove(name) }
            self.logger.warning("Subscribe failed: broker", metadata: ["channel": .string(name), "error": "\(error)"])
            try await self.write(
                ServerFrame.error(id: nil, channel: name, code: .unavailable, message: "cannot subscribe right now; try again").text)
            return
        }
        self.shared.withLock { _ = $0.joined.insert(name) }
        var cursor: ChannelCursor
        do {
            if since < 0 {
                cursor = ChannelCursor(delivered: try await app.head(of: channel))
            } else {
                cursor = ChannelCursor(delivered: min(since, try await app.head(of: channel)))
                try await self.catchUp(channel, app: app, cursor: &cursor)
            }
        } catch let error as StoreReadFailure {
            throw error
        } catch {
            throw StoreReadFailure()
        }
        cursors[name] = cursor
        try await self.write(ServerFrame.subscribed(channel: name, offset: cursor.delivered).text)
        try await self.announcePresence(on: name)
        await app.joined(self.member, as: self.identity, channel: channel)
    }

    private func announcePresence(on channel: String) async throws {
        let members: [PresenceMember]
        do {
            try await self.dependencies.presence.join(self.member, channel: channel)
            let joined = ServerFrame.presenceChange(channel: channel, action: .join, member: self.member)
            try await self.dependencies.broker.publish(
                BrokerMessage(kind: .presence, origin: self.id, frame: joined.text), to: channel)
            members = try await self.dependencies.presence.members(of: channel)
        } catch {
            self.logger.warning("Presence join failed", metadata: ["channel": .string(channel), "error": "\(error)"])
            return
        }
        try await self.write(ServerFrame.presenceSnapshot(channel: channel, members: members).text)
    }

    private func forward(_ delivery: BrokerDelivery, on channel: String, cursors: inout [String: ChannelCursor]) async throws {
        // Deliveries for a channel no longer subscribed were queued before the unsubscribe.
        guard var cursor = cursors[channel] else { return }
        switch delivery {
        case .gap:
            try await self.catchUp(channel, cursor: &cursor)
        case .message(let message) where message.kind == .event:
            switch cursor.receive(offset: message.offset) {
            case .deliver:
                try await self.write(message.frame)
            case .skip:
                break
            case .catchUp:
                try await self.catchUp(channel, cursor: &cursor)
                if message.offset > cursor.delivered {
                    // The store does not have it yet (a lagging read): trust the broker's copy.
                    try await self.write(message.frame)
                    cursor.advance(to: message.offset)
                }
            }
        case .message(let message):
            // Signals and presence changes are not echoed to the connection that caused them.
            if message.origin != self.id {
                try await self.write(message.frame)
            }
        }
        cursors[channel] = cursor
    }

    private func catchUp(_ channel: String, cursor: inout ChannelCursor) async throws {
        guard let name = ChannelName(channel), let app = self.dependencies.directory.app(for: name) else { return }
        try await self.catchUp(name, app: app, cursor: &cursor)
    }

    /// Sends the stored events after the cursor, page by page, until the history is exhausted.
    private func catchUp(_ channel: ChannelName, app: any ChannelApp, cursor: inout ChannelCursor) async throws {
        let pageSize = self.dependencies.configuration.replayPageSize
        while true {
            let events: [StoredEvent]
            do {
                events = try await app.history(of: channel, after: cursor.delivered, limit: pageSize)
            } catch {
                self.logger.warning("History read failed", metadata: ["channel": .string(channel.description), "error": "\(error)"])
                throw StoreReadFailure()
            }
            for event in events where event.offset > cursor.delivered {
                try await self.write(ServerFrame.event(event).text)
                cursor.advance(to: event.offset)
            }
            if events.count < pageSize { return }
        }
    }
}
