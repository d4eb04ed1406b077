import HuddleCore
import Synchronization

extension Session {
    /// `{"type":"auth","token":"…"}`: the connection takes on the identity of an access token.
    ///
    /// A connection may switch identity only before it subscribes, because its presence entries
    /// carry its name; later it may only renew the same user's identity (a refreshed token, a
    /// changed role). A refused token leaves the connection as it was (a guest, usually) and
    /// counts as a bad frame, which keeps token guessing slow.
    func authenticate(_ frame: ClientFrame) async -> Outcome {
        guard let token = frame.token, (1...8192).contains(token.utf8.count) else {
            return self.reject(frame.id, nil, .badRequest, "an auth frame needs a 'token': an access token")
        }
        guard let identity = await self.dependencies.authenticate(token) else {
            return self.reject(
                frame.id, nil, .unauthorized,
                "the token is not valid (expired, altered, or the account is deactivated); refresh it and send auth again")
        }
        let mayChange = self.requested.isEmpty
        let accepted = self.snapshot.withLock { snapshot in
            if snapshot.identity.id == identity.id {
                snapshot.identity = identity
                return true
            }
            guard mayChange else { return false }
            snapshot.identity = identity
            snapshot.member = PresenceMember(id: self.id, name: identity.name)
            return true
        }
        guard accepted else {
            return self.reject(
                frame.id, nil, .badRequest, "authenticate before subscribing; reconnect to change who you are")
        }
        self.send(.authenticated(identity))
        return .ok
    }

    /// The account behind this connection changed (a role, a name): act as it is now.
    func reidentify(as identity: Identity) {
        let changed = self.snapshot.withLock { snapshot -> Bool in
            guard snapshot.identity.id == identity.id, snapshot.identity != identity else { return false }
            snapshot.identity = identity
            return true
        }
        if changed { self.send(.authenticated(identity)) }
    }
}
