// The audit report for people (text, Markdown) and machines (JSON, SARIF with logical locations).

import ArchitectCore

public struct AuditRenderer: Sendable {
    public var color: Bool = false
    public init(color: Bool = false) { self.color = color }

    func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    /// Names from the cluster (group ids, ACL resources) are client-controlled: control characters are shown
    /// as escapes, so none can split a line or drive the terminal.
    public static func clean(_ s: String) -> String {
        guard
            s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || (0x80..<0xA0).contains($0.value) }
            )
        else { return s }
        var out = ""
        for u in s.unicodeScalars {
            if u.value < 0x20 || u.value == 0x7F || (0x80..<0xA0).contains(u.value) {
                out += "\\u{\(String(u.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    func label(_ s: LintSeverity) -> String {
        switch s {
        case .error: paint("error", "31")
        case .warning: paint("warning", "33")
        case .info: paint("info", "36")
        }
    }

    // Long because: the one-screen summary (cluster, health counts, per-broker load, gaps) precedes the findings.
    public func text(_ r: AuditReport) -> String {
        let s = r.summary
        var out = "Audit of cluster \(s.clusterId ?? "(no id)") at \(s.takenAt)\n"
        out +=
            "  \(counted(s.brokers, "broker")) (\(counted(s.racks, "rack"))), \(counted(s.topics, "topic")), \(counted(s.partitions, "partition")), \(counted(s.replicas, "replica")), \(counted(s.groups, "group")), \(counted(s.acls, "ACL"))\n"
        out +=
            "  partitions: \(s.offline) offline, \(s.underReplicated) under-replicated, \(s.underMinIsr) under min ISR, \(s.atMinIsr) at min ISR\n"
        if !s.leadersByBroker.isEmpty && s.leadersByBroker.count <= 24 {
            out +=
                "  leaders/replicas per broker: "
                + s.leadersByBroker.map { "\($0.broker): \($0.leaders)/\($0.replicas)" }.joined(separator: ", ") + "\n"
        }
        out +=
            "  findings: \(counted(r.count(.error), "error")), \(counted(r.count(.warning), "warning")), \(r.count(.info)) info\n"
        if !r.complete {
            out += "  INCOMPLETE: the snapshot misses " + r.missing.joined(separator: "; ") + "\n"
        }
        for u in r.unsupported {
            out +=
                "  not offered: \(u.api)\(u.brokers.isEmpty ? "" : " (brokers \(u.brokers.map(String.init).joined(separator: ", ")))") — \(u.reason)\n"
        }
        for n in r.notes { out += "  note: \(Self.clean(n))\n" }
        for severity in [LintSeverity.error, .warning, .info] {
            let group = r.findings.filter { $0.severity == severity }
            guard !group.isEmpty else { continue }
            out += "\n"
            for f in group {
                out +=
                    "\(label(f.severity)) \(f.ruleId) \(Self.clean(f.location.description)): \(Self.clean(f.message))\n"
                out += "    fix: \(f.fix)\n"
            }
        }
        if r.findings.isEmpty { out += "\nNo findings.\n" }
        return out
    }

    public func markdown(_ r: AuditReport) -> String {
        let s = r.summary
        var out = "# Kafka audit: \(s.clusterId ?? "cluster")\n\n"
        out +=
            "Snapshot taken \(s.takenAt). \(counted(s.brokers, "broker")), \(counted(s.topics, "topic")), \(counted(s.partitions, "partition")), \(counted(s.groups, "group")), \(counted(s.acls, "ACL")).\n\n"
        out +=
            "| Errors | Warnings | Info | Offline | Under-replicated | Under min ISR | At min ISR |\n|---:|---:|---:|---:|---:|---:|---:|\n"
        out +=
            "| \(r.count(.error)) | \(r.count(.warning)) | \(r.count(.info)) | \(s.offline) | \(s.underReplicated) | \(s.underMinIsr) | \(s.atMinIsr) |\n\n"
        if !r.complete { out += "**Incomplete:** " + r.missing.joined(separator: "; ") + "\n\n" }
        for u in r.unsupported { out += "- Not offered: \(u.api) — \(u.reason)\n" }
        for n in r.notes { out += "- Note: \(n)\n" }
        if !r.unsupported.isEmpty || !r.notes.isEmpty { out += "\n" }
        if r.findings.isEmpty { return out + "No findings.\n" }
        out += "| Severity | Rule | Where | Finding | Fix |\n|---|---|---|---|---|\n"
        func cell(_ s: String) -> String { Self.clean(s.replacing("|", with: "\\|").replacing("\n", with: " ")) }
        for f in r.findings {
            out +=
                "| \(f.severity.rawValue) | \(f.ruleId) | \(cell(f.location.description)) | \(cell(f.message)) | \(cell(f.fix)) |\n"
        }
        return out
    }

    struct JSONReport: Encodable {
        struct Summary: Encodable {
            let clusterId: String?
            let takenAt: String
            let brokers, racks, topics, partitions, replicas, groups, acls: Int
            let offline, underReplicated, underMinIsr, atMinIsr: Int
            let errors, warnings, infos: Int
            let brokerLoad: [Load]
        }
        struct Load: Encodable {
            let broker: Int32
            let leaders, replicas: Int
        }
        struct Finding: Encodable {
            let ruleId, area, severity, message, fix: String
            let location: AuditLocation
        }
        let summary: Summary
        let complete: Bool
        let missing: [String]
        let unsupported: [ClusterSnapshot.Unsupported]
        let notes: [String]
        let findings: [Finding]
    }

    public func json(_ r: AuditReport) throws -> String {
        let s = r.summary
        return try ReportJSON.encode(
            JSONReport(
                summary: .init(
                    clusterId: s.clusterId, takenAt: s.takenAt, brokers: s.brokers, racks: s.racks, topics: s.topics,
                    partitions: s.partitions, replicas: s.replicas, groups: s.groups, acls: s.acls, offline: s.offline,
                    underReplicated: s.underReplicated, underMinIsr: s.underMinIsr, atMinIsr: s.atMinIsr,
                    errors: r.count(.error), warnings: r.count(.warning), infos: r.count(.info),
                    brokerLoad: s.leadersByBroker.map {
                        .init(broker: $0.broker, leaders: $0.leaders, replicas: $0.replicas)
                    }),
                complete: r.complete, missing: r.missing, unsupported: r.unsupported, notes: r.notes,
                findings: r.findings.map {
                    .init(
                        ruleId: $0.ruleId, area: $0.area.rawValue, severity: $0.severity.rawValue, message: $0.message,
                        fix: $0.fix, location: $0.location)
                }))
    }

    struct Sarif: Encodable {
        struct Text: Encodable { let text: String }
        struct Config: Encodable { let level: String }
        struct Rule: Encodable {
            let id, name: String
            let shortDescription: Text
            let help: Text
            let defaultConfiguration: Config
        }
        struct Logical: Encodable { let name, fullyQualifiedName, kind: String }
        struct Location: Encodable { let logicalLocations: [Logical] }
        struct Result: Encodable {
            let ruleId: String
            let level: String
            let message: Text
            let locations: [Location]
        }
        struct Driver: Encodable {
            let name, version, informationUri: String
            let rules: [Rule]
        }
        struct Tool: Encodable { let driver: Driver }
        struct Invocation: Encodable { let executionSuccessful: Bool }
        struct Run: Encodable {
            let tool: Tool
            let results: [Result]
            let invocations: [Invocation]
        }
        let version = "2.1.0"
        let schema = "https://json.schemastore.org/sarif-2.1.0.json"
        let runs: [Run]
        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case version, runs
        }
    }

    public func sarif(_ r: AuditReport, lintRules: [LintRule]) throws -> String {
        func level(_ s: LintSeverity) -> String { s == .error ? "error" : (s == .warning ? "warning" : "note") }
        let used = Set(r.findings.map(\.ruleId))
        let rules =
            AuditRules.all.map {
                Sarif.Rule(
                    id: $0.id, name: $0.title.replacing(" ", with: ""), shortDescription: .init(text: $0.title),
                    help: .init(text: $0.fix), defaultConfiguration: .init(level: level($0.severity)))
            }
            + lintRules.filter { used.contains($0.id) }.map {
                Sarif.Rule(
                    id: $0.id, name: $0.title.replacing(" ", with: ""), shortDescription: .init(text: $0.title),
                    help: .init(text: $0.fix), defaultConfiguration: .init(level: level($0.severity)))
            }
        let results = r.findings.map { f in
            let kind =
                f.location.acl != nil
                ? "acl" : f.location.group != nil ? "group" : f.location.topic != nil ? "topic" : "broker"
            return Sarif.Result(
                ruleId: f.ruleId, level: level(f.severity), message: .init(text: "\(f.message). Fix: \(f.fix)"),
                locations: [
                    .init(logicalLocations: [
                        .init(name: f.location.description, fullyQualifiedName: f.location.description, kind: kind)
                    ])
                ])
        }
        return try ReportJSON.encode(
            Sarif(runs: [
                .init(
                    tool: .init(
                        driver: .init(
                            name: "kafka-architect", version: LintRenderer.toolVersion,
                            informationUri: "https://kafka.apache.org/documentation/", rules: rules)),
                    results: results, invocations: [.init(executionSuccessful: r.complete)])
            ]))
    }
}
