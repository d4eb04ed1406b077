import Hummingbird

extension Request {
    /// A listing's `limit` query parameter: 1 to 200, 50 when absent; 400 otherwise.
    func listLimit() throws -> Int {
        guard let text = self.uri.queryParameters.get("limit") else { return 50 }
        guard let limit = Int(text), (1...200).contains(limit) else { throw APIError(.badRequest, "limit is 1 to 200.") }
        return limit
    }
}

extension Request {
    /// The JSON body decoded, or nil when the request has none (no `Content-Length`, or 0,
    /// and not chunked): for routes whose body is optional.
    func decodeIfSent<Value: Decodable>(as type: Value.Type, context: AppRequestContext) async throws -> Value? {
        let length = self.headers[.contentLength].flatMap { Int($0) }
        guard length.map({ $0 > 0 }) ?? (self.headers[.transferEncoding] != nil) else { return nil }
        return try await self.decode(as: type, context: context)
    }
}
