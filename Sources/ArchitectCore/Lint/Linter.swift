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
    /// What the configuration is (broker, topic, producer, …), as detected or given.
    public var kind: ConfigKind = .admin
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
    /// --brokers, --zones, --naming: facts about the cluster no file in the run states.
    public var brokers: Int? = nil
    public var zones: Int? = nil
    public var naming: String? = nil

    public init() {}

    // Long because: one pass applies rules, suppressions and the two suppression-misuse findings per unit.
    public func lint(_ input: [ConfigUnit]) -> [LintFinding] {
        let units = StrimziLinks.resolve(input)
        let context = LintContext(
            version: version, profile: profile, processingTime: processingTime, units: units, brokers: brokers,
            zones: zones, naming: naming)
        var findings: [LintFinding] = []
        for unit in units {
            let context = unit.version.map { context.with(version: $0) } ?? context
            let controllerOnly = unit.isControllerOnly
            for rule in rules
            where rule.kinds.contains(unit.kind) && !disabled.contains(rule.id)
                && !(controllerOnly && rule.concernsTopicData)
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
                            configs: h.configs, message: h.message, fix: rule.fix, kind: unit.kind))
                }
            }
            for s in unit.suppressions where s.reason.isEmpty {
                findings.append(
                    LintFinding(
                        ruleId: "KA-OPS-000", severity: .warning, file: unit.file, line: s.line, name: unit.name,
                        configs: [],
                        message: "suppression of \(s.ruleId) gives no reason, so it is ignored",
                        fix:
                            "Write the reason after the rule ID: # kafka-architect:disable \(s.ruleId) <why this is acceptable here>",
                        kind: unit.kind))
            }
            for s in unit.suppressions where !s.reason.isEmpty && LintRules.rule(s.ruleId) == nil {
                findings.append(
                    LintFinding(
                        ruleId: "KA-OPS-000", severity: .warning, file: unit.file, line: s.line, name: unit.name,
                        configs: [],
                        message: "suppression names an unknown rule \(s.ruleId)",
                        fix: "Use an ID from `kafka-architect rules`.", kind: unit.kind))
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
        ([.durability, .availability, .performance].contains(category)
            || ["KA-OPS-001", "KA-OPS-005", "KA-OPS-006", "KA-OPS-007"].contains(id))
            && !["KA-AVL-009"].contains(id)
    }
}

/// Links Strimzi resources in one run: a KafkaTopic takes its defaults and Kafka version from the
/// Kafka resource its strimzi.io/cluster label names (spec.kafka.config, spec.kafka.version).
enum StrimziLinks {
    /// Broker settings that are a topic's defaults, as (broker key, topic key).
    static let topicDefaults: [(String, String)] = [
        ("min.insync.replicas", "min.insync.replicas"), ("default.replication.factor", "replication.factor"),
        ("log.retention.ms", "retention.ms"), ("log.retention.bytes", "retention.bytes"),
        ("log.segment.bytes", "segment.bytes"), ("message.max.bytes", "max.message.bytes"),
        ("compression.type", "compression.type"), ("log.cleanup.policy", "cleanup.policy"),
        ("unclean.leader.election.enable", "unclean.leader.election.enable"),
    ]

    static func resolve(_ units: [ConfigUnit]) -> [ConfigUnit] {
        let clusters = Dictionary(
            units.compactMap { u in u.kind == .broker ? u.cluster.map { ($0, u) } : nil },
            uniquingKeysWith: { a, _ in a })
        guard !clusters.isEmpty else { return units }
        return units.map { u in
            guard u.kind == .topic || u.kind == .user, let name = u.cluster, let kafka = clusters[name] else {
                return u
            }
            var out = u
            out.version = out.version ?? kafka.version
            for (brokerKey, topicKey) in topicDefaults {
                if let v = kafka.value(brokerKey), out.inherited[topicKey] == nil { out.inherited[topicKey] = v }
            }
            if let hours = kafka.value("log.retention.hours").flatMap({ Int64($0) }),
                out.inherited["retention.ms"] == nil
            {
                out.inherited["retention.ms"] = String(hours * 3_600_000)
            }
            return out
        }
    }
}
