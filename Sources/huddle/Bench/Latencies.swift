import Histogram

/// Latencies in microseconds, in an HdrHistogram (3 significant digits, up to 10 minutes):
/// exact enough at every percentile, constant memory however long the run.
struct Latencies: Sendable {
    private(set) var histogram = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)

    mutating func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let micros = max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        _ = self.histogram.record(UInt64(min(micros, 600_000_000)))
    }

    mutating func add(_ other: Latencies) {
        self.histogram.add(other.histogram)
    }

    var count: UInt64 { self.histogram.totalCount }

    /// Milliseconds at a percentile (0 when nothing was recorded).
    func milliseconds(at percentile: Double) -> Double {
        guard self.count > 0 else { return 0 }
        return Double(self.histogram.valueAtPercentile(percentile)) / 1000
    }

    /// The mean, for comparison with tools that report only that (k6's `avg`).
    var averageMilliseconds: Double { self.histogram.mean / 1000 }

    var maxMilliseconds: Double { self.count > 0 ? Double(self.histogram.max) / 1000 : 0 }

    /// `p50 1.23 ms  p99 …  p99.9 …  max …`
    var summary: String {
        "p50 \(Self.format(self.milliseconds(at: 50))) ms  p99 \(Self.format(self.milliseconds(at: 99))) ms  "
            + "p99.9 \(Self.format(self.milliseconds(at: 99.9))) ms  max \(Self.format(self.maxMilliseconds)) ms"
    }

    /// The JSON members `"p50Ms":…,"p99Ms":…,"p999Ms":…,"maxMs":…` (no braces).
    var jsonMembers: String {
        #""p50Ms":\#(self.milliseconds(at: 50)),"p99Ms":\#(self.milliseconds(at: 99)),"#
            + #""p999Ms":\#(self.milliseconds(at: 99.9)),"maxMs":\#(self.maxMilliseconds)"#
    }

    static func format(_ value: Double) -> String {
        String(Double(Int((value * 100).rounded())) / 100)
    }
}
