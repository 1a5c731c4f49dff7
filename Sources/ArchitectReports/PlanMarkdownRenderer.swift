import ArchitectCore

/// Markdown for a design review or a pull request: tables with value, formula and inputs.
public struct PlanMarkdownRenderer {
    public init() {}

    public func render(_ plan: CapacityPlan) -> String {
        var out: [String] = []
        out.append("# Capacity plan: \(escape(plan.name))")
        out.append("")
        out.append(contentsOf: PlanSections.summary(plan).map { "- \(escape($0))" })
        let deployments = PlanSections.deploymentLines(plan)
        if !deployments.isEmpty {
            out.append("")
            out.append("## Deployments")
            out.append("")
            out.append(contentsOf: deployments.map { "- \(escape($0))" })
        }
        out.append("")
        out.append("## Instance")
        out.append("")
        out.append(
            contentsOf: PlanSections.instanceLines(plan).map {
                $0.hasPrefix("  ") ? "  - \(escape(String($0.dropFirst(2))))" : "- \(escape($0))"
            })
        out.append("")
        out += topicTable(plan)
        for section in PlanSections.order {
            let figures = PlanSections.figures(plan, prefix: section.prefix)
            guard !figures.isEmpty else { continue }
            out.append("")
            out.append("## \(section.title)")
            out.append("")
            if section.prefix == "constraints." {
                out.append("| Constraint | Brokers needed | Of binding | Of target at \(plan.brokers) brokers | |")
                out.append("|---|---:|---:|---:|---|")
                for c in plan.constraints {
                    out.append(
                        "| \(c.kind.label) | \(Format.grouped(c.requiredBrokers, decimals: 2)) | \(Format.grouped(c.shareOfBinding * 100, decimals: 0))% | \(Format.grouped(c.utilizationOfTarget * 100, decimals: 0))% | \(c.binding ? "**binding**" : "") |"
                    )
                }
                out.append("")
            }
            out.append("| Figure | Value | Formula | Inputs |")
            out.append("|---|---:|---|---|")
            for f in figures {
                out.append(
                    "| \(escape(f.label)) | \(Format.value(f.value, f.unit)) | `\(f.formula.replacingPipes())` | \(escape(Format.inputs(f.inputs))) |"
                )
            }
        }
        if !plan.warnings.isEmpty {
            out.append("")
            out.append("## Warnings")
            out.append("")
            for w in plan.warnings { out.append("- **\(w.severity.rawValue)** `\(w.code)`: \(escape(w.message))") }
        }
        out.append("")
        out.append(
            "_Prices: \(plan.catalog.provider) \(plan.catalog.region) as of \(plan.catalog.asOf); source: \(escape(plan.catalog.source))._"
        )
        return out.joined(separator: "\n") + "\n"
    }

    /// The workload, one row per topic.
    func topicTable(_ plan: CapacityPlan) -> [String] {
        var out: [String] = []
        out.append("## Topics")
        out.append("")
        out.append("| Topic | Messages/s | Size | Compression | Retention | Consumer groups | Peak × | Partitions |")
        out.append("|---|---:|---:|---|---|---:|---:|---:|")
        for t in plan.topics {
            let retention = [
                t.keptForever
                    ? "kept forever (sized for \(Format.duration(TopicWorkload.foreverSizingSeconds)))"
                    : t.retentionSeconds.map { Format.duration($0) },
                t.retentionBytesPerPartition.map { Format.value($0, .bytes) + "/partition" },
            ].compactMap { $0 }.joined(separator: " or ")
            out.append(
                "| \(escape(t.name)) | \(Format.grouped(t.messagesPerSecond, decimals: 2)) | \(Format.value(t.messageSize, .bytes)) | \(t.compression.rawValue) \(Format.grouped(t.compressionRatio, decimals: 2)):1 | \(retention) | \(t.consumerGroups) | \(Format.grouped(t.peakToAverage, decimals: 2)) | \(t.partitions)\(t.partitionsDerived ? " (derived)" : "") |"
            )
        }
        return out
    }

    func escape(_ s: String) -> String { s.replacingPipes() }
}

extension String {
    func replacingPipes() -> String {
        var out = ""
        for c in self { out += c == "|" ? "\\|" : String(c) }
        return out
    }
}
