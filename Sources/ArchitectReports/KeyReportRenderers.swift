import ArchitectCore
import Foundation

/// Renders `kafka-architect keys` reports.
public struct KeyReportRenderer {
    public init() {}

    public func text(_ r: KeyReport) -> String {
        var out: [String] = []
        out.append(
            "Key distribution over \(r.partitions) partition\(r.partitions == 1 ? "" : "s") — \(r.partitioner.clientDescription)"
        )
        if r.totalMessages == 0 {
            out.append("  The input has no keys: nothing to analyse.")
            return out.joined(separator: "\n") + "\n"
        }
        out.append(
            "  \(Format.grouped(Double(r.totalMessages), decimals: 0)) records: \(Format.grouped(Double(r.keyedMessages), decimals: 0)) keyed, \(Format.grouped(Double(r.nullKeys), decimals: 0)) null keys, \(Format.grouped(Double(r.emptyKeys), decimals: 0)) empty keys; about \(Format.grouped(r.distinctKeysEstimate, decimals: 0)) distinct keys"
        )
        out.append(
            "  max/mean \(Format.grouped(r.maxToMeanRatio, decimals: 3)), coefficient of variation \(Format.grouped(r.coefficientOfVariation, decimals: 4)), Gini \(Format.grouped(r.gini, decimals: 4))"
        )
        let c = r.chiSquare
        out.append(
            "  χ² = \(Format.grouped(c.statistic, decimals: 2)) with \(c.degreesOfFreedom) degrees of freedom, \(pValue(c.pValue)): \(c.skewed ? "skewed beyond sampling noise" : "consistent with an even spread") (α = \(c.alpha))"
        )
        out.append(
            "  Detecting a \(Format.grouped(c.detectableSkew * 100, decimals: 1))% skew on one partition needs about \(Format.grouped(c.sampleSizeToDetect, decimals: 0)) keyed records (80% power)"
        )
        out += loadLines(r) + detailLines(r)
        return out.joined(separator: "\n") + "\n"
    }

    /// A bar per partition, scaled to the busiest.
    func loadLines(_ r: KeyReport) -> [String] {
        var out: [String] = []
        out.append("")
        out.append(
            r.unreadPartitions.isEmpty
                ? "Load per partition (\(r.loadSource))"
                : "Load per partition (\(r.loadSource); unread, unknown and left out of every figure: \(r.unreadPartitions.map(String.init).joined(separator: ", ")))"
        )
        let maxLoad = r.loads.map(\.expectedMessages).max() ?? 0
        for l in r.loads {
            let bar =
                maxLoad > 0 ? String(repeating: "█", count: Int((l.expectedMessages / maxLoad * 30).rounded())) : ""
            let bytes = l.bytes.map { "  " + Format.value(Double($0), .bytes).leftPadded(11) } ?? ""
            out.append(
                "  \(String(l.partition).leftPadded(4))  \(Format.grouped(l.expectedMessages, decimals: 1).leftPadded(14))\(bytes)  \(bar)"
            )
        }
        return out
    }

    /// Heaviest keys, findings, other partition counts and simulated fixes, each when there is any.
    func detailLines(_ r: KeyReport) -> [String] {
        var out: [String] = []
        if !r.hotKeys.isEmpty {
            out.append("")
            out.append(
                hotKeysHeading(r)
            )
            for h in r.hotKeys {
                out.append(
                    "  \(displayKey(h.key))  \(Format.grouped(Double(h.messages), decimals: 0)) records\(bound(h)), \(Format.grouped(h.share * 100, decimals: 2))%\(margin(h)) of all → partition \(h.partition) (\(Format.grouped(h.shareOfPartition * 100, decimals: 1))% of it)\(h.hot ? "  HOT" : "")"
                )
            }
        }
        if !r.findings.isEmpty {
            out.append("")
            out.append("Findings")
            for f in r.findings { out.append("  \(f.severity.rawValue) [\(f.code)] \(f.message)") }
        }
        if !r.whatIf.isEmpty {
            out.append("")
            out.append("What if the topic had another partition count")
            out.append("  partitions  max/mean  CV      floor (hottest key)")
            for w in r.whatIf {
                out.append(
                    "  \(String(w.partitions).leftPadded(10))  \(Format.grouped(w.maxToMeanRatio, decimals: 3).padding(8))  \(Format.grouped(w.coefficientOfVariation, decimals: 4).padding(6))  \(Format.grouped(w.hottestKeyFloor, decimals: 2))"
                )
            }
        }
        if !r.fixes.isEmpty {
            out.append("")
            out.append("Fixes, simulated")
            for f in r.fixes {
                out.append(
                    "  \(f.description): max/mean \(Format.grouped(f.maxToMeanRatioBefore, decimals: 3)) → \(Format.grouped(f.maxToMeanRatioAfter, decimals: 3))"
                )
                out.append("    trade-off: \(f.tradeoff)")
            }
        }
        return out
    }

