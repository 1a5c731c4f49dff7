// The configuration-review rule model: each rule is data (ID, severity per profile, keys, rationale,
// fix, documentation link, examples that fire and do not) plus one check over effective values.

public enum LintSeverity: String, Sendable, Equatable, Comparable, CaseIterable, Codable {
    case info, warning, error

    var rank: Int { self == .info ? 0 : (self == .warning ? 1 : 2) }
    public static func < (a: LintSeverity, b: LintSeverity) -> Bool { a.rank < b.rank }
}

public enum LintCategory: String, Sendable, Equatable, CaseIterable, Codable {
    case durability, availability, performance, security, operability, upgrade

    var code: String {
        switch self {
        case .durability: "DUR"
        case .availability: "AVL"
        case .performance: "PERF"
        case .security: "SEC"
        case .operability: "OPS"
        case .upgrade: "UPG"
        }
    }
}

/// What the review optimises for. Profiles change severities and which rules apply.
public enum LintProfile: String, Sendable, Equatable, CaseIterable, Codable {
    case durability, throughput, latency, balanced
}

/// A finding before suppression and severity resolution.
public struct RuleHit: Sendable, Equatable {
    public let line: Int
    public let configs: [String]
    public let message: String

    public init(line: Int, configs: [String], message: String) {
        self.line = line
        self.configs = configs
        self.message = message
    }
}

/// Everything a rule may read besides the configuration itself.
public struct LintContext: Sendable {
    public let version: KafkaVersion
    public let profile: LintProfile
    /// Per-message processing time, seconds, when known (for max.poll.interval.ms checks).
    public let processingTime: Double?
    /// Every configuration in the run, for cross-file checks.
    public let units: [ConfigUnit]

    public init(
        version: KafkaVersion = .default, profile: LintProfile = .balanced, processingTime: Double? = nil,
        units: [ConfigUnit] = []
    ) {
        self.version = version
        self.profile = profile
        self.processingTime = processingTime
        self.units = units
    }

    public func value(_ u: ConfigUnit, _ key: String) -> String? { ConfigDefaults.effective(u, key, version: version) }
    public func int(_ u: ConfigUnit, _ key: String) -> Int64? { value(u, key).flatMap { Int64($0.trimmingSpaces()) } }
    public func bool(_ u: ConfigUnit, _ key: String) -> Bool? {
        switch value(u, key)?.trimmingSpaces().lowercased() {
        case "true": true
        case "false": false
        default: nil
        }
    }
}

/// An example configuration a rule's tests use: one or more (kind, properties text) documents.
public struct RuleExample: Sendable {
    public let documents: [(kind: ConfigKind, text: String)]
    public let version: KafkaVersion?

    public init(_ kind: ConfigKind, _ text: String, version: KafkaVersion? = nil) {
        documents = [(kind, text)]
        self.version = version
    }

    public init(_ documents: [(ConfigKind, String)], version: KafkaVersion? = nil) {
        self.documents = documents.map { (kind: $0.0, text: $0.1) }
        self.version = version
    }
}

public struct LintRule: Sendable {
    public let id: String
    public let title: String
    public let category: LintCategory
    /// Severity under the balanced profile.
    public let severity: LintSeverity
    /// Severity under other profiles; `nil` turns the rule off there.
    public let profiles: [LintProfile: LintSeverity?]
    public let kinds: Set<ConfigKind>
    public let keys: [String]
    public let rationale: String
    public let fix: String
    public let documentation: String
    public let fires: RuleExample
    public let passes: RuleExample
    public let check: @Sendable (ConfigUnit, LintContext) -> [RuleHit]

    public init(
        _ id: String, _ category: LintCategory, _ severity: LintSeverity, title: String, kinds: Set<ConfigKind>,
        keys: [String],
        profiles: [LintProfile: LintSeverity?] = [:], rationale: String, fix: String, doc: String? = nil,
        fires: RuleExample, passes: RuleExample, check: @escaping @Sendable (ConfigUnit, LintContext) -> [RuleHit]
    ) {
        self.id = id
        self.title = title
        self.category = category
        self.severity = severity
        self.profiles = profiles
        self.kinds = kinds
        self.keys = keys
        self.rationale = rationale
        self.fix = fix
        self.documentation = doc ?? Self.documentationLink(kinds: kinds, key: keys.first ?? "")
        self.fires = fires
        self.passes = passes
        self.check = check
    }

    /// The severity under a profile, or nil when the profile turns the rule off.
    public func severity(for profile: LintProfile) -> LintSeverity? {
        if let override = profiles[profile] { return override }
        return severity
    }

    /// Kafka's configuration reference anchors: #producerconfigs_acks, #brokerconfigs_…, #topicconfigs_….
    static func documentationLink(kinds: Set<ConfigKind>, key: String) -> String {
        let section: String
        if kinds.contains(.producer) {
            section = "producerconfigs"
        } else if kinds.contains(.consumer) {
            section = "consumerconfigs"
        } else if kinds.contains(.topic) && !kinds.contains(.broker) {
            section = "topicconfigs"
        } else if kinds.contains(.broker) {
            section = "brokerconfigs"
        } else if kinds.contains(.streams) {
            section = "streamsconfigs"
        } else if kinds.contains(.connect) {
            section = "connectconfigs"
        } else {
            section = "adminclientconfigs"
        }
        return "https://kafka.apache.org/documentation/#\(section)_\(key)"
    }
}
