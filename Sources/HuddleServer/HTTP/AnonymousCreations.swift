import HuddleCore
import Hummingbird

/// What guests and token-less clients may create per client address: counters (the seed's
/// `GET /counter/{id}` and the increment that makes a new one), boards, tournaments and chats.
///
/// Signed-in users are not counted: their account answers for them, and registrations are
/// limited per address already. The count is the login throttle's (per replica, in memory,
/// a fixed window per address), keyed by the client address as the login limits see it.
struct AnonymousCreations: Sendable {
    let throttle: LoginThrottle
    let trustedProxies: TrustedProxies

    /// The client address to count the request against, or nil when a user sent it.
    func client(_ request: Request, _ context: AppRequestContext) -> String? {
        guard context.identity?.isGuest ?? true else { return nil }
        return self.trustedProxies.client(of: request, context)
    }

    /// The 429 (with `Retry-After`) for `client` while it is over its limit.
    func refusal(_ client: String?) -> APIError? {
        guard let client, let wait = self.throttle.retryAfter(client) else { return nil }
        return APIError(.tooManyRequests, "Too many new things from here; try again in \(wait) seconds, or sign in.", retryAfter: wait)
    }

    func record(_ client: String?) {
        guard let client else { return }
        self.throttle.recordFailure(client)
    }

    /// Admits and counts a request that always creates (a board, a tournament, a chat).
    func admit(_ request: Request, _ context: AppRequestContext) throws {
        let client = self.client(request, context)
        if let refusal = self.refusal(client) { throw refusal }
        self.record(client)
    }
}
