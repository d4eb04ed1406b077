import Hummingbird

extension Request {
    /// A listing's `limit` query parameter: 1 to 200, 50 when absent; 400 otherwise.
    func listLimit() throws -> Int {
        guard let text = self.uri.queryParameters.get("limit") else { return 50 }
        guard let limit = Int(text), (1...200).contains(limit) else { throw APIError(.badRequest, "limit is 1 to 200.") }
        return limit
    }
}
