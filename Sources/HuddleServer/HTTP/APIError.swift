public import HTTPTypes

/// An error meant for the client: a status, a machine-readable code and a human message.
///
/// Everything else that escapes a route is logged and answered with a bare 500, so that no
/// internal detail leaks.
public struct APIError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// Per-field messages for invalid input (`{"fields": {"email": "…"}}`), so forms can show
    /// each next to its field.
    public var fields: [String: String]?
    /// Seconds for `Retry-After` (429 and 503 default to 1).
    public var retryAfter: Int?

    public init(
        _ status: HTTPResponse.Status, code: String? = nil, _ message: String, fields: [String: String]? = nil,
        retryAfter: Int? = nil
    ) {
        self.status = status
        self.code = code ?? Self.code(for: status)
        self.message = message
        self.fields = fields
        self.retryAfter = retryAfter
    }

    /// The `error` field for a status: `not_found`, `bad_request`…
    static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 409: "conflict"
        case 413: "payload_too_large"
        case 415: "unsupported_media_type"
        case 429: "rate_limited"
        case 503: "unavailable"
        case 500..<600: "internal"
        default: String(status.reasonPhrase.lowercased().map { $0 == " " ? "_" : $0 })
        }
    }
}
