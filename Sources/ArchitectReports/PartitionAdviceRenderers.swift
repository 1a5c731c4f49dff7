import ArchitectCore
import Foundation

/// Renders `kafka-architect partitions` advice for one topic or several.
public struct PartitionAdviceRenderer {
    public struct Entry {
        public let name: String?
        public let advice: PartitionAdvice
        public init(name: String?, advice: PartitionAdvice) {
            self.name = name
            self.advice = advice
        }
    }

    public init() {}

    public func text(_ entries: [Entry]) -> String {
        var out: [String] = []
        for e in entries {
            let a = e.advice
            if !out.isEmpty { out.append("") }
            out.append(
                "Partitions\(e.name.map { " for \($0)" } ?? ""): \(a.recommendedPartitions) recommended (throughput minimum \(a.minimumPartitions)\(a.requiredConcurrency > 0 ? ", required concurrency \(a.requiredConcurrency)" : ""))"
            )
            if a.preferInPartitionConcurrency {
                out.append(
                    "  Process about \(a.concurrencyPerPartition) messages at once per partition rather than adding partitions."
                )
            }
            out.append("")
            out.append("Terms")
            out.append(contentsOf: figureLines(a.terms))
            out.append("")
            out.append(
                "What \(a.recommendedPartitions) partition\(a.recommendedPartitions == 1 ? "" : "s") cost and buy")
            out.append(contentsOf: figureLines(a.costs))
            for n in a.notes {
                out.append("")
                out.append("Note: \(n)")
            }
            for w in a.warnings { out.append("warning: \(w)") }
        }
        return out.joined(separator: "\n") + "\n"
    }

    public func markdown(_ entries: [Entry]) -> String {
        var out: [String] = []
        for e in entries {
            let a = e.advice
            out.append("# Partitions\(e.name.map { " for \($0)" } ?? "")")
            out.append("")
            out.append(
                "- Recommended: **\(a.recommendedPartitions)** (throughput minimum \(a.minimumPartitions)\(a.requiredConcurrency > 0 ? ", required concurrency \(a.requiredConcurrency)" : ""))"
            )
            if a.preferInPartitionConcurrency {
                out.append(
                    "- Process about \(a.concurrencyPerPartition) messages at once per partition rather than adding partitions."
                )
            }
            for n in a.notes { out.append("- \(n)") }
            for w in a.warnings { out.append("- **warning**: \(w)") }
            out.append("")
            for (title, figures) in [("Terms", a.terms), ("Cost and benefit", a.costs)] {
                out.append("## \(title)")
                out.append("")
                out.append("| Figure | Value | Formula | Inputs |")
                out.append("|---|---:|---|---|")
                for f in figures {
                    out.append(
                        "| \(f.label) | \(Format.value(f.value, f.unit)) | `\(f.formula.replacingPipes())` | \(Format.inputs(f.inputs).replacingPipes()) |"
                    )
                }
                out.append("")
            }
        }
        return out.joined(separator: "\n")
    }

    public func json(_ entries: [Entry], single: Bool) throws -> String {
        struct Doc: Encodable {
            let name: String?
            let minimumPartitions, recommendedPartitions, requiredConcurrency, concurrencyPerPartition: Int
            let preferInPartitionConcurrency: Bool
            let terms, costs: [Figure]
            let notes, warnings: [String]
        }
        struct Many: Encodable { let topics: [Doc] }
        let docs = entries.map { e in
            Doc(
                name: e.name, minimumPartitions: e.advice.minimumPartitions,
                recommendedPartitions: e.advice.recommendedPartitions,
                requiredConcurrency: e.advice.requiredConcurrency,
                concurrencyPerPartition: e.advice.concurrencyPerPartition,
                preferInPartitionConcurrency: e.advice.preferInPartitionConcurrency, terms: e.advice.terms,
                costs: e.advice.costs,
                notes: e.advice.notes, warnings: e.advice.warnings)
        }
        return single && docs.count == 1 ? try ReportJSON.encode(docs[0]) : try ReportJSON.encode(Many(topics: docs))
    }

    func figureLines(_ figures: [Figure]) -> [String] {
        let width = figures.map(\.label.count).max() ?? 0
        var out: [String] = []
        for f in figures {
            out.append("  \(f.label.padding(width))  \(Format.value(f.value, f.unit))")
            out.append(
                "  \(String(repeating: " ", count: width))    = \(f.formula)\(f.inputs.isEmpty ? "" : "   [\(Format.inputs(f.inputs))]")"
            )
        }
        return out
    }
}
