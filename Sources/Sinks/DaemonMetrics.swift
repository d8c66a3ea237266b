import CoreMetrics
import Foundation
import Prometheus

/// The daemon's metrics, recorded through the swift-metrics API into a Prometheus registry of its
/// own (not the process-wide `MetricsSystem`, which can be bootstrapped only once: a test process
/// runs several daemons).
///
/// Names (all prefixed `beatmon_`): `samples_total`, `beats_total`, `dropped_tokens_total`,
/// `malformed_lines_total`, `xruns_total`, `reconnects_total`, `alerts_total{kind}`,
/// `sink_delivered_total{sink}` (events a remote sink delivered), `sink_retries_total{sink}`
/// (attempts made again after a failure), `sink_dropped_total{sink}` (refused by a full queue or
/// given up at shutdown), `sink_failures_total{sink}` (attempts or writes that failed: a syslog
/// collector down, a full disk), `block_processing_seconds` (histogram), `heart_rate_bpm`,
/// `rhythm_af` (1 during AF), `source_connected`.
public final class DaemonMetrics: Sendable {
    /// The registry the endpoint renders.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    /// Samples read from the source (frames × leads).
    public let samples: CoreMetrics.Counter
    /// Beats detected.
    public let beats: CoreMetrics.Counter
    /// Tokens dropped by the token ring.
    public let droppedTokens: CoreMetrics.Counter
    /// Malformed input lines the source skipped.
    public let malformedLines: CoreMetrics.Counter
    /// Overruns (xruns) the source reported.
    public let xruns: CoreMetrics.Counter
    /// Reconnections the source made.
    public let reconnects: CoreMetrics.Counter
    /// Wall time spent processing each block (excluding the wait for the source).
    public let blockProcessing: CoreMetrics.Timer
    /// Current heart rate.
    public let heartRate: CoreMetrics.Gauge
    /// 1 while an AF episode is open, else 0.
    public let rhythmAF: CoreMetrics.Gauge
    /// 1 while the source is open.
    public let sourceConnected: CoreMetrics.Gauge
    /// 1 while a monitor-wide technical alarm is raised (no lead usable).
    public let technicalAlarm: CoreMetrics.Gauge
    /// 1 while an asystole alarm is raised.
    public let asystole: CoreMetrics.Gauge

    /// Metrics in a fresh registry.
    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Blocks take well under a millisecond; the default buckets start at 5 ms.
        factory.durationHistogramBuckets["beatmon_block_processing_seconds"] = [
            .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
            .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(100),
        ]
        self.factory = factory
        samples = CoreMetrics.Counter(label: "beatmon_samples_total", factory: factory)
        beats = CoreMetrics.Counter(label: "beatmon_beats_total", factory: factory)
        droppedTokens = CoreMetrics.Counter(label: "beatmon_dropped_tokens_total", factory: factory)
        malformedLines = CoreMetrics.Counter(label: "beatmon_malformed_lines_total", factory: factory)
        xruns = CoreMetrics.Counter(label: "beatmon_xruns_total", factory: factory)
        reconnects = CoreMetrics.Counter(label: "beatmon_reconnects_total", factory: factory)
        blockProcessing = CoreMetrics.Timer(label: "beatmon_block_processing_seconds", factory: factory)
        heartRate = CoreMetrics.Gauge(label: "beatmon_heart_rate_bpm", factory: factory)
        rhythmAF = CoreMetrics.Gauge(label: "beatmon_rhythm_af", factory: factory)
        sourceConnected = CoreMetrics.Gauge(label: "beatmon_source_connected", factory: factory)
        technicalAlarm = CoreMetrics.Gauge(label: "beatmon_technical_alarm", factory: factory)
        asystole = CoreMetrics.Gauge(label: "beatmon_asystole", factory: factory)
    }

    /// Counts one alert or status event of `kind`.
    public func countAlert(_ kind: MonitorEvent.Kind) {
        CoreMetrics.Counter(label: "beatmon_alerts_total", dimensions: [("kind", kind.rawValue)], factory: factory).increment()
    }

    /// Counts `count` events dropped by the sink named `sink`.
    public func countSinkDrops(_ sink: String, count: Int) {
        guard count > 0 else { return }
        CoreMetrics.Counter(label: "beatmon_sink_dropped_total", dimensions: [("sink", sink)], factory: factory)
            .increment(by: count)
    }

    /// Counts one event delivered by the remote sink named `sink`.
    public func countSinkDelivered(_ sink: String) {
        CoreMetrics.Counter(label: "beatmon_sink_delivered_total", dimensions: [("sink", sink)], factory: factory).increment()
    }

    /// Counts one attempt made again by the remote sink named `sink` after a failure.
    public func countSinkRetry(_ sink: String) {
        CoreMetrics.Counter(label: "beatmon_sink_retries_total", dimensions: [("sink", sink)], factory: factory).increment()
    }

    /// Counts one failed delivery to (or write by) the sink named `sink`.
    public func countSinkFailure(_ sink: String) {
        CoreMetrics.Counter(label: "beatmon_sink_failures_total", dimensions: [("sink", sink)], factory: factory).increment()
    }

    /// The metrics as a session sink: beats, heart rate, the AF gauge and every event by kind.
    public var sink: MetricsSink { MetricsSink(metrics: self) }

    /// The Prometheus text exposition of everything recorded.
    public func render() -> String { registry.emitToString() }
}
