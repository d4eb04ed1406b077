import CoreMetrics
public import Prometheus

/// The process's Prometheus registry, behind swift-metrics.
///
/// swift-metrics can be bootstrapped once per process, and tests build many applications in
/// one process, so the registry is a lazily created process-wide value.
public enum HuddleMetrics {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Makes sure every metric created from now on lands in ``registry``.
    public static func bootstrap() {
        _ = Self.registry
    }
}
