extension Identity {
    /// The server itself in Chat: the only identity that may post the bot's replies
    /// (`botReply`), system notes (`systemNote`) and presence markers on an agent's behalf.
    ///
    /// Its id, `bot`, is one no client can hold: users' ids are lower-case UUIDs and guests' are
    /// `guest-…`, both made by the server, and identities only come from tokens the server
    /// signed. So a command with this identity comes from the server's own code (the bot
    /// service, the routes), never from a client. It has no role, so to other apps it is a guest.
    public static let chatServer = Identity(id: "bot", name: "Assistant", role: nil, username: nil)

    /// Whether this is ``chatServer`` (by id: the server may give its bot another name).
    public var isChatServer: Bool { self.id == Identity.chatServer.id }

    /// Whether this is a user with the role `agent` (the Chat app's live humans).
    public var isAgent: Bool { self.role == .agent }
}
