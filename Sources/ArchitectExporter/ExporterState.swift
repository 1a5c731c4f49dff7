// What `/metrics` serves: the last good collection, rendered to the Prometheus text format once per collection
// (never per scrape), followed by the exporter's own metrics, which are live. A failed collection keeps the
// last good text and sets the success gauge to 0.

import ArchitectCore
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Prometheus

/// What one collection produced.
public struct CollectionOutcome: Sendable {
    /// The metric families read; nil when the collection failed (nothing to serve from it).
    public var families: [MetricFamily]?
    /// false when some reads failed: the families hold what was read.
    public var complete: Bool
    public var missing: [String]
    /// Why the collection failed, when it did.
    public var error: String?
    /// How long the collection took.
    public var seconds: Double
    /// When it finished, seconds since 1970.
    public var finishedAt: Double

    public init(
        families: [MetricFamily]?, complete: Bool = true, missing: [String] = [], error: String? = nil,
        seconds: Double, finishedAt: Double
    ) {
        self.families = families
        self.complete = complete
        self.missing = missing
        self.error = error
        self.seconds = seconds
        self.finishedAt = finishedAt
    }
}

public final class ExporterState: Sendable {
    struct Served {
        var body: ByteBuffer
        var series: Int
        var lastSuccess: Double?
        var lastOutcome: String
    }
    private let served = NIOLockedValueBox(
        Served(body: ByteBuffer(), series: 0, lastSuccess: nil, lastOutcome: "no collection yet"))
    /// The exporter's own metrics (collection outcome, durations, scrapes), emitted on every scrape.
    let registry = PrometheusCollectorRegistry()
    let success: Gauge
    let complete: Gauge
    let duration: Gauge
    let lastSuccess: Gauge
    let series: Gauge
    let interval: Gauge
    let collections: [String: Counter]
    let scrapes: DurationHistogram

    static func name(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    public init(intervalSeconds: Double) {
        let p = "kafka_architect_exporter_"
        let r = registry
        success = r.makeGauge(
            descriptor: Self.name(
                p + "collection_success", "1 if the last collection from Kafka succeeded, 0 if it failed"))
        complete = r.makeGauge(
            descriptor: Self.name(
                p + "collection_complete", "1 if the collection served read everything it needs, 0 if partial"))
        duration = r.makeGauge(
            descriptor: Self.name(
                p + "collection_duration_seconds", "How long the last collection from Kafka took, seconds"))
        lastSuccess = r.makeGauge(
            descriptor: Self.name(
                p + "last_success_timestamp_seconds", "When the collection served now finished, seconds since 1970"))
        series = r.makeGauge(descriptor: Self.name(p + "series", "Samples in the collection served now"))
        interval = r.makeGauge(
            descriptor: Self.name(p + "collection_interval_seconds", "The collection interval (--interval), seconds"))
        interval.set(to: intervalSeconds)
        var counters: [String: Counter] = [:]
        for result in ["success", "partial", "failure"] {
            counters[result] = r.makeCounter(
                descriptor: Self.name(p + "collections_total", "Collections from Kafka, by result"),
                labels: [("result", result)])
        }
        collections = counters
        scrapes = r.makeDurationHistogram(
            descriptor: Self.name(
                p + "scrape_duration_seconds",
                "Time to answer GET /metrics, from the request to the last byte written, seconds"),
            buckets: [
                .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                .milliseconds(100), .milliseconds(250), .milliseconds(1000),
            ])
    }

    /// Takes a collection's outcome: a successful one replaces what is served, a failed one keeps it.
    public func publish(_ o: CollectionOutcome) {
        duration.set(to: o.seconds)
        guard let families = o.families else {
            success.set(to: 0)
            collections["failure"]?.increment()
            served.withLockedValue { $0.lastOutcome = "failed: \(o.error ?? "unknown error")" }
            return
        }
        let text = PrometheusText.render(families)
        var buffer = ByteBufferAllocator().buffer(capacity: text.count)
        buffer.writeBytes(text)
        let count = families.reduce(0) { $0 + $1.samples.count }
        success.set(to: 1)
        complete.set(to: o.complete ? 1 : 0)
        lastSuccess.set(to: o.finishedAt)
        series.set(to: Double(count))
        collections[o.complete ? "success" : "partial"]?.increment()
        let outcome = o.complete ? "ok" : "partial: \(o.missing.joined(separator: "; "))"
        served.withLockedValue { [buffer] in
            $0.body = buffer
            $0.series = count
            $0.lastSuccess = o.finishedAt
            $0.lastOutcome = outcome
        }
    }

    /// The collection's text and the exporter's own metrics, for one scrape.
    func metrics() -> (collection: ByteBuffer, own: [UInt8]) {
        (served.withLockedValue { $0.body }, registry.emitToBuffer())
    }

    /// A line for /healthz: the last collection's outcome and when the served one finished.
    func health() -> String {
        served.withLockedValue { s in
            let at = s.lastSuccess.map { String(format: "%.3f", $0) } ?? "never"
            return "ok\nlast collection: \(s.lastOutcome)\nserving the collection of \(at) (\(s.series) samples)\n"
        }
    }

    func recordScrape(_ seconds: Double) {
        scrapes.recordNanoseconds(Int64(max(0, seconds) * 1e9))
    }
}

/// Metric families in the Prometheus text exposition format, through swift-prometheus.
public enum PrometheusText {
    public static func render(_ families: [MetricFamily]) -> [UInt8] {
        let registry = PrometheusCollectorRegistry()
        for f in families {
            for s in f.samples {
                let labels = s.labels.map { ($0.name, $0.value) }
                let d = ExporterState.name(f.name, f.help)
                switch f.kind {
                case .gauge: registry.makeGauge(descriptor: d, labels: labels).set(to: s.value)
                case .counter: registry.makeCounter(descriptor: d, labels: labels).increment(by: s.value)
                }
            }
        }
        return registry.emitToBuffer()
    }
}
