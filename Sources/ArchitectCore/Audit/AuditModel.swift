// The audit's vocabulary: rules (ID, severity, what it means, the fix), findings with where they are
// (broker, topic, partition, group, ACL), and the report that counts them.

public enum AuditArea: String, Sendable, Equatable, Codable, CaseIterable {
    case configuration, health, access
}

/// Where a finding is. Empty fields do not apply.
public struct AuditLocation: Sendable, Equatable, Hashable, Codable {
    public var broker: Int32?
    /// Several brokers, when one finding stands for the same problem on each.
    public var brokers: [Int32]?
    public var topic: String?
    public var partition: Int32?
    public var group: String?
    public var acl: String?

    public init(
        broker: Int32? = nil, brokers: [Int32]? = nil, topic: String? = nil, partition: Int32? = nil,
        group: String? = nil, acl: String? = nil
    ) {
        self.broker = broker
        self.brokers = brokers
        self.topic = topic
        self.partition = partition
        self.group = group
        self.acl = acl
    }

    /// "broker 2", "topic orders partition 3", "group billing", "ACL …".
    public var description: String {
        var parts: [String] = []
        if let broker { parts.append("broker \(broker)") }
        if let brokers { parts.append("brokers \(brokers.map(String.init).joined(separator: ", "))") }
        if let topic { parts.append("topic \(topic)") }
        if let partition { parts.append("partition \(partition)") }
        if let group { parts.append("group \(group)") }
        if let acl { parts.append("ACL \(acl)") }
        return parts.isEmpty ? "cluster" : parts.joined(separator: " ")
    }
}

public struct AuditRule: Sendable, Equatable {
    public let id: String
    public let area: AuditArea
    public let severity: LintSeverity
    public let title: String
    public let fix: String
}

public struct AuditFinding: Sendable, Equatable {
    public let ruleId: String
    public let area: AuditArea
    public let severity: LintSeverity
    public let message: String
    public let fix: String
    public let location: AuditLocation

    public init(
        ruleId: String, area: AuditArea, severity: LintSeverity, message: String, fix: String, location: AuditLocation
    ) {
        self.ruleId = ruleId
        self.area = area
        self.severity = severity
        self.message = message
        self.fix = fix
        self.location = location
    }

    init(_ rule: AuditRule, _ message: String, _ location: AuditLocation, severity: LintSeverity? = nil) {
        self.init(
            ruleId: rule.id, area: rule.area, severity: severity ?? rule.severity, message: message, fix: rule.fix,
            location: location)
    }
}

/// What the audit holds the cluster to; every field has a documented default (docs/audit.md).
public struct AuditPolicy: Sendable, Equatable {
    /// Replication factor topics should have.
    public var replicationFactor: Int = 3
    /// Kafka version whose defaults apply to values the cluster reports as defaults.
    public var version: KafkaVersion = .default
    /// Partition replicas per broker above which a broker is overloaded (Confluent's guidance: 4,000).
    public var maxReplicasPerBroker: Int = 4000
    /// A broker with more than this × the mean leaders, replicas or bytes is skewed.
    public var skewRatio: Double = 1.25
    /// Kafka's leader.imbalance.per.broker.percentage default: above it the controller rebalances leaders.
    public var preferredLeaderImbalancePercent: Double = 10
    /// Log-dir use (of total) that warns, and that is an error.
    public var diskWarnFraction: Double = 0.80
    public var diskErrorFraction: Double = 0.90

    public init() {}
}

public struct AuditSummary: Sendable, Equatable {
    public var clusterId: String?
    public var takenAt: String
    public var brokers: Int
    public var racks: Int
    public var topics: Int
    public var partitions: Int
    public var replicas: Int
    public var groups: Int
    public var acls: Int
    public var underReplicated: Int
    public var underMinIsr: Int
    public var atMinIsr: Int
    public var offline: Int
    /// Leaders and replicas per broker id, ascending.
    public var leadersByBroker: [(broker: Int32, leaders: Int, replicas: Int)]

    public static func == (a: Self, b: Self) -> Bool {
        a.clusterId == b.clusterId && a.takenAt == b.takenAt && a.brokers == b.brokers && a.topics == b.topics
            && a.partitions == b.partitions && a.replicas == b.replicas && a.groups == b.groups && a.acls == b.acls
            && a.underReplicated == b.underReplicated && a.underMinIsr == b.underMinIsr && a.atMinIsr == b.atMinIsr
            && a.offline == b.offline && a.racks == b.racks
            && a.leadersByBroker.map { [$0.broker, Int32($0.leaders), Int32($0.replicas)] }
                == b.leadersByBroker.map { [$0.broker, Int32($0.leaders), Int32($0.replicas)] }
    }
}

public struct AuditReport: Sendable, Equatable {
    public var summary: AuditSummary
    /// Most severe first, then by rule and location.
    public var findings: [AuditFinding]
    /// APIs the cluster did not answer (from the snapshot): checks that need them were not run.
    public var unsupported: [ClusterSnapshot.Unsupported]
    public var complete: Bool
    public var missing: [String]
    /// Checks skipped for lack of data, in words.
    public var notes: [String]

    public func count(_ severity: LintSeverity) -> Int { findings.filter { $0.severity == severity }.count }
}

/// "1 topic", "3 topics" (words whose plural adds an s).
public func counted(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
