// `bench` reports: text for people, Markdown for the hand-over, JSON for machines. Same report, same bytes.

import ArchitectCore

public struct BenchRenderer {
    public init() {}

    typealias A = BenchAnalysis

    public func text(_ r: BenchReport, _ v: BenchVerdict) -> String {
        var out: [String] = []
        out.append(
            "bench \(r.mode.rawValue) — topic \(r.topic) (\(r.partitions) partitions on \(r.leaders) leader\(r.leaders == 1 ? "" : "s"))"
        )
        out.append("  settings: \(settingsLine(r))")
        if let d = r.settings.defaulted { out.append("  note: \(d)") }
        out.append(
            "  measured: \(A.count(r.records)) records in \(Format.grouped(r.elapsedSeconds, decimals: 1)) s — \(A.count(r.recordsPerSecond)) records/s, \(A.bytes(r.bytesPerSecond))/s (\(A.bytes(r.wireBytesPerSecond))/s on the wire)"
        )
        if let l = r.latency { out.append("  \(latencyName(r)): \(latencyLine(l))") }
        if let l = r.ackLatency { out.append("  acknowledged (from due time): \(latencyLine(l))") }
        if let l = r.requestLatency { out.append("  request round trip: \(latencyLine(l))") }
        if let l = r.fetchLatency { out.append("  consumer fetch round trip (empty answers too): \(latencyLine(l))") }
        if r.latency != nil || r.requestLatency != nil { out.append("  (\(Self.precision))") }
        if r.mode != .consume {
            out.append(
                "  batches: \(A.count(r.batches)), average \(A.bytes(r.averageBatchBytes)) of batch.size \(A.bytes(Double(r.settings.batchSize))); \(A.count(r.requests)) requests; \(r.retries) retries; \(r.throttledResponses) throttled responses"
            )
        }
        out.append("  client CPU: \(Format.grouped(r.cores, decimals: 2, fixed: true)) cores")
        if let s = v.sustainedEvidence {
            out.append("  rate: \(v.sustained == true ? "sustained" : "NOT sustained") — \(s)")
        }
        if let p = r.plan {
            out.append(
                "  against the plan (\(p.file), topic \(p.workloadTopic)): \(A.bytes(p.measuredBytesPerBroker))/s per broker measured, \(A.bytes(p.plannedBytesPerBroker))/s per broker planned at peak on \(p.plannedBrokers) brokers"
            )
        }
        if let s = v.sloEvidence {
            out.append(
                "  latency SLO: \(v.sloMet == true ? "met" : v.sloMet == false ? "NOT met" : "not checked") — \(s)")
        }
        for (i, f) in v.findings.enumerated() {
            out.append("  \(i == 0 ? "bottleneck" : "also"): \(f.kind.rawValue) — \(f.evidence)")
            out.append("    change: \(f.change)")
        }
        for e in r.errors.sorted(by: { $0.key < $1.key }) { out.append("  error: \(e.key) ×\(e.value)") }
        for n in r.notes { out.append("  note: \(n)") }
        if !r.complete { out.append("  INCOMPLETE: " + r.missing.joined(separator: "; ")) }
        return out.joined(separator: "\n") + "\n"
    }

    public func markdown(_ r: BenchReport, _ v: BenchVerdict) -> String {
        var out: [String] = ["# Load test: \(r.mode.rawValue) on `\(r.topic)`", ""]
        out.append("Settings: \(settingsLine(r)).")
        out.append("")
        out.append("| measure | value |")
        out.append("|---|---|")
        out.append("| records | \(A.count(r.records)) in \(Format.grouped(r.elapsedSeconds, decimals: 1)) s |")
        out.append("| throughput | \(A.count(r.recordsPerSecond)) records/s, \(A.bytes(r.bytesPerSecond))/s |")
        if let l = r.latency { out.append("| \(latencyName(r)) | \(latencyLine(l)) |") }
        if let l = r.ackLatency { out.append("| acknowledged (from due time) | \(latencyLine(l)) |") }
        if let l = r.requestLatency { out.append("| request round trip | \(latencyLine(l)) |") }
        if let l = r.fetchLatency {
            out.append("| consumer fetch round trip (empty answers too) | \(latencyLine(l)) |")
        }
        out.append("| client CPU | \(Format.grouped(r.cores, decimals: 2, fixed: true)) cores |")
        if let s = v.sustainedEvidence {
            out.append("| rate | \(v.sustained == true ? "sustained" : "**not sustained**"): \(s) |")
        }
        if let s = v.sloEvidence { out.append("| latency SLO | \(v.sloMet == true ? "met" : "**not met**"): \(s) |") }
        out.append("")
        out.append("## Bottleneck")
        out.append("")
        for f in v.findings { out.append("- **\(f.kind.rawValue)**: \(f.evidence). Change: \(f.change).") }
        if r.latency != nil || r.requestLatency != nil { out += ["", "Latencies: \(Self.precision)."] }
        if !r.complete { out += ["", "**Incomplete:** " + r.missing.joined(separator: "; ")] }
        return out.joined(separator: "\n") + "\n"
    }

    /// How exact the latency figures are.
    static let precision =
        "latencies measured in microseconds, held in an HdrHistogram of 3 significant digits: each percentile is within 0.1% of the recorded value"

    struct JSONReport: Encodable {
        let report: BenchReport
        let recordsPerSecond: Double
        let bytesPerSecond: Double
        let cores: Double
        let verdict: BenchVerdict
        let bottleneck: BenchFinding?
        let complete: Bool
        let missing: [String]
    }

    public func json(_ r: BenchReport, _ v: BenchVerdict) throws -> String {
        try FastJSON.encode(
            JSONReport(
                report: r, recordsPerSecond: r.recordsPerSecond, bytesPerSecond: r.bytesPerSecond, cores: r.cores,
                verdict: v, bottleneck: v.bottleneck, complete: r.complete, missing: r.missing)) + "\n"
    }

    func settingsLine(_ r: BenchReport) -> String {
        let s = r.settings
        let wait = s.fetchMaxWaitMs.map { ", fetch.max.wait.ms \($0)" } ?? ""
        if r.mode == .consume { return "read from the earliest offset" + wait }
        let rate = s.rate.map { "\(A.count($0)) records/s" } ?? "max"
        return
            "rate \(rate), acks \(s.acks), \(s.compression), batch.size \(s.batchSize), linger.ms \(Format.grouped(s.lingerMs, decimals: 1)), max.in.flight \(s.maxInFlight), idempotence \(s.idempotent ? "on" : "off"), values \(s.valueSize) B (\(Int(s.compressibility * 100))% compressible), keys \(s.keys), partitioner \(s.partitioner)\(wait)"
    }

    func latencyName(_ r: BenchReport) -> String {
        r.mode == .e2e ? "end-to-end latency (from due time)" : "latency (from due time to ack)"
    }

    func latencyLine(_ l: LatencySummary) -> String {
        "p50 \(A.millis(l.p50)), p99 \(A.millis(l.p99)), p99.9 \(A.millis(l.p999)), p99.99 \(A.millis(l.p9999)), max \(A.millis(l.max)) (\(A.count(l.count)) samples)"
    }
}
