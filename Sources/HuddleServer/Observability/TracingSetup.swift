public import Logging
import OTel
public import ServiceLifecycle
import Tracing

/// OpenTelemetry tracing: spans for HTTP requests, realtime commands, store writes and Redis
/// commands, exported over OTLP/HTTP by swift-otel. Off unless an endpoint is configured
/// (`otlp-endpoint`, or the standard `OTEL_EXPORTER_OTLP_ENDPOINT` /
/// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`); the other standard `OTEL_*` variables (service
/// name, sampler, batch delays, headers, protocol) apply as swift-otel reads them.
///
/// Off, every span in the code goes to swift-distributed-tracing's no-op tracer.
public struct TracingSetup: Sendable {
    private let environment: [String: String]

    /// `endpoint` is the `otlp-endpoint` setting; it wins over the environment's, as flags do.
    public init(endpoint: String?, environment: [String: String]) {
        var environment = environment
        if let endpoint {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint
            environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = nil
        }
        self.environment = environment
    }

    /// Where spans go.
    var endpoint: String? {
        self.environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] ?? self.environment["OTEL_EXPORTER_OTLP_ENDPOINT"]
    }

    /// The endpoint for the start-up log line, without any user or password in it.
    public var endpointForLog: String? {
        guard let endpoint = self.endpoint else { return nil }
        guard let scheme = endpoint.firstRange(of: "://"), let at = endpoint[scheme.upperBound...].firstIndex(of: "@"),
            !endpoint[scheme.upperBound..<at].contains("/")
        else { return endpoint }
        return String(endpoint[..<scheme.upperBound]) + "…@" + endpoint[endpoint.index(after: at)...]
    }

    public var isEnabled: Bool {
        let off = ["true", "1"].contains(self.environment["OTEL_SDK_DISABLED"]?.lowercased())
            || self.environment["OTEL_TRACES_EXPORTER"]?.lowercased() == "none"
        return !off
            && self.endpoint != nil
    }

    /// Puts the current span's ids on every log line written inside it (`traceId`, `spanId`),
    /// so that a request's log line leads to its trace. Nil when tracing is off.
    public var logMetadata: Logger.MetadataProvider? {
        guard self.isEnabled else { return nil }
        var keys = OTel.Configuration.LoggingMetadataProviderConfiguration.default
        keys.traceIDKey = "traceId"
        keys.spanIDKey = "spanId"
        keys.traceFlagsKey = "traceFlags"
        return OTel.makeLoggingMetadataProvider(configuration: keys)
    }

    /// Installs the process's tracer and returns the service that batches and exports its
    /// spans (run it first in the service group, so that it stops last and flushes the rest);
    /// nil when tracing is off. Call once, after logging is set up.
    public func start() throws -> (any Service)? {
        guard self.isEnabled else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = "huddle"
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.exporter = .otlp
        // swift-otel's own troubles (an export that failed), not its start-up chatter.
        configuration.diagnosticLogger = .custom(Logger(label: "huddle.otel"))
        configuration.diagnosticLogLevel = .warning
        return try OTel.bootstrap(configuration: configuration, environment: self.environment)
    }
}
