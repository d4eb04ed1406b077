#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPTypes
public import Hummingbird

/// Refuses, before any route sees them, requests that no route should serve: control bytes in
/// the path (`/js/app.js%00.html` would otherwise be served under a name cut at the NUL), and
/// cross-site requests to the endpoints that act on the refresh cookie and to the WebSocket.
///
/// A cross-site form can post without asking the browser's permission (no CORS preflight), and
/// the cookie goes with it: checking `Origin` here, and that a JSON body is declared
/// `application/json` (``JSONRequestDecoder``, which a form cannot send), stops it from logging
/// a victim into the attacker's account (login CSRF) or refreshing their session.
struct RequestGuard: RouterMiddleware {
    typealias Context = AppRequestContext

    let origins: AllowedOrigins
    /// The realtime route of `buildRouter` (spelled out there, where the route test reads it).
    static let realtimePath = "/api/v1/realtime"

    func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        if Self.hasControlBytes(path) {
            throw APIError(.badRequest, "The path holds control characters.")
        }
        // The realtime upgrade carries the session cookie too.
        let usesCookie = (path.hasPrefix(AuthRoutes.cookiePath + "/") && request.method == .post) || path == Self.realtimePath
        if usesCookie, !self.origins.allows(request) {
            throw APIError(.forbidden, code: "cross_origin", "Pages of another site may not use the session cookie or the WebSocket.")
        }
        return try await next(request, context)
    }

    /// Raw or percent-encoded bytes below 0x20, and DEL.
    static func hasControlBytes(_ path: String) -> Bool {
        let bytes = Array(path.utf8)
        for (index, byte) in bytes.enumerated() {
            if byte < 0x20 || byte == 0x7F { return true }
            guard byte == UInt8(ascii: "%"), index + 2 < bytes.count, let high = Self.hex(bytes[index + 1]),
                let low = Self.hex(bytes[index + 2])
            else { continue }
            let decoded = high << 4 | low
            if decoded < 0x20 || decoded == 0x7F { return true }
        }
        return false
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// The origins whose pages may use the session cookie and open the realtime WebSocket: the
/// server's own (the `Origin` names the host the request was sent to) and those configured
/// with `public-origins`. A request without `Origin`, or with a `ws:`/`wss:` one, comes from
/// no browser page (a browser sends its page's `http(s)` origin, or `null`): a script or a
/// server, with no ambient authority, so it is let through.
public struct AllowedOrigins: Sendable {
    /// `https://huddle.example.com`, lower-cased, without a trailing slash.
    var listed: Set<String> = []

    public init(parsing text: String?) {
        self.listed = Set(
            (text ?? "").split(separator: ",").map { String($0).trimmingSpaces.lowercased() }
                .map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
                .filter { !$0.isEmpty })
    }

    func allows(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin]?.lowercased() else { return true }
        if origin.hasPrefix("ws://") || origin.hasPrefix("wss://") { return true }
        if self.listed.contains(origin) { return true }
        // HTTP/1.1's Host header is the request's authority.
        guard let host = request.head.authority?.lowercased() else { return false }
        return origin == "http://" + host || origin == "https://" + host
    }
}

/// Decodes request bodies as JSON, and only bodies that say they are JSON (415 otherwise).
public struct JSONRequestDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let mediaType = request.headers[.contentType]?.split(separator: ";", maxSplits: 1).first
            .map { String($0).trimmingSpaces.lowercased() }
        guard mediaType == "application/json" else {
            throw APIError(.unsupportedMediaType, "Send JSON, with Content-Type: application/json.")
        }
        return try await JSONDecoder().decode(type, from: request, context: context)
    }
}
