public import HuddleCore

/// Every frame the server sends over the realtime WebSocket, rendered as JSON text.
///
/// The protocol is documented in `docs/PROTOCOL.md`; this type is its single source.
public enum ServerFrame: Sendable, Hashable {
    case welcome(connectionID: String, name: String)
    case event(StoredEvent)
    case subscribed(channel: String, offset: Int64)
    case unsubscribed(channel: String)
    case ack(id: String, offset: Int64)
    case error(id: String?, channel: String?, code: RejectionCode, message: String)
    /// `identity` is the sender's user or guest id: what an app's pages trust a signal by (a
    /// player's hover), since the member names only a connection.
    case signal(channel: String, from: PresenceMember, identity: String, name: String, data: JSONValue)
    case presenceSnapshot(channel: String, members: [PresenceMember])
    case presenceChange(channel: String, action: PresenceAction, member: PresenceMember)
    case pong(id: String?)
    /// The connection now acts as `identity` (after an `auth` frame, or at connect).
    case authenticated(Identity)

    public enum PresenceAction: String, Sendable, Hashable {
        case join, leave
    }

    public var text: String {
        var text = "{\"type\":"
        switch self {
        case .welcome(let connectionID, let name):
            text += "\"welcome\",\"connectionId\":"
            JSONText.appendString(connectionID, to: &text)
            text += ",\"name\":"
            JSONText.appendString(name, to: &text)
        case .event(let event):
            text += "\"event\",\"channel\":"
            JSONText.appendString(event.stream, to: &text)
            text += ",\"offset\":\(event.offset),\"name\":"
            JSONText.appendString(event.name, to: &text)
            text += ",\"data\":"
            text += event.data
            if let time = event.recordedAt {
                text += ",\"time\":\(time)"
            }
        case .subscribed(let channel, let offset):
            text += "\"subscribed\",\"channel\":"
            JSONText.appendString(channel, to: &text)
            text += ",\"offset\":\(offset)"
        case .unsubscribed(let channel):
            text += "\"unsubscribed\",\"channel\":"
            JSONText.appendString(channel, to: &text)
        case .ack(let id, let offset):
            text += "\"ack\",\"id\":"
            JSONText.appendString(id, to: &text)
            text += ",\"offset\":\(offset)"
        case .error(let id, let channel, let code, let message):
            text += "\"error\""
            if let id {
                text += ",\"id\":"
                JSONText.appendString(id, to: &text)
            }
            if let channel {
                text += ",\"channel\":"
                JSONText.appendString(channel, to: &text)
            }
            text += ",\"code\":"
            JSONText.appendString(code.rawValue, to: &text)
            text += ",\"message\":"
            JSONText.appendString(message, to: &text)
        case .signal(let channel, let from, let identity, let name, let data):
            text += "\"signal\",\"channel\":"
            JSONText.appendString(channel, to: &text)
            text += ",\"from\":"
            Self.append(member: from, identity: identity, to: &text)
            text += ",\"name\":"
            JSONText.appendString(name, to: &text)
            text += ",\"data\":"
            text += data.jsonText
        case .presenceSnapshot(let channel, let members):
            text += "\"presence\",\"channel\":"
            JSONText.appendString(channel, to: &text)
            text += ",\"members\":["
            for (index, member) in members.enumerated() {
                if index > 0 { text += "," }
                Self.append(member: member, to: &text)
            }
            text += "]"
        case .presenceChange(let channel, let action, let member):
            text += "\"presence\",\"channel\":"
            JSONText.appendString(channel, to: &text)
            text += ",\"action\":\"\(action.rawValue)\",\"member\":"
            Self.append(member: member, to: &text)
        case .authenticated(let identity):
            text += "\"authenticated\",\"id\":"
            JSONText.appendString(identity.id, to: &text)
            text += ",\"name\":"
            JSONText.appendString(identity.name, to: &text)
            if let role = identity.role {
                text += ",\"role\":\"\(role.rawValue)\""
            }
            if let username = identity.username {
                text += ",\"username\":"
                JSONText.appendString(username, to: &text)
            }
            text += ",\"guest\":\(identity.isGuest)"
        case .pong(let id):
            text += "\"pong\""
            if let id {
                text += ",\"id\":"
                JSONText.appendString(id, to: &text)
            }
        }
        text += "}"
        return text
    }

    private static func append(member: PresenceMember, identity: String? = nil, to text: inout String) {
        text += "{\"id\":"
        JSONText.appendString(member.id, to: &text)
        text += ",\"name\":"
        JSONText.appendString(member.name, to: &text)
        if let identity {
            text += ",\"identity\":"
            JSONText.appendString(identity, to: &text)
        }
        text += "}"
    }
}
