import HTTPTypes
public import Instrumentation

/// Reads W3C trace context (`traceparent`, `tracestate`) from a request's headers, so that a
/// client's or load balancer's trace continues through Huddle.
struct TraceContextExtractor: Extractor {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { carrier[$0] }
    }
}

/// Writes the trace context of a request's span into its response's headers, so that the
/// client learns the trace id of what it asked for.
struct TraceContextInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout HTTPFields) {
        if let name = HTTPField.Name(key) {
            carrier[name] = value
        }
    }
}
