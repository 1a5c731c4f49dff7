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
        /// When the last collection (of any outcome) was published, or the exporter started.
        var lastAttempt: Double
    }
    private let served = NIOLockedValueBox(
        Served(
            body: ByteBuffer(), series: 0, lastSuccess: nil, lastOutcome: "no collection yet",
            lastAttempt: Date().timeIntervalSince1970))
    /// Seconds without a published collection after which /healthz fails (the loop is wedged).
    let staleAfter: Double
    /// Open HTTP connections, and the most there may be (each may hold a collection's text while it is written).
    private let connections = NIOLockedValueBox(0)
    public static let maxConnections = 64

    /// Counts a new connection; false when there are already `maxConnections` (it is then closed).
    func connectionOpened() -> Bool {
        connections.withLockedValue {
            $0 += 1
            return $0 <= Self.maxConnections
        }
    }

    func connectionClosed() { connections.withLockedValue { $0 -= 1 } }
    /// The exporter's own metrics (collection outcome, durations, scrapes), emitted on every scrape.
    let registry = PrometheusCollectorRegistry()
    let success: Gauge
    let complete: Gauge
    let duration: Gauge
    let lastSuccess: Gauge
    let series: Gauge
    let render: Gauge
    let interval: Gauge
    let collections: [String: Counter]
    let scrapes: DurationHistogram

    static func name(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    public init(intervalSeconds: Double, staleAfter: Double = .infinity) {
        self.staleAfter = staleAfter
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
        render = r.makeGauge(
            descriptor: Self.name(
                p + "render_duration_seconds", "How long the served collection took to render as text, seconds"))
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
            served.withLockedValue {
                $0.lastOutcome = "failed: \(o.error ?? "unknown error")"
                $0.lastAttempt = o.finishedAt
            }
            return
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let text = PrometheusText.render(families)
        render.set(to: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        var buffer = ByteBufferAllocator().buffer(capacity: text.count)
        buffer.writeBytes(text)
        let count = families.reduce(0) { $0 + $1.samples.count }
        success.set(to: 1)
        complete.set(to: o.complete ? 1 : 0)
        lastSuccess.set(to: o.finishedAt)
        series.set(to: Double(count))
        collections[o.complete ? "success" : "partial"]?.increment()
        let outcome = o.complete ? "ok" : "partial: \(Self.summary(o.missing))"
        served.withLockedValue { [buffer] in
            $0.body = buffer
            $0.series = count
            $0.lastSuccess = o.finishedAt
            $0.lastOutcome = outcome
            $0.lastAttempt = o.finishedAt
        }
    }

    /// The collection's text and the exporter's own metrics, for one scrape.
    func metrics() -> (collection: ByteBuffer, own: [UInt8]) {
        (served.withLockedValue { $0.body }, registry.emitToBuffer())
    }

    /// /healthz: ok with the last collection's outcome and when the served one finished — even when Kafka is away
    /// (restarting the exporter would not bring it back); not ok when no collection ended for `staleAfter`.
    func health(now: Double = Date().timeIntervalSince1970) -> (ok: Bool, text: String) {
        served.withLockedValue { s in
            let at = s.lastSuccess.map { String(format: "%.3f", $0) } ?? "never"
            let detail = "last collection: \(s.lastOutcome)\nserving the collection of \(at) (\(s.series) samples)\n"
            let idle = now - s.lastAttempt
            if idle > staleAfter {
                return (false, "stalled: no collection ended for \(Int(idle)) s\n" + detail)
            }
            return (true, "ok\n" + detail)
        }
    }

    /// At most five entries, then how many more: a failed coordinator of thousands of groups is one line.
    static func summary(_ items: [String]) -> String {
        let shown = items.prefix(5).joined(separator: "; ")
        return items.count > 5 ? shown + "; … and \(items.count - 5) more" : shown
    }

    func recordScrape(_ seconds: Double) {
        scrapes.recordNanoseconds(Int64(max(0, seconds) * 1e9))
    }
}

/// Metric families in the Prometheus text exposition format (version 0.0.4), written directly: a collection of
/// 10,000 groups is some 140,000 samples, which a registry of one object per sample renders many times slower.
/// Families come sorted by name and samples in the collection's order, so the same collection gives the same bytes.
/// The exporter's own live metrics go through swift-prometheus's registry (ExporterState).
public enum PrometheusText {
    public static func render(_ families: [MetricFamily]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(families.reduce(0) { $0 + $1.samples.count } * 96)
        for f in families where !f.samples.isEmpty {
            out += Array("# HELP \(f.name) ".utf8)
            for b in f.help.utf8 {
                switch b {
                case UInt8(ascii: "\\"): out += Array(#"\\"#.utf8)
                case UInt8(ascii: "\n"): out += Array(#"\n"#.utf8)
                default: out.append(b)
                }
            }
            out += Array("\n# TYPE \(f.name) \(f.kind.rawValue)\n".utf8)
            let name = Array(f.name.utf8)
            for s in f.samples {
                out += name
                if !s.labels.isEmpty {
                    out.append(UInt8(ascii: "{"))
                    for (i, l) in s.labels.enumerated() {
                        if i > 0 { out.append(UInt8(ascii: ",")) }
                        out += Array(l.name.utf8)
                        out += Array(#"=""#.utf8)
                        escape(l.value, into: &out)
                        out.append(UInt8(ascii: "\""))
                    }
                    out.append(UInt8(ascii: "}"))
                }
                out.append(UInt8(ascii: " "))
                out += Array(number(s.value).utf8)
                out.append(UInt8(ascii: "\n"))
            }
        }
        return out
    }

    /// A label value: backslash, double quote and line feed escaped.
    static func escape(_ value: String, into out: inout [UInt8]) {
        for b in value.utf8 {
            switch b {
            case UInt8(ascii: "\\"): out += Array(#"\\"#.utf8)
            case UInt8(ascii: "\""): out += Array(#"\""#.utf8)
            case UInt8(ascii: "\n"): out += Array(#"\n"#.utf8)
            default: out.append(b)
            }
        }
    }

    /// Whole numbers without a fraction (offsets and counts up to 2^53 are exact), others as Swift prints a
    /// Double (shortest round-trip form); NaN and infinities as the text format spells them.
    static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 9_007_199_254_740_992 { return String(Int64(v)) }
        return "\(v)"
    }
}
