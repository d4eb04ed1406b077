import HTTPTypes
import HuddleCore
import Hummingbird
import Logging
import CoreMetrics
import Metrics
import NIOCore
import Tracing

/// The edge of every HTTP request: a request id, errors turned into JSON, one log line, and
/// the request metrics. One middleware, so the logged status is the one the client got.
struct RequestMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let logger: Logger

    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        let requestID = Self.requestID(from: request)
        context.requestID = requestID
        context.logger[metadataKey: "requestId"] = .string(requestID)

        // The request's span continues the caller's trace when it sent one; everything the
        // request does (store writes, Redis commands) is its child.
        var traceContext = ServiceContext.topLevel
        InstrumentationSystem.instrument.extract(request.headers, into: &traceContext, using: TraceContextExtractor())
        return await withSpan(request.method.rawValue, context: traceContext, ofKind: .server) { span in
            var response: Response
            do {
                response = try await next(request, context)
            } catch {
                response = self.errorResponse(for: error, requestID: requestID, context: context)
            }
            response.headers[.requestID] = requestID
            Self.addSecurityHeaders(to: &response.headers)
            let route = context.endpointPath ?? "unmatched"
            // Without a tracer (the default) the span records nothing: skip building its attributes.
            if span.isRecording {
                Self.describe(span, request: request, route: route, status: response.status, requestID: requestID)
            }
            InstrumentationSystem.instrument.inject(span.context, into: &response.headers, using: TraceContextInjector())
            self.record(request, response: response, route: route, elapsed: ContinuousClock.now - start, context: context)
            return response
        }
    }

    /// The HTTP semantic conventions' attributes; a server error marks the span failed.
    private static func describe(
        _ span: any Span, request: Request, route: String, status: HTTPResponse.Status, requestID: String
    ) {
        span.operationName = "\(request.method.rawValue) \(route)"
        span.attributes["http.request.method"] = request.method.rawValue
        span.attributes["http.route"] = route
        span.attributes["url.path"] = request.uri.path
        span.attributes["http.response.status_code"] = Int(status.code)
        span.attributes["huddle.request_id"] = requestID
        if status.code >= 500 {
            span.setStatus(SpanStatus(code: .error))
        }
    }

    /// The request's metrics and its log line (which carries the trace id when tracing is on).
    private func record(_ request: Request, response: Response, route: String, elapsed: Duration, context: AppRequestContext) {
        let dimensions = [("method", request.method.rawValue), ("route", route), ("status", String(response.status.code))]
        Counter(label: "huddle_http_requests_total", dimensions: dimensions).increment()
        Timer(label: "huddle_http_request_duration_seconds", dimensions: dimensions).recordNanoseconds(elapsed.nanoseconds)
        self.logger.info(
            "request",
            metadata: [
                "requestId": .string(context.requestID),
                "method": .string(request.method.rawValue),
                "path": .string(request.uri.path),
                "status": .stringConvertible(response.status.code),
                "elapsedMs": .stringConvertible((elapsed.milliseconds * 1000).rounded() / 1000),
                "user": .string(context.requestLog.user ?? "-"),
            ]
        )
    }

    private func errorResponse(for error: any Error, requestID: String, context: AppRequestContext) -> Response {
        let apiError: APIError
        switch error {
        case let error as APIError:
            apiError = error
        case let error as HTTPError:
            apiError = APIError(error.status, error.body ?? error.status.reasonPhrase)
        case EventStoreError.unavailable:
            apiError = APIError(.serviceUnavailable, "The store is unavailable; try again shortly.")
        case let rejection as CommandRejection:
            // An app refusing a command over HTTP: the same code as over the WebSocket.
            apiError = APIError(
                HTTPResponse.Status(code: rejection.code.httpStatus), code: rejection.code.rawValue, rejection.message)
        case EventStoreError.conflict(let stream, let expected, let actual):
            apiError = APIError(.conflict, "\(stream) is at offset \(actual), not \(expected).")
        case is NIOTooManyBytesError:
            apiError = APIError(.contentTooLarge, "The request body is larger than \(context.maxUploadSize) bytes.")
        case let error as InvalidFields:
            apiError = APIError(
                .badRequest, "Some fields are invalid.",
                fields: Dictionary(uniqueKeysWithValues: error.fields.map { ($0.key.rawValue, $0.value) }))
        case let error as InvalidTournamentInput:
            apiError = APIError(.badRequest, "Some fields are invalid.", fields: error.fields)
        case AccountsError.taken(let field):
            apiError = APIError(
                .conflict, "That \(field.rawValue) is already taken.", fields: [field.rawValue: "Already taken."])
        default:
            context.logger.error("Unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            apiError = APIError(.internalServerError, "Something went wrong on our side.")
        }
        return Self.jsonError(apiError, requestID: requestID)
    }

    /// The body of every error: `{"error", "message", "requestId", "fields"?}`.
    struct ErrorBody: Encodable {
        var error: String
        var message: String
        var requestId: String
        var fields: [String: String]?
    }

    static func jsonError(_ error: APIError, requestID: String) -> Response {
        var headers = HTTPFields()
        if let retryAfter = error.retryAfter {
            headers[.retryAfter] = String(retryAfter)
        } else if error.status == .tooManyRequests || error.status == .serviceUnavailable {
            headers[.retryAfter] = "1"
        }
        if error.status == .unauthorized {
            headers[.wwwAuthenticate] = "Bearer"
        }
        let body = ErrorBody(error: error.code, message: error.message, requestId: requestID, fields: error.fields)
        // Strings and a dictionary of strings always encode.
        return try! JSONResponse.make(body, status: error.status, headers: headers)
    }

    /// On every response, pages and API alike. The pages load only their own scripts and
    /// styles (no inline script, no CDN), talk only to their own origin, and are never framed.
    static func addSecurityHeaders(to headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "same-origin"
        headers[.xFrameOptions] = "DENY"
        headers[.crossOriginOpenerPolicy] = "same-origin"
    }

    /// Keeps a client's (or load balancer's) id when it is short and plain, so that one id
    /// follows a request through every hop; otherwise makes a new one.
    static func requestID(from request: Request) -> String {
        if let given = request.headers[.requestID], (1...64).contains(given.utf8.count),
            given.utf8.allSatisfy({ $0.isSafeIDByte })
        {
            return given
        }
        var generator = SystemRandomNumberGenerator()
        return String(generator.next() as UInt64, radix: 16, uppercase: false).leftPadded(to: 16)
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let crossOriginOpenerPolicy = Self("Cross-Origin-Opener-Policy")!
}

extension UInt8 {
    fileprivate var isSafeIDByte: Bool {
        switch self {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            true
        default:
            false
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - self.count)) + self
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    var milliseconds: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
