import ArchitectCore

/// Plain text for a terminal: every figure on one line, its formula and inputs on the next.
public struct PlanTextRenderer {
    public var color: Bool

    public init(color: Bool = false) { self.color = color }

    public func render(_ plan: CapacityPlan) -> String {
        var out: [String] = []
        out.append(bold("Capacity plan: \(plan.name)"))
        out.append(contentsOf: PlanSections.summary(plan).map { "  " + $0 })
        let deployments = PlanSections.deploymentLines(plan)
        if !deployments.isEmpty {
            out.append("")
            out.append(bold("Deployments"))
            out.append(contentsOf: deployments.map { "  " + $0 })
        }
        out.append("")
        out.append(bold("Instance"))
        out.append(contentsOf: PlanSections.instanceLines(plan).map { "  " + $0 })
        out.append("")
        out.append(bold("Topics"))
        for t in plan.topics {
            let retention = [
                t.keptForever
                    ? "kept forever (sized for \(Format.duration(TopicWorkload.foreverSizingSeconds)))"
                    : t.retentionSeconds.map { Format.duration($0) },
                t.retentionBytesPerPartition.map { Format.value($0, .bytes) + "/partition" },
            ].compactMap { $0 }.joined(separator: " or ")
            out.append(
                "  \(t.name): \(Format.value(t.messagesPerSecond, .messagesPerSecond)) × \(Format.value(t.messageSize, .bytes)), \(t.compression.rawValue) \(Format.grouped(t.compressionRatio, decimals: 2)):1, retention \(retention), \(t.consumerGroups) consumer group\(t.consumerGroups == 1 ? "" : "s"), peak ×\(Format.grouped(t.peakToAverage, decimals: 2)), \(t.partitions) partition\(t.partitions == 1 ? "" : "s")\(t.partitionsDerived ? " (derived)" : "")"
            )
        }
        for section in PlanSections.order {
            let figures = PlanSections.figures(plan, prefix: section.prefix)
            guard !figures.isEmpty else { continue }
            out.append("")
            out.append(bold(section.title))
            if section.prefix == "constraints." {
                out.append(contentsOf: constraintTable(plan))
            }
            let width = figures.map(\.label.count).max() ?? 0
            for f in figures {
                let label = f.label.padding(width)
                out.append("  \(label)  \(Format.value(f.value, f.unit))")
                let inputs = f.inputs.isEmpty ? "" : "   [\(Format.inputs(f.inputs))]"
                out.append(dim("  \(String(repeating: " ", count: width))    = \(f.formula)\(inputs)"))
            }
        }
        if !plan.warnings.isEmpty {
            out.append("")
            out.append(bold("Warnings"))
            for w in plan.warnings {
                out.append("  " + yellow("\(w.severity.rawValue) [\(w.code)]") + " \(w.message)")
            }
        }
        out.append("")
        out.append(
            dim(
                "Prices: \(plan.catalog.provider) \(plan.catalog.region) as of \(plan.catalog.asOf). Formulas: docs/plan.md."
            ))
        return out.joined(separator: "\n") + "\n"
    }

    func constraintTable(_ plan: CapacityPlan) -> [String] {
        let rows = plan.constraints.map { c -> [String] in
            [
                c.kind.label, Format.grouped(c.requiredBrokers, decimals: 2),
                "\(Format.grouped(c.shareOfBinding * 100, decimals: 0))%",
                "\(Format.grouped(c.utilizationOfTarget * 100, decimals: 0))%", c.binding ? "← binding" : "",
            ]
        }
        let header = ["constraint", "brokers needed", "of binding", "of target at \(plan.brokers) brokers", ""]
        let all = [header] + rows
        let widths = (0..<header.count).map { i in all.map { $0[i].count }.max() ?? 0 }
        return all.map { row in
            "  "
                + row.enumerated().map { i, cell in cell.padding(widths[i]) }.joined(separator: "  ").trimmingTrailing()
        }
    }

    func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    func dim(_ s: String) -> String { color ? "\u{1B}[2m\(s)\u{1B}[0m" : s }
    func yellow(_ s: String) -> String { color ? "\u{1B}[33m\(s)\u{1B}[0m" : s }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    func trimmingTrailing() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
