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
    /// A laptop or CI cluster of one node: single-broker settings, combined roles and /tmp are expected.
    case development
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

/// What cross-file rules look up in the whole run, computed once per run rather than per unit.
public struct RunIndex: Sendable {
    /// Positions in the run's units, by kind.
    public let byKind: [ConfigKind: [Int]]
    /// Brokers of each Strimzi cluster: its broker-role node pools' replicas, else spec.kafka.replicas.
    public let clusterBrokers: [String: Int]
    /// Each Strimzi cluster's controller-role node pools: the first one's position and the voters.
    public let controllerPools: [String: (first: Int, voters: Int)]
    /// The largest message size a topic or broker raises above Kafka's default (1048588), if any.
    public let raisedMessageLimit: Int64?
    /// Rack-aware fetching across the run: data brokers, whether one selects replicas, consumers with client.rack.
    public let dataBrokers: [Int]
    public let anyBrokerSelectsReplicas: Bool
    public let anyConsumerSetsRack: Bool

    init(_ units: [ConfigUnit]) {
        var byKind: [ConfigKind: [Int]] = [:]
        for (i, u) in units.enumerated() { byKind[u.kind, default: []].append(i) }
        self.byKind = byKind
        var pools: [String: [Int]] = [:]
        var controllers: [String: (first: Int, voters: Int)] = [:]
        for i in byKind[.nodepool] ?? [] {
            guard let cluster = units[i].cluster else { continue }
            let roles = units[i].value("strimzi.roles") ?? "broker"
            if roles.contains("broker") { pools[cluster, default: []].append(i) }
            if roles.contains("controller") {
                let voters = (controllers[cluster]?.voters ?? 0) + (units[i].integer("strimzi.replicas") ?? 0)
                controllers[cluster] = (controllers[cluster]?.first ?? i, voters)
            }
        }
        controllerPools = controllers
        var brokers: [String: Int] = [:]
        for i in byKind[.broker] ?? [] {
            if let cluster = units[i].cluster, let r = units[i].integer("strimzi.replicas"), brokers[cluster] == nil {
                brokers[cluster] = r
            }
        }
        for (cluster, list) in pools {
            let counts = list.compactMap { units[$0].integer("strimzi.replicas") }
            if counts.count == list.count { brokers[cluster] = counts.reduce(0, +) }
        }
        clusterBrokers = brokers
        let limits = units.compactMap { u -> Int64? in
            let key = u.kind == .topic ? "max.message.bytes" : (u.kind == .broker ? "message.max.bytes" : "")
            guard !key.isEmpty, let v = u.value(key).flatMap({ Int64($0.trimmingSpaces()) }), v > 1_048_588 else {
                return nil
            }
            return Swift.min(v, 1 << 52)
        }
        raisedMessageLimit = limits.max()
        dataBrokers = (byKind[.broker] ?? []).filter { !units[$0].isControllerOnly }
        anyBrokerSelectsReplicas = dataBrokers.contains { units[$0].has("replica.selector.class") }
        anyConsumerSetsRack = (byKind[.consumer] ?? []).contains { units[$0].has("client.rack") }
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
    /// Brokers in the cluster (--brokers), when no Strimzi resource in the run says.
    public let brokers: Int?
    /// Availability zones the cluster spans (--zones, or the architecture file's zones).
    public let zones: Int?
    /// Topic-name convention (--naming or the architecture file's naming), as a whole-name regex.
    public let naming: String?

    /// Facts about the run computed once: units by kind, each Strimzi cluster's brokers and quorum.
    public let index: RunIndex

    public init(
        version: KafkaVersion = .default, profile: LintProfile = .balanced, processingTime: Double? = nil,
        units: [ConfigUnit] = [], brokers: Int? = nil, zones: Int? = nil, naming: String? = nil
    ) {
        self.init(
            version: version, profile: profile, processingTime: processingTime, units: units, brokers: brokers,
            zones: zones, naming: naming, index: RunIndex(units))
    }

    init(
        version: KafkaVersion, profile: LintProfile, processingTime: Double?, units: [ConfigUnit], brokers: Int?,
        zones: Int?, naming: String?, index: RunIndex
    ) {
        self.version = version
        self.profile = profile
        self.processingTime = processingTime
        self.units = units
        self.brokers = brokers
        self.zones = zones
        self.naming = naming
        self.index = index
    }

    /// The same context for a unit that runs another Kafka version.
    func with(version: KafkaVersion) -> LintContext {
        LintContext(
            version: version, profile: profile, processingTime: processingTime, units: units, brokers: brokers,
            zones: zones, naming: naming, index: index)
    }

    /// The run's configurations of one kind, in input order.
    public func units(_ kind: ConfigKind) -> [ConfigUnit] { (index.byKind[kind] ?? []).map { units[$0] } }

    public func value(_ u: ConfigUnit, _ key: String) -> String? { ConfigDefaults.effective(u, key, version: version) }

    /// `key=value` when written, `key not set (default value)` when not: findings say which.
    public func describe(_ u: ConfigUnit, _ key: String) -> String {
        // A prefixed key read under its client's name (Streams' producer.acks) is shown as written.
        if let s = u.settings[key] { return "\(s.key.hasSuffix(key) ? s.key : key)=\(s.value)" }
        if let v = u.inherited[key] { return "\(key)=\(v) (from the cluster's config)" }
        return "\(key) not set (default \(value(u, key) ?? "none"))"
    }

    /// Brokers of the unit's cluster: its Strimzi node pools (broker role) or spec.kafka.replicas,
    /// else --brokers.
    public func brokerCount(_ u: ConfigUnit) -> Int? {
        if let cluster = u.cluster, let n = index.clusterBrokers[cluster] { return n }
        if let trait = u.traits.first(where: { $0.hasPrefix("brokers=") }), let n = Int(trait.dropFirst(8)) { return n }
        return brokers
    }

    /// A whole-number value, held to ±2^52 so that the rules' sums and products cannot overflow
    /// (Long.MAX_VALUE in a file still reads as "very large").
    public func int(_ u: ConfigUnit, _ key: String) -> Int64? {
        value(u, key).flatMap { Int64($0.trimmingSpaces()) }.map { Swift.min(Swift.max($0, -(1 << 52)), 1 << 52) }
    }
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
    /// The resource or topic name the example's configuration has.
    public let name: String?

    public init(_ kind: ConfigKind, _ text: String, version: KafkaVersion? = nil, name: String? = nil) {
        documents = [(kind, text)]
        self.version = version
        self.name = name
    }

    public init(_ documents: [(ConfigKind, String)], version: KafkaVersion? = nil) {
        self.documents = documents.map { (kind: $0.0, text: $0.1) }
        self.version = version
        self.name = nil
    }
}

/// Run settings a rule's examples need: --brokers, --zones, --naming.
public struct ExampleContext: Sendable {
    public var brokers: Int?
    public var zones: Int?
    public var naming: String?

    public init(brokers: Int? = nil, zones: Int? = nil, naming: String? = nil) {
        self.brokers = brokers
        self.zones = zones
        self.naming = naming
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
    /// The context the examples need (broker count, zones, naming, profile).
    public let exampleContext: ExampleContext
    public let check: @Sendable (ConfigUnit, LintContext) -> [RuleHit]

    public init(
        _ id: String, _ category: LintCategory, _ severity: LintSeverity, title: String, kinds: Set<ConfigKind>,
        keys: [String],
        profiles: [LintProfile: LintSeverity?] = [:], rationale: String, fix: String, doc: String? = nil,
        fires: RuleExample, passes: RuleExample, exampleContext: ExampleContext = ExampleContext(),
        check: @escaping @Sendable (ConfigUnit, LintContext) -> [RuleHit]
    ) {
        self.exampleContext = exampleContext
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
        // A development cluster keeps security and upgrade findings; replication and failover ones are
        // notes; a rule the balanced profile turns off stays off.
        if profile == .development, let balanced = profiles[.balanced], balanced == nil { return nil }
        if profile == .development, [.durability, .availability].contains(category) { return .info }
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
