public import HuddleCore
public import Hummingbird
public import HummingbirdAuth
public import NIOCore
import Synchronization

/// The request context of every Huddle route.
public struct AppRequestContext: RequestContext, AuthRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    public let channel: any Channel
    /// Set by ``RequestMiddleware``; returned in `X-Request-Id` and every error body.
    public var requestID = ""
    /// Who sent the request, set by ``IdentityMiddleware`` from a valid bearer token.
    public var identity: Identity?
    /// Why a bearer token that came with the request was refused, for the 401 message.
    var tokenProblem: String?
    /// Shared by every copy of this context, so that the outermost middleware can log the user
    /// that an inner one identified.
    let requestLog = RequestLogNotes()

    /// JSON bodies only when declared JSON.
    public var requestDecoder: JSONRequestDecoder { JSONRequestDecoder() }
    /// Bytes a request body may have (413 past it): a board command is at most a few KB.
    public var maxUploadSize: Int { 256 * 1024 }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}

/// What inner middleware tells ``RequestMiddleware``'s log line.
final class RequestLogNotes: Sendable {
    private let storage = Mutex<String?>(nil)

    var user: String? {
        get { self.storage.withLock { $0 } }
        set { self.storage.withLock { $0 = newValue } }
    }
}