    /// What the heaviest-keys list is: exact or bounded, of a sample or not, and how heavy an unlisted key can be.
    func hotKeysHeading(_ r: KeyReport) -> String {
        let counts =
            r.hotKeyErrorBound == 0
            ? (r.keysFromSample ? "exact counts of the sample" : "exact counts")
            : "counts may overstate by up to \(Format.grouped(r.hotKeyErrorBound, decimals: 0)): each key's bound is shown"
        let unlisted =
            r.unlistedKeysAtMost > 0
            ? "; a key not listed has at most \(Format.grouped(Double(r.unlistedKeysAtMost), decimals: 0))" : ""
        return "Heaviest keys\(r.keysFromSample ? " in the sample" : "") (\(counts)\(unlisted))"
    }

    /// " ± m" (95%) when the share is estimated from a sample of a live topic.
    func margin(_ h: KeyReport.HotKey) -> String {
        h.shareMargin.map { " ± \(Format.grouped($0 * 100, decimals: 2))" } ?? ""
    }

    /// " (at least N)" when a count is only bounded, nothing when it is exact.
    func bound(_ h: KeyReport.HotKey) -> String {
        h.maxOverestimate == 0
            ? "" : " (at least \(Format.grouped(Double(h.messages - h.maxOverestimate), decimals: 0)))"
    }

