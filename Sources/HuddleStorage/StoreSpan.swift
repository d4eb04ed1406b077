import Tracing

/// The span of one store write, as a database client span: an append to `stream` or an
/// increment of a counter, its wait for a batch included (a no-op without a tracer).
enum StoreSpan {
    static func around<Result>(
        _ operation: String, system: String, key: String, _ body: () async throws -> Result
    ) async throws -> Result {
        try await withSpan("store.\(operation)", ofKind: .client) { span in
            span.attributes["db.system.name"] = system
            span.attributes["db.operation.name"] = operation
            span.attributes["huddle.store.key"] = key
            return try await body()
        }
    }
}
