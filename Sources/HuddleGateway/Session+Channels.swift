import HuddleCore
import Synchronization
import Logging
import NIOCore

extension Session {
    /// Joins the hub first, then replays history: whatever is published during the replay
    /// waits behind it, and the cursor drops what the replay already sent.
    func join(_ channel: ChannelName, since: Int64, app: any ChannelApp) async -> Outcome {
        let name = channel.description
        do {
            try await app.admit(self.identity, to: channel)
        } catch {
            self.requested.remove(name)
            let frame: ServerFrame =
                switch error {
                case let rejection as CommandRejection:
                    .error(id: nil, channel: name, code: rejection.code, message: rejection.message)
                default:
                    .error(id: nil, channel: name, code: .unavailable, message: "cannot subscribe right now; try again")
                }
            self.send(frame)
            return .ok
        }
        guard !self.isEnded else { return .ok }
        let generation = self.nextGeneration()
        self.channels[name] = Joined(state: .waiting(Deferred()), generation: generation)
        do {
            try await self.dependencies.hub.join(name, self)
        } catch {
            self.channels[name] = nil
            self.requested.remove(name)
            self.logger.warning("Subscribe failed: broker", metadata: ["channel": .string(name), "error": "\(error)"])
            self.send(.error(id: nil, channel: name, code: .unavailable, message: "cannot subscribe right now; try again"))
            return .ok
        }
        guard !self.isEnded else {
            // The connection went while joining: its end has already left what it had joined.
            await self.dependencies.hub.leave(name, self.id)
            return .ok
        }
        self.snapshot.withLock { _ = $0.joined.insert(name) }
        var cursor: ChannelCursor
        do {
            let head = try await app.head(of: channel)
            if since < 0 {
                cursor = ChannelCursor(delivered: head)
            } else {
                cursor = ChannelCursor(delivered: min(since, head))
                try await self.replay(channel, app: app, cursor: &cursor)
            }
        } catch {
            self.logger.warning("History read failed", metadata: ["channel": .string(name), "error": "\(error)"])
            self.close(.tryAgainLater)
            return .ok
        }
        guard self.channels[name]?.generation == generation else { return .ok }
        self.send(.subscribed(channel: name, offset: cursor.delivered))
        self.goLive(name, cursor: cursor)
        await self.announcePresence(on: name)
        await app.joined(self.member, as: self.identity, channel: channel)
        return .ok
    }

    func unsubscribe(from channel: ChannelName) async -> Outcome {
        let name = channel.description
        self.channels[name] = nil
        self.snapshot.withLock { _ = $0.joined.remove(name) }
        await self.leave(name)
        self.send(.unsubscribed(channel: name))
        return .ok
    }

    private func announcePresence(on channel: String) async {
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
        self.send(.presenceSnapshot(channel: channel, members: members))
    }

    /// A broker delivery for `channel`, with its frame encoded once for every subscriber. Not
    /// flushed: the hub flushes once per batch.
    func deliver(_ delivery: BrokerDelivery, frame: ByteBuffer, on channel: String) {
        guard self.closing == nil, var joined = self.channels[channel] else { return }
        guard case .live(var cursor) = joined.state else {
            guard case .waiting(var deferred) = joined.state else { return }
            deferred.deliveries.append((delivery, frame))
            deferred.bytes += frame.readableBytes
            joined.state = .waiting(deferred)
            self.channels[channel] = joined
            // What waits behind a store read is held here, not by the socket: the same limit.
            if deferred.bytes > self.dependencies.configuration.sendBufferLimit { self.close(.slowConsumer) }
            return
        }
        switch delivery {
        case .gap:
            self.catchUp(channel, from: cursor, then: nil)
        case .message(let message) where message.kind == .event:
            switch cursor.receive(offset: message.offset) {
            case .deliver:
                joined.state = .live(cursor)
                self.channels[channel] = joined
                self.writeLive(frame)
            case .skip:
                break
            case .catchUp:
                self.catchUp(channel, from: cursor, then: (message.offset, frame))
            }
        case .message(let message):
            // Signals and presence changes are not echoed to the connection that caused them.
            if message.origin != self.id { self.writeLive(frame) }
        }
    }

    /// Reads what the cursor is missing from the store; deliveries wait meanwhile. `ahead` is
    /// the delivery that showed the gap: if the store does not have it yet (a lagging read),
    /// the broker's copy is trusted.
    private func catchUp(_ channel: String, from cursor: ChannelCursor, then ahead: (offset: Int64, frame: ByteBuffer)?) {
        guard let joined = self.channels[channel], let name = ChannelName(channel),
            let app = self.dependencies.directory.app(for: name)
        else { return }
        let generation = joined.generation
        self.channels[channel] = Joined(state: .waiting(Deferred()), generation: generation)
        Task {
            var cursor = cursor
            do {
                try await self.replay(name, app: app, cursor: &cursor)
            } catch {
                self.logger.warning("History read failed", metadata: ["channel": .string(channel), "error": "\(error)"])
                self.close(.tryAgainLater)
                return
            }
            guard self.channels[channel]?.generation == generation else { return }
            if let ahead, ahead.offset > cursor.delivered {
                self.writeLive(ahead.frame)
                cursor.advance(to: ahead.offset)
            }
            self.goLive(channel, cursor: cursor)
            self.flush()
        }
    }

    /// The store read is done: deliveries go straight out again, starting with those that waited.
    private func goLive(_ channel: String, cursor: ChannelCursor) {
        guard let joined = self.channels[channel], case .waiting(let deferred) = joined.state else { return }
        self.channels[channel] = Joined(state: .live(cursor), generation: joined.generation)
        for (delivery, frame) in deferred.deliveries {
            self.deliver(delivery, frame: frame, on: channel)
        }
        self.flush()
    }

    /// Sends the stored events after the cursor, page by page as the client takes them, until
    /// the history is exhausted.
    private func replay(_ channel: ChannelName, app: any ChannelApp, cursor: inout ChannelCursor) async throws {
        let pageSize = self.dependencies.configuration.replayPageSize
        while true {
            await self.untilWritable()
            guard self.closing == nil, !self.isEnded else { return }
            let events = try await app.history(of: channel, after: cursor.delivered, limit: pageSize)
            for event in events where event.offset > cursor.delivered {
                self.write(ServerFrame.event(event).text)
                cursor.advance(to: event.offset)
            }
            self.flush()
            if events.count < pageSize { return }
        }
    }
}