    public func markdown(_ r: KeyReport) -> String {
        var out: [String] = ["# Key distribution", ""]
        out.append(
            "- Partitioner: \(r.partitioner.clientDescription); \(r.partitions) partition\(r.partitions == 1 ? "" : "s")"
        )
        out.append(
            "- Records: \(Format.grouped(Double(r.totalMessages), decimals: 0)) (\(Format.grouped(Double(r.keyedMessages), decimals: 0)) keyed, \(Format.grouped(Double(r.nullKeys), decimals: 0)) null, \(Format.grouped(Double(r.emptyKeys), decimals: 0)) empty); about \(Format.grouped(r.distinctKeysEstimate, decimals: 0)) distinct keys"
        )
        out.append(
            "- max/mean \(Format.grouped(r.maxToMeanRatio, decimals: 3)), CV \(Format.grouped(r.coefficientOfVariation, decimals: 4)), Gini \(Format.grouped(r.gini, decimals: 4))"
        )
        out.append(
            "- χ² = \(Format.grouped(r.chiSquare.statistic, decimals: 2)), df \(r.chiSquare.degreesOfFreedom), \(pValue(r.chiSquare.pValue)): \(r.chiSquare.skewed ? "**skewed**" : "consistent with an even spread")"
        )
        out.append("")
        out.append("| Partition | Messages | Expected with spread records |" + (r.totalBytes != nil ? " Bytes |" : ""))
        out.append("|---:|---:|---:|" + (r.totalBytes != nil ? "---:|" : ""))
        for l in r.loads {
            out.append(
                "| \(l.partition) | \(Format.grouped(Double(l.messages), decimals: 0)) | \(Format.grouped(l.expectedMessages, decimals: 1)) |"
                    + (l.bytes.map { " \(Format.grouped(Double($0), decimals: 0)) |" } ?? ""))
        }
        if !r.hotKeys.isEmpty {
            out += [
                "", "## Heaviest keys", "", "| Key | Messages | Share | Partition | Of partition | Hot |",
                "|---|---:|---:|---:|---:|---|",
            ]
            for h in r.hotKeys {
                out.append(
                    "| `\(displayKey(h.key).replacingPipes())` | \(Format.grouped(Double(h.messages), decimals: 0))\(bound(h)) | \(Format.grouped(h.share * 100, decimals: 2))% | \(h.partition) | \(Format.grouped(h.shareOfPartition * 100, decimals: 1))% | \(h.hot ? "yes" : "") |"
                )
            }
        }
        if !r.findings.isEmpty {
            out += ["", "## Findings", ""]
            for f in r.findings { out.append("- **\(f.severity.rawValue)** `\(f.code)`: \(f.message)") }
        }
        if !r.whatIf.isEmpty {
            out += [
                "", "## What if", "", "| Partitions | max/mean | CV | Floor (hottest key) |", "|---:|---:|---:|---:|",
            ]
            for w in r.whatIf {
                out.append(
                    "| \(w.partitions) | \(Format.grouped(w.maxToMeanRatio, decimals: 3)) | \(Format.grouped(w.coefficientOfVariation, decimals: 4)) | \(Format.grouped(w.hottestKeyFloor, decimals: 2)) |"
                )
            }
        }
        if !r.fixes.isEmpty {
            out += ["", "## Fixes, simulated", ""]
            for f in r.fixes {
                out.append(
                    "- \(f.description): max/mean \(Format.grouped(f.maxToMeanRatioBefore, decimals: 3)) → \(Format.grouped(f.maxToMeanRatioAfter, decimals: 3)). Trade-off: \(f.tradeoff)"
                )
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    public func json(_ r: KeyReport) throws -> String {
        try ReportJSON.encode(document(r))
    }

    /// A sampled live topic: the key report with a `live` member saying what was read and which
    /// partitioner the producers use.
    public func json(_ r: KeyReport, live: LiveKeySample) throws -> String {
        try ReportJSON.encode(WithLive(report: document(r), live: LiveDocument(live)))
    }

    /// The heading of a live sample's text and Markdown report.
    public func liveHeading(_ live: LiveKeySample) -> String {
        let d = live.detection
        var head = [
            "Topic \(live.topic): \(Self.sampled(live)) from \(live.partitionCount) partitions",
            "Partitioner: \(d.verdict)",
        ]

        for m in d.matches { head.append("  \(m.family): \(m.matched) of \(d.compared) keyed records") }
        head.append("Placement: \(live.placement.note)")
        if !live.batchesByCodec.isEmpty {
            let codecs = live.batchesByCodec.sorted { $0.key < $1.key }
                .map { "\($0.key) \($0.value) batch\($0.value == 1 ? "" : "es")" }
            head.append("Compression: " + codecs.joined(separator: ", "))
        }
        for n in live.notes { head.append("note: \(n)") }
        if !live.complete {
            head.append(
                "INCOMPLETE: partitions \(live.missing.map(String.init).joined(separator: ",")) could not be read; the figures cover the others"
            )
        }
        return head.joined(separator: "\n") + "\n\n"
    }

    /// "N newest records sampled", or over a window "N of the M records appended in a 30 s window sampled".
    static func sampled(_ live: LiveKeySample) -> String {
        guard let window = live.windowSeconds, let appended = live.appendedRecords else {
            return "\(live.sampledRecords) newest records sampled"
        }
        return
            "\(live.sampledRecords) of the \(appended) records appended in a \(Format.duration(window)) window sampled"
    }

    struct LiveDocument: Encodable {
        let topic: String
        let sampledRecords: Int
        let windowSeconds: Double?
        let appendedRecords: Int64?
        let partitionCount: Int
        let notes: [String]
        let batchesByCodec: [String: Int]
        let partitioner: Detected
        let placement: Placement
        let complete: Bool
        let missing: [Int]
        struct Placement: Encodable {
            let partitioner: String
            let source: String
            let note: String
        }
        struct Detected: Encodable {
            let verdict: String
            let family: String?
            let disagree: Bool
            let compared: Int
            let matches: [Match]
            let producers: [Match]
        }
        struct Match: Encodable {
            let family: String
            let matched: Int
            let share: Double
        }

        init(_ live: LiveKeySample) {
            let d = live.detection
            topic = live.topic
            sampledRecords = live.sampledRecords
            windowSeconds = live.windowSeconds
            appendedRecords = live.appendedRecords
            partitionCount = live.partitionCount
            notes = live.notes
            batchesByCodec = live.batchesByCodec
            complete = live.complete
            missing = live.missing
            placement = Placement(
                partitioner: live.placement.partitioner.rawValue, source: live.placement.source.rawValue,
                note: live.placement.note)
            partitioner = Detected(
                verdict: d.verdict, family: d.family, disagree: d.disagree, compared: d.compared,
                matches: d.matches.map {
                    Match(family: $0.family, matched: $0.matched, share: ($0.share * 1e6).rounded() / 1e6)
                },
                producers: d.producers.map {
                    Match(family: $0.family, matched: $0.matched, share: ($0.share * 1e6).rounded() / 1e6)
                })
        }
    }

    /// The report's members and `live` beside them, in one JSON object.
    struct WithLive<Report: Encodable>: Encodable {
        let report: Report
        let live: LiveDocument
        enum Key: String, CodingKey { case live }
        func encode(to encoder: Encoder) throws {
            try report.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(live, forKey: .live)
        }
    }

    struct Load: Encodable {
        let partition: Int
        let messages: UInt64
        let expectedMessages: Double
        let bytes: UInt64?
    }
    struct Chi: Encodable {
        let statistic: Double
        let degreesOfFreedom: Int
        let pValue: Double
        let alpha: Double
        let skewed: Bool
        let detectableSkew: Double
        let sampleSizeToDetect: Double
    }
    struct Hot: Encodable {
        let key: String
        let keyHex: String
        let messages: UInt64
        let maxOverestimate: UInt64
        let share: Double
        let shareMargin: Double?
        let partition: Int
        let shareOfPartition: Double
        let hot: Bool
    }
    struct Finding: Encodable {
        let code: String
        let severity: String
        let message: String
    }
    struct WhatIf: Encodable {
        let partitions: Int
        let maxToMeanRatio: Double
        let coefficientOfVariation: Double
        let hottestKeyFloor: Double
    }
    struct Fix: Encodable {
        let kind: String
        let description: String
        let maxToMeanRatioBefore: Double
        let maxToMeanRatioAfter: Double
        let tradeoff: String
    }
    struct Doc: Encodable {
        let partitioner: String
        let partitionCount: Int
        let totalMessages, keyedMessages, nullKeys, emptyKeys, spreadMessages: UInt64
        let totalBytes: UInt64?
        let distinctKeysEstimate: Double
        let partitions: [Load]
        let loadSource: String
        let unreadPartitions: [Int]
        let keysFromSample: Bool
        let maxToMeanRatio, coefficientOfVariation, gini: Double
        let chiSquare: Chi
        let hotKeys: [Hot]
        let hotKeyErrorBound: Double
        let unlistedKeysAtMost: UInt64
        let findings: [Finding]
        let whatIf: [WhatIf]
        let fixes: [Fix]
    }

    func document(_ r: KeyReport) -> some Encodable {
        let c = r.chiSquare
        let doc = Doc(
            partitioner: r.partitioner.rawValue, partitionCount: r.partitions, totalMessages: r.totalMessages,
            keyedMessages: r.keyedMessages,
            nullKeys: r.nullKeys, emptyKeys: r.emptyKeys, spreadMessages: r.spreadMessages, totalBytes: r.totalBytes,
            distinctKeysEstimate: r.distinctKeysEstimate,
            partitions: r.loads.map {
                Load(
                    partition: $0.partition, messages: $0.messages, expectedMessages: round6($0.expectedMessages),
                    bytes: $0.bytes)
            },
            loadSource: r.loadSource, unreadPartitions: r.unreadPartitions, keysFromSample: r.keysFromSample,
            maxToMeanRatio: round6(r.maxToMeanRatio), coefficientOfVariation: round6(r.coefficientOfVariation),
            gini: round6(r.gini),
            chiSquare: Chi(
                statistic: round6(c.statistic), degreesOfFreedom: c.degreesOfFreedom, pValue: c.pValue, alpha: c.alpha,
                skewed: c.skewed,
                detectableSkew: c.detectableSkew, sampleSizeToDetect: c.sampleSizeToDetect),
            hotKeys: r.hotKeys.map {
                let display = displayKey($0.key)
                let text = display.hasPrefix("\"") ? String(display.dropFirst().dropLast()) : display
                return Hot(
                    key: text, keyHex: $0.key.map { String(format: "%02x", $0) }.joined(), messages: $0.messages,
                    maxOverestimate: $0.maxOverestimate, share: round6($0.share),
                    shareMargin: $0.shareMargin.map(round6),
                    partition: $0.partition, shareOfPartition: round6($0.shareOfPartition), hot: $0.hot)
            },
            hotKeyErrorBound: round6(r.hotKeyErrorBound), unlistedKeysAtMost: r.unlistedKeysAtMost,
            findings: r.findings.map { Finding(code: $0.code, severity: $0.severity.rawValue, message: $0.message) },
            whatIf: r.whatIf.map {
                WhatIf(
                    partitions: $0.partitions, maxToMeanRatio: round6($0.maxToMeanRatio),
                    coefficientOfVariation: round6($0.coefficientOfVariation),
                    hottestKeyFloor: round6($0.hottestKeyFloor))
            },
            fixes: r.fixes.map {
                Fix(
                    kind: $0.kind.rawValue, description: $0.description,
                    maxToMeanRatioBefore: round6($0.maxToMeanRatioBefore),
                    maxToMeanRatioAfter: round6($0.maxToMeanRatioAfter), tradeoff: $0.tradeoff)
            })
        return doc
    }

    /// "p = 0.42", "p = 3.1e-07", or "p < 1e-300" when it underflows.
    func pValue(_ p: Double) -> String {
        if p >= 0.0001 { return "p = " + Format.grouped(p, decimals: 4) }
        return p == 0 ? "p < 1e-300" : "p = " + String(format: "%.2e", p)
    }

    func round6(_ x: Double) -> Double { x.isFinite ? (x * 1e6).rounded() / 1e6 : x }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
