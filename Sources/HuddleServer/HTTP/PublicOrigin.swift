#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird

/// Where people reach this server, for links it renders rather than the browser (a
/// tournament's join link in its QR code): the `public-url` setting, or else the scheme and
/// `Host` the request came with. The scheme is `https` only when a trusted proxy says so in
/// `X-Forwarded-Proto`: Huddle itself serves plain HTTP.
public struct PublicOrigin: Sendable {
    /// `https://huddle.example.com` or `https://example.com/huddle`, without a trailing slash.
    let configured: String?
    let trustedProxies: TrustedProxies

    /// Checks a configured `public-url`: http or https, a host, no query or fragment.
    public init(configured: String?, trustedProxies: TrustedProxies) throws {
        if let configured {
            guard let url = URL(string: configured), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
                url.host?.isEmpty == false, url.query == nil, url.fragment == nil, url.user == nil
            else {
                throw ConfigurationError(
                    description: "public-url (HUDDLE_PUBLIC_URL) must be an http or https URL such as https://huddle.example.com, not \(configured)")
            }
            var text = configured
            while text.hasSuffix("/") { text.removeLast() }
            self.configured = text
        } else {
            self.configured = nil
        }
        self.trustedProxies = trustedProxies
    }

    /// The origin (and path prefix) links start with; 400 for a request whose `Host` cannot be
    /// part of a URL, when none is configured.
    func origin(of request: Request, _ context: AppRequestContext) throws -> String {
        if let configured { return configured }
        guard let host = request.headers[.hostHeader] ?? request.head.authority, Self.isHost(host) else {
            throw APIError(.badRequest, "The request's Host cannot be put in a link; the operator can set public-url.")
        }
        let peer = context.channel.remoteAddress?.ipAddress ?? ""
        let forwarded = request.headers[.xForwardedProto]?.lowercased()
        let scheme = self.trustedProxies.isTrusted(peer) && forwarded == "https" ? "https" : "http"
        return "\(scheme)://\(host)"
    }

    /// A host name, IPv4 or bracketed IPv6 address, with an optional port: nothing that could
    /// end the authority or start a path.
    static func isHost(_ text: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
        return (1...255).contains(text.utf8.count) && text.allSatisfy(allowed.contains) && !text.hasPrefix(":")
    }
}
