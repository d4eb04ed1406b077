import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPTypes
import HuddleCore
import HuddleGateway
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// Who may open the realtime WebSocket, decided at the upgrade: the path, the replica not
/// draining, the page's `Origin`, and who the request authenticates as (a bearer token or the
/// refresh cookie). What it refuses goes on as a plain HTTP request, which the router answers
/// with the reason (`buildRouter`'s realtime route, ``RequestGuard``).
struct RealtimeAdmission: Sendable {
    let gateway: Gateway
    let readiness: Readiness
    let origins: AllowedOrigins
    let identify: @Sendable (Request) async -> Identity?

    /// Whether `request` may upgrade here: decided at once, on the channel's loop (see
    /// ``RealtimeUpgrader/refused``).
    func admits(_ request: Request) -> Bool {
        request.method == .get && request.uri.path == RequestGuard.realtimePath && self.readiness.state != .draining
            && self.origins.allows(request)
    }

    /// The display name a guest asked for and who authenticated at the upgrade, if anyone.
    func admit(_ request: Request) async -> (name: String?, identity: Identity?) {
        let name = request.uri.queryParameters.get("name").flatMap(AccountValidation.displayName)
        return (name, await self.identify(request))
    }
}

/// The WebSocket upgrade of one connection (RFC 6455 §4.2): NIO's HTTP upgrade handler asks it
/// for the 101's headers, then hands it the channel, where the gateway's transport takes over.
struct RealtimeUpgrader: NIOTypedHTTPServerProtocolUpgrader {
    typealias UpgradeResult = RealtimeUpgradeChannel.Negotiated

    struct Refused: Error {}

    let admission: RealtimeAdmission
    /// What ``buildUpgradeResponse`` admitted, for ``upgrade``: both run on the channel's loop.
    let admitted: NIOLoopBoundBox<(name: String?, identity: Identity?)?>
    /// The request ``buildUpgradeResponse`` refused. NIO's upgrade handler does not pass the head
    /// of a refused upgrade on to the HTTP pipeline it then builds, so ``RealtimeUpgradeChannel``
    /// hands it to the router from here, which answers it (403, 503 or 400, as JSON). Refusals
    /// are decided synchronously, while the request's end is still to come: NIO passes that on.
    let refused: NIOLoopBoundBox<HTTPRequestHead?>

    var supportedProtocol: String { "websocket" }
    var requiredUpgradeHeaders: [String] { [] }

    func buildUpgradeResponse(
        channel: any Channel, upgradeRequest: HTTPRequestHead, initialResponseHeaders: HTTPHeaders
    ) -> EventLoopFuture<HTTPHeaders> {
        guard let accept = Self.acceptKey(for: upgradeRequest.headers),
            let head = try? HTTPRequest(upgradeRequest, secure: false, splitCookie: false),
            self.admission.admits(Request(head: head, body: .init(buffer: ByteBuffer())))
        else {
            self.refused.value = upgradeRequest
            return channel.eventLoop.makeFailedFuture(Refused())
        }
        let request = Request(head: head, body: .init(buffer: ByteBuffer()))
        let admission = self.admission
        let promise = channel.eventLoop.makePromise(of: (name: String?, identity: Identity?).self)
        promise.completeWithTask { await admission.admit(request) }
        let box = self.admitted
        let requestID = RequestMiddleware.requestID(from: request)
        return promise.futureResult.map { admitted in
            box.value = admitted
            var headers = initialResponseHeaders
            headers.add(name: "Sec-WebSocket-Accept", value: accept)
            headers.add(name: "X-Request-Id", value: requestID)
            return headers
        }
    }

    func upgrade(channel: any Channel, upgradeRequest: HTTPRequestHead) -> EventLoopFuture<UpgradeResult> {
        channel.eventLoop.makeCompletedFuture {
            guard let admitted = self.admitted.value else { throw Refused() }
            try self.admission.gateway.open(channel: channel, name: admitted.name, identity: admitted.identity)
            return .realtime
        }
    }

    /// `Sec-WebSocket-Accept` for the request's key, or nil when it is not a version 13 upgrade.
    static func acceptKey(for headers: HTTPHeaders) -> String? {
        let keys = headers["Sec-WebSocket-Key"]
        guard keys.count == 1, let key = keys.first?.trimmingSpaces, !key.isEmpty,
            headers["Sec-WebSocket-Version"] == ["13"]
        else { return nil }
        let digest = Insecure.SHA1.hash(data: Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))
        return Data(digest).base64EncodedString()
    }
}
