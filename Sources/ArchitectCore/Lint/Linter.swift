// Runs the rule catalog over configurations: effective values, profiles, enable/disable, and
// inline suppressions (which must give a reason).

public struct LintFinding: Sendable, Equatable {
    public let ruleId: String
    public let severity: LintSeverity
    public let file: String
    public let line: Int
    /// The resource or topic inside the file, when there are several.
    public let name: String?
    public let configs: [String]
    public let message: String
    public let fix: String
}

public struct Linter: Sendable {
    public var version: KafkaVersion = .default
    public var profile: LintProfile = .balanced
    public var processingTime: Double? = nil
    /// Rule IDs to skip.
    public var disabled: Set<String> = []
    /// Rule IDs to run even where the profile turns them off.
    public var enabled: Set<String> = []
    public var rules: [LintRule] = LintRules.all

    public init() {}

    public func lint(_ units: [ConfigUnit]) -> [LintFinding] {
        let context = LintContext(version: version, profile: profile, processingTime: processingTime, units: units)
        var findings: [LintFinding] = []
        for unit in units {
            for rule in rules
            where rule.kinds.contains(unit.kind) && !disabled.contains(rule.id)
                && !(unit.isControllerOnly && rule.concernsTopicData)
            {
                guard let severity = rule.severity(for: profile) ?? (enabled.contains(rule.id) ? rule.severity : nil)
                else { continue }
                for h in rule.check(unit, context) {
                    let suppressed = unit.suppressions.contains { s in
                        s.ruleId == rule.id && !s.reason.isEmpty
                            && (s.appliesToLine == nil || s.appliesToLine == h.line)
                    }
                    if suppressed { continue }
                    findings.append(
                        LintFinding(
                            ruleId: rule.id, severity: severity, file: unit.file, line: h.line, name: unit.name,
                            configs: h.configs, message: h.message, fix: rule.fix))
                }
            }
            for s in unit.suppressions where s.reason.isEmpty {
                findings.append(
                    LintFinding(
                        ruleId: "KA-OPS-000", severity: .warning, file: unit.file, line: s.line, name: unit.name,
                        configs: [],
                        message: "suppression of \(s.ruleId) gives no reason, so it is ignored",
                        fix:
                            "Write the reason after the rule ID: # kafka-architect:disable \(s.ruleId) <why this is acceptable here>"
                    ))
            }
            for s in unit.suppressions where !s.reason.isEmpty && LintRules.rule(s.ruleId) == nil {
                findings.append(
                    LintFinding(
                        ruleId: "KA-OPS-000", severity: .warning, file: unit.file, line: s.line, name: unit.name,
                        configs: [],
                        message: "suppression names an unknown rule \(s.ruleId)",
                        fix: "Use an ID from `kafka-architect rules`."))
            }
        }
        return findings.sorted { a, b in
            (a.file, a.line, a.ruleId, a.message) < (b.file, b.line, b.ruleId, b.message)
        }
    }
}

extension ConfigUnit {
    /// A KRaft controller that hosts no topic data (`process.roles=controller`).
    var isControllerOnly: Bool {
        guard kind == .broker, let roles = value("process.roles") else { return false }
        return roles.split(separator: ",").map { $0.trimmingSpaces() } == ["controller"]
    }
}

extension LintRule {
    /// Rules about topics, replication and client data, which a controller-only node does not serve.
    var concernsTopicData: Bool {
        [.durability, .availability, .performance].contains(category)
            || ["KA-OPS-001", "KA-OPS-005", "KA-OPS-006", "KA-OPS-007"].contains(id)
    }
}
