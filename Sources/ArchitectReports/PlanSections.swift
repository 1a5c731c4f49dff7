import ArchitectCore

/// How a plan's figures are grouped for reading, shared by the text and Markdown renderers.
enum PlanSections {
    static let order: [(prefix: String, title: String)] = [
        ("throughput.", "Throughput"),
        ("storage.", "Storage"),
        ("partitions.", "Partitions"),
        ("constraints.", "Broker-count constraints"),
        ("brokers", "Broker count"),
        ("memory.", "Memory"),
        ("latency.", "Produce latency"),
        ("cost.", "Monthly cost"),
        ("growth.", "Growth"),
    ]

    static func figures(_ plan: CapacityPlan, prefix: String) -> [Figure] {
        plan.figures.filter { prefix.hasSuffix(".") ? $0.id.hasPrefix(prefix) : $0.id == prefix }
    }

    static func summary(_ plan: CapacityPlan) -> [String] {
        let zonesNote = plan.brokersFixed ? "(given)" : "— bound by \(plan.bindingConstraint.label)"
        var lines = [
            "\(plan.brokers) × \(plan.instance.type.name) broker\(plan.brokers == 1 ? "" : "s") \(zonesNote)",
            "Monthly cost \(Format.value(plan.cost.monthlyUSD, .usdPerMonth)) (with follower fetching \(Format.value(plan.cost.withFollowerFetchingMonthlyUSD, .usdPerMonth)), without \(Format.value(plan.cost.withoutFollowerFetchingMonthlyUSD, .usdPerMonth)))",
            "Ingress \(Format.value(plan.throughput.ingressBytesPerSecond, .bytesPerSecond)) uncompressed, \(Format.value(plan.throughput.ingressWireBytesPerSecond, .bytesPerSecond)) on the wire; disk \(Format.value(plan.storage.localBytes, .bytes)) with margin"
                + (plan.storage.remoteBytes > 0
                    ? "; object storage \(Format.value(plan.storage.remoteBytes, .bytes))" : ""),
        ]
        if let g = plan.growth {
            lines.append(
                "At \(Format.grouped(g.factor, decimals: 2))× growth: \(g.brokers) broker\(g.brokers == 1 ? "" : "s"), \(Format.value(g.monthlyUSD, .usdPerMonth)); the current plan runs out at \(Format.grouped(g.runwayFactor, decimals: 2))× today's load (\(Format.value(g.runwayIngressBytesPerSecond, .bytesPerSecond)), \(g.runwayConstraint.label))"
            )
        }
        return lines
    }

    /// The same workload under each deployment and pricing, and which is cheapest.
    static func deploymentLines(_ plan: CapacityPlan) -> [String] {
        guard !plan.alternatives.isEmpty else { return [] }
        var lines: [String] = []
        for a in plan.alternatives {
            let marks = [a.chosen ? "this plan" : nil, a.cheapest ? "cheapest" : nil].compactMap { $0 }
            lines.append(
                "\(title(a)): \(a.brokers) × \(a.instance) (\(a.bindingConstraint.label)), \(Format.value(a.monthlyUSD, .usdPerMonth))"
                    + (a.caveat.map { " (\($0))" } ?? "") + (marks.isEmpty ? "" : " ← \(marks.joined(separator: ", "))")
            )
        }
        if let cheapest = plan.alternatives.first(where: \.cheapest), !cheapest.chosen,
            plan.cost.monthlyUSD > 0
        {
            let saving = 1 - cheapest.monthlyUSD / plan.cost.monthlyUSD
            lines.append(
                "Cheaper: \(title(cheapest)) at \(Format.value(cheapest.monthlyUSD, .usdPerMonth)), \(Format.grouped(saving * 100, decimals: 0))% less than this plan (plan it with \(flag(cheapest)))."
            )
        }
        return lines
    }

    static func title(_ a: DeploymentAlternative) -> String {
        a.deployment.title + (a.pricing == .reserved3y ? ", 3-year commitment" : ", on demand")
    }

    static func flag(_ a: DeploymentAlternative) -> String {
        "--deployment \(a.deployment.rawValue) --pricing \(a.pricing.rawValue)"
    }

    static func instanceLines(_ plan: CapacityPlan) -> [String] {
        let t = plan.instance.type
        var lines = [
            "\(t.name): \(t.vcpus) vCPU, \(Format.binary(t.memoryBytes)) memory, network \(Format.value(t.networkBaselineBytesPerSecond, .bytesPerSecond)) baseline, block storage \(Format.value(t.blockStorageBytesPerSecond, .bytesPerSecond))"
                + (t.localDisks.isEmpty
                    ? "" : ", \(t.localDisks.count) × \(Format.value(t.localDisks[0], .bytes)) local NVMe")
                + ", \(Format.value(t.hourlyUSD, .usdPerHour))"
        ]
        if plan.instance.automatic {
            let overTarget = plan.brokersFixed && plan.warnings.contains { $0.code.hasPrefix("over-target-") }
            let overQuota = plan.warnings.contains { $0.code == "msk-broker-quota" }
            lines.append(
                overTarget
                    ? "Chosen automatically: no type fits the \(plan.brokers) brokers given, so the one that needs the fewest is shown (see the warnings). Candidates:"
                    : overQuota
                        ? "Chosen automatically: no type stays within Amazon MSK's broker quota, so the fewest brokers, then the cheapest (see the warnings). Candidates:"
                        : "Chosen automatically: the cheapest type meeting every constraint (types within 5% of the cheapest count as equal; fewer brokers win). Candidates:"
            )
            for c in plan.instance.candidates {
                lines.append(
                    "  \(c.instance): \(c.brokers) brokers (\(c.bindingConstraint.label)), \(Format.value(c.monthlyUSD, .usdPerMonth))"
                )
            }
        }
        return lines
    }
}
