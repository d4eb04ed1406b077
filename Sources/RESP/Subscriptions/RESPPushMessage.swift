import NIOCore

/// The pub/sub pushes the subscriber understands (RESP3 pushes or RESP2 arrays alike).
enum RESPPushMessage: Hashable {
    case message(channel: String, payload: ByteBuffer)
    case subscribed(channel: String)
    case unsubscribed(channel: String)
    /// Anything else (`pong`, pattern messages, invalidations): ignored.
    case other

    init(_ token: RESPToken) {
        let elements: RESPToken.Array
        switch token.value {
        case .push(let array), .array(let array): elements = array
        default:
            self = .other
            return
        }
        var iterator = elements.makeIterator()
        guard let kindToken = iterator.next(), let kind = try? String(fromRESP: kindToken),
            let channelToken = iterator.next(), let channel = try? String(fromRESP: channelToken)
        else {
            self = .other
            return
        }
        switch kind.lowercased() {
        case "message":
            guard elements.count == 3, let payloadToken = iterator.next(), let payload = try? ByteBuffer(fromRESP: payloadToken)
            else {
                self = .other
                return
            }
            self = .message(channel: channel, payload: payload)
        case "subscribe": self = .subscribed(channel: channel)
        case "unsubscribe": self = .unsubscribed(channel: channel)
        default: self = .other
        }
    }
}
