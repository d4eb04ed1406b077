import HuddleCore

/// A frame a client sends (see `docs/PROTOCOL.md`). Fields not used by a type are ignored.
struct ClientFrame: Decodable {
    var type: String
    var id: String?
    var channel: String?
    var since: Int64?
    var name: String?
    var data: JSONValue?
    /// An `auth` frame's access token.
    var token: String?
}
