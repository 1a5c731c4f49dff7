// The architecture file as the cluster's source of truth (issue 17): what `diff` and `apply` would
// change, computed purely from the desired resources and a cluster snapshot. Terraform's vocabulary: create,
// update, delete (only with prune), and cannot (with why). Resources the file does not mention are unmanaged,
// not drift. The plan carries a fingerprint of the cluster id and of the state of every resource it touches
// (never offsets or ISR), so a reviewed plan can refuse to apply to a cluster that changed.

/// A topic the file manages: its shape and the configs it sets (only those are compared).
public struct ManagedTopic: Sendable, Equatable {
    public var name: String
    public var partitions: Int
    public var replicationFactor: Int
    public var configs: [String: String]
    /// Records carry keys (adding partitions moves keys to other partitions).
    public var keyed: Bool

    public init(
        name: String, partitions: Int, replicationFactor: Int, configs: [String: String] = [:], keyed: Bool = true
    ) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
        self.keyed = keyed
    }
}

/// What the file says the cluster holds.
public struct DesiredState: Sendable, Equatable {
    public var topics: [ManagedTopic]
    public var acls: [ClusterSnapshot.Acl]
    public var quotas: [ClusterSnapshot.Quota]

    public init(topics: [ManagedTopic] = [], acls: [ClusterSnapshot.Acl] = [], quotas: [ClusterSnapshot.Quota] = []) {
        self.topics = topics
        self.acls = acls
        self.quotas = quotas
    }
}

public struct SyncChange: Sendable, Equatable, Codable {
    public enum Action: String, Sendable, Equatable, Codable { case create, update, delete, cannot }
    public enum Resource: String, Sendable, Equatable, Codable { case topic, partitions, config, acl, quota }
    public var action: Action
    public var resourceType: Resource
    /// `orders`, `orders retention.ms`, an ACL or quota entity in Kafka's words.
    public var name: String
    public var before: String?
    public var after: String?
    public var reason: String?
    /// Something a reviewer must know (adding partitions to a keyed topic moves keys).
    public var warning: String?
    /// What `apply` sends for it; nil for `cannot`.
    public var operation: SyncOperation?

    public init(
        action: Action, resourceType: Resource, name: String, before: String?, after: String?, reason: String? = nil,
        warning: String? = nil, operation: SyncOperation? = nil
    ) {
        self.action = action
        self.resourceType = resourceType
        self.name = name
        self.before = before
        self.after = after
        self.reason = reason
        self.warning = warning
        self.operation = operation
    }

    enum CodingKeys: String, CodingKey { case action, resourceType, name, before, after, reason, warning, operation }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(action, forKey: .action)
        try c.encode(resourceType, forKey: .resourceType)
        try c.encode(name, forKey: .name)
        try c.encode(before, forKey: .before)
        try c.encode(after, forKey: .after)
        try c.encode(reason, forKey: .reason)
        try c.encode(warning, forKey: .warning)
        try c.encode(operation, forKey: .operation)
    }
}

/// One admin request's worth of change, in Kafka's terms: what `apply` executes, and what a saved plan holds.
public struct SyncOperation: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable {
        case createTopic, createPartitions, setConfig, resetConfig, deleteTopic, createAcl, deleteAcl, setQuota
        case removeQuota
    }
    public var kind: Kind
    public var topic: String?
    public var partitions: Int?
    public var replicationFactor: Int?
    public var configs: [String: String]?
    public var key: String?
    public var value: String?
    public var acl: ClusterSnapshot.Acl?
    public var quota: ClusterSnapshot.QuotaEntity?
    public var quotaValue: Double?

    public init(
        _ kind: Kind, topic: String? = nil, partitions: Int? = nil, replicationFactor: Int? = nil,
        configs: [String: String]? = nil, key: String? = nil, value: String? = nil, acl: ClusterSnapshot.Acl? = nil,
        quota: ClusterSnapshot.QuotaEntity? = nil, quotaValue: Double? = nil
    ) {
        self.kind = kind
        self.topic = topic
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
        self.key = key
        self.value = value
        self.acl = acl
        self.quota = quota
        self.quotaValue = quotaValue
    }

    /// Topics, then ACLs, then quotas: an ACL may name a topic the plan creates, and quotas throttle clients
    /// that the ACLs let in.
    public var phase: Int {
        switch kind {
        case .createTopic, .createPartitions, .setConfig, .resetConfig, .deleteTopic: 0
        case .createAcl, .deleteAcl: 1
        case .setQuota, .removeQuota: 2
        }
    }
}

/// A resource whose state the fingerprint covers: a topic (its shape and the config keys the plan compares), an
/// ACL binding (present or not) or a quota entity (its values).
public struct SyncResource: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable { case topic, acl, quota }
    public var kind: Kind
    public var name: String
    public var keys: [String]

    public init(_ kind: Kind, _ name: String, keys: [String] = []) {
        self.kind = kind
        self.name = name
        self.keys = keys
    }
}

public struct SyncPlan: Sendable, Equatable, Codable {
    /// The plan file's format version.
    public static let currentPlanVersion = 2
    public var planVersion = SyncPlan.currentPlanVersion
    public var clusterId: String?
    public var prune = false
    /// Topics before ACLs before quotas; within each, by name.
    public var changes: [SyncChange]
    /// Resources on the cluster the file does not mention (deletes only with prune).
    public var unmanaged: [String]
    /// The resources the fingerprint covers.
    public var resources: [SyncResource] = []
    /// FNV-1a 64 of the cluster id and the current state of every resource the plan touches.
    public var fingerprint: String
    /// FNV-1a 64 of the changes themselves (every field, operation included): a plan edited after it was made
    /// no longer matches, so `apply --plan` applies only what was reviewed.
    public var changesDigest: String?

    public var inSync: Bool { changes.isEmpty }

    public init(
        clusterId: String?, prune: Bool = false, changes: [SyncChange], unmanaged: [String],
        resources: [SyncResource] = [], fingerprint: String
    ) {
        self.clusterId = clusterId
        self.prune = prune
        self.changes = changes
        self.unmanaged = unmanaged
        self.resources = resources
        self.fingerprint = fingerprint
        self.changesDigest = Self.digest(changes, prune: prune)
    }

    /// The digest of a change list, from a canonical line per change.
    public static func digest(_ changes: [SyncChange], prune: Bool) -> String {
        func text(_ o: SyncOperation?) -> String {
            guard let o else { return "-" }
            let configs = (o.configs ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            let fields: [String] = [
                o.kind.rawValue, o.topic ?? "", o.partitions.map(String.init) ?? "",
                o.replicationFactor.map(String.init) ?? "",
                configs.joined(separator: ","), o.key ?? "", o.value ?? "", o.acl.map(SyncPlanner.aclName) ?? "",
                o.quota.map(SyncPlanner.quotaName) ?? "", o.quotaValue.map { String($0) } ?? "",
            ]
            return fields.joined(separator: "\u{1f}")
        }
        let lines = changes.map { c in
            [
                c.action.rawValue, c.resourceType.rawValue, c.name, c.before ?? "", c.after ?? "", c.reason ?? "",
                c.warning ?? "", text(c.operation),
            ].joined(separator: "\u{1e}")
        }
        return SyncPlanner.fnv1a((["prune \(prune)"] + lines).joined(separator: "\n"))
    }
}

public struct SyncPlanner: Sendable {
    public var prune: Bool

    public init(prune: Bool = false) { self.prune = prune }

    // Long because: the file's topics (each compared, created or refused), then the cluster's other topics, then
    // ACLs and quotas, in one pass that records what the fingerprint covers.
    public func diff(_ desired: DesiredState, _ cluster: ClusterSnapshot) -> SyncPlan {
        var changes: [SyncChange] = []
        var touched: [SyncResource] = []
        var unmanaged: [String] = []
        let topics = Dictionary(cluster.topics.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let unknownConfigs = cluster.unsupported.contains { $0.api.hasPrefix("DescribeConfigs") }
        for t in desired.topics.sorted(by: { $0.name < $1.name }) {
            if let have = topics[t.name] {
                let (c, resets) = topicChanges(t, have, unknownConfigs: unknownConfigs, unmanaged: &unmanaged)
                changes += c
                touched.append(SyncResource(.topic, t.name, keys: (Array(t.configs.keys) + resets).sorted()))
            } else if let other = cluster.topics.first(where: {
                $0.name != t.name && KafkaNames.collisionKey($0.name) == KafkaNames.collisionKey(t.name)
            }) {
                changes.append(
                    .init(
                        action: .cannot, resourceType: .topic, name: t.name, before: nil,
                        after: "\(t.partitions) partitions",
                        reason:
                            "topic \(other.name) exists, and Kafka refuses names that differ only in '.' and '_' (their metrics collide: INVALID_TOPIC_EXCEPTION)"
                    ))
            } else if !cluster.brokers.isEmpty && t.replicationFactor > cluster.brokers.count {
                changes.append(
                    .init(
                        action: .cannot, resourceType: .topic, name: t.name, before: nil,
                        after: "\(t.partitions) partition\(t.partitions == 1 ? "" : "s"), RF \(t.replicationFactor)",
                        reason:
                            "RF \(t.replicationFactor) needs \(t.replicationFactor) brokers and the cluster has \(cluster.brokers.count): Kafka refuses it (INVALID_REPLICATION_FACTOR)"
                    ))
            } else {
                touched.append(SyncResource(.topic, t.name, keys: t.configs.keys.sorted()))
                let configs = t.configs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                changes.append(
                    .init(
                        action: .create, resourceType: .topic, name: t.name, before: nil,
                        after: (["\(t.partitions) partition\(t.partitions == 1 ? "" : "s"), RF \(t.replicationFactor)"]
                            + configs).joined(
                                separator: ", "),
                        warning: t.configs["min.insync.replicas"].flatMap {
                            Self.configWarning("min.insync.replicas", from: nil, to: $0, rf: t.replicationFactor)
                        },
                        operation: .init(
                            .createTopic, topic: t.name, partitions: t.partitions,
                            replicationFactor: t.replicationFactor, configs: t.configs)))
            }
        }
        let managedTopics = Set(desired.topics.map(\.name))
        for t in cluster.topics.sorted(by: { $0.name < $1.name }) where !managedTopics.contains(t.name) {
            if let why = SyncScope.topicExcluded(t) {
                if !t.internal { unmanaged.append("topic \(t.name) (\(why): never pruned)") }
            } else if prune, let why = SyncScope.pruneProtected(t.name) {
                unmanaged.append("topic \(t.name) (\(why): kept by --prune; name it in the file to manage it)")
            } else if prune {
                touched.append(SyncResource(.topic, t.name))
                let n = t.partitions.count
                changes.append(
                    .init(
                        action: .delete, resourceType: .topic, name: t.name,
                        before: "\(n) partition\(n == 1 ? "" : "s")", after: nil,
                        warning: "every record in it is deleted, and its consumers' offsets become meaningless",
                        operation: .init(.deleteTopic, topic: t.name)))
            } else {
                unmanaged.append("topic \(t.name)")
            }
        }
        let noAuthorizer = cluster.unsupported.contains {
            $0.api == "DescribeAcls" && $0.reason.hasPrefix("SECURITY_DISABLED")
        }
        changes += aclChanges(
            desired.acls, cluster.acls, noAuthorizer: noAuthorizer, touched: &touched, unmanaged: &unmanaged)
        changes += quotaChanges(desired.quotas, cluster.quotas, touched: &touched, unmanaged: &unmanaged)
        return SyncPlan(
            clusterId: cluster.clusterId, prune: prune, changes: changes, unmanaged: unmanaged, resources: touched,
            fingerprint: Self.fingerprint(touched, cluster))
    }

    func aclChanges(
        _ want: [ClusterSnapshot.Acl], _ have: [ClusterSnapshot.Acl], noAuthorizer: Bool = false,
        touched: inout [SyncResource], unmanaged: inout [String]
    ) -> [SyncChange] {
        var out: [SyncChange] = []
        let haveByName = Dictionary(have.map { (Self.aclName($0), $0) }, uniquingKeysWith: { a, _ in a })
        let wantByName = Dictionary(want.map { (Self.aclName($0), $0) }, uniquingKeysWith: { a, _ in a })
        for (name, acl) in wantByName.sorted(by: { $0.key < $1.key }) where haveByName[name] == nil {
            // Without an authorizer Kafka refuses CreateAcls (SECURITY_DISABLED) and no ACL would apply anyway.
            if noAuthorizer {
                out.append(
                    .init(
                        action: .cannot, resourceType: .acl, name: name, before: nil, after: "present",
                        reason:
                            "the cluster has no authorizer (DescribeAcls answered SECURITY_DISABLED): set authorizer.class.name on the brokers (and controllers) first"
                    ))
                continue
            }
            touched.append(SyncResource(.acl, name))
            out.append(
                .init(
                    action: .create, resourceType: .acl, name: name, before: nil, after: "present",
                    operation: .init(.createAcl, acl: acl)))
        }
        for (name, acl) in haveByName.sorted(by: { $0.key < $1.key }) where wantByName[name] == nil {
            if SyncScope.aclExcluded(acl) != nil {
                unmanaged.append("acl \(name) (the file format cannot state it: never pruned)")
            } else if prune {
                touched.append(SyncResource(.acl, name))
                out.append(
                    .init(
                        action: .delete, resourceType: .acl, name: name, before: "present", after: nil,
                        operation: .init(.deleteAcl, acl: acl)))
            } else {
                unmanaged.append("acl \(name)")
            }
        }
        return out
    }

    /// A managed topic's changes (its shape, then each config the file sets) and the keys set on the topic
    /// that the file leaves out: listed as unmanaged, or reset to their defaults with prune.
    func topicChanges(
        _ t: ManagedTopic, _ have: ClusterSnapshot.Topic, unknownConfigs: Bool, unmanaged: inout [String]
    ) -> ([SyncChange], [String]) {
        var out = shapeChanges(t, have)
        for (key, want) in t.configs.sorted(by: { $0.key < $1.key }) {
            let entry = have.configs[key]
            if let value = entry?.value, Self.same(value, want) { continue }
            let set = SyncOperation(.setConfig, topic: t.name, key: key, value: want)
            if entry?.sensitive == true {
                out.append(
                    .init(
                        action: .update, resourceType: .config, name: "\(t.name) \(key)", before: nil,
                        after: "(sensitive)", reason: "the cluster hides its value: it is set again", operation: set))
                continue
            }
            let before = entry?.value.map { v in "\(v) (\(entry?.source.rawValue ?? "unknown"))" }
            out.append(
                .init(
                    action: .update, resourceType: .config, name: "\(t.name) \(key)", before: before, after: want,
                    reason: entry == nil && unknownConfigs
                        ? "the cluster reported no configurations (DescribeConfigs gave no entries): it cannot be confirmed, so it is set"
                        : nil,
                    warning: Self.configWarning(key, from: entry?.value, to: want, rf: t.replicationFactor),
                    operation: set))
        }
        var resets: [String] = []
        for (key, entry) in have.configs.sorted(by: { $0.key < $1.key })
        where entry.source == .topic && t.configs[key] == nil {
            if SyncScope.configExcluded(key, entry) != nil {
                unmanaged.append("config \(t.name) \(key) (the file format cannot state it: never reset)")
            } else if prune {
                resets.append(key)
                out.append(
                    .init(
                        action: .delete, resourceType: .config, name: "\(t.name) \(key)",
                        before: "\(entry.value ?? "") (topic)", after: "the cluster's default",
                        reason: "set on the topic but not in the file", warning: Self.resetWarning(key, entry.value),
                        operation: .init(.resetConfig, topic: t.name, key: key)))
            } else {
                unmanaged.append("config \(t.name) \(key)=\(entry.value ?? "") (set on the topic, not in the file)")
            }
        }
        return (out, resets)
    }

    /// Partitions and replication factor. The replication factor is each partition's now (a move in progress
    /// has not added its joining replicas yet); a move in progress, or partitions that differ, cannot be
    /// reconciled here.
    func shapeChanges(_ t: ManagedTopic, _ have: ClusterSnapshot.Topic) -> [SyncChange] {
        var out: [SyncChange] = []
        let count = have.partitions.count
        let moving = have.partitions.filter(\.reassigning)
        if t.partitions > count && !moving.isEmpty {
            out.append(
                .init(
                    action: .cannot, resourceType: .partitions, name: t.name, before: String(count),
                    after: String(t.partitions),
                    reason: "a reassignment is in progress on the topic: add partitions when it completes"))
        } else if t.partitions < count {
            out.append(
                .init(
                    action: .cannot, resourceType: .partitions, name: t.name, before: String(count),
                    after: String(t.partitions),
                    reason: "a partition count cannot go down: recreate the topic (data lost) or keep \(count)"))
        } else if t.partitions > count {
            out.append(
                .init(
                    action: .update, resourceType: .partitions, name: t.name, before: String(count),
                    after: String(t.partitions),
                    warning: t.keyed
                        ? "keys move to other partitions: per-key order breaks for records in flight, and consumers of compacted or stateful data see keys on new partitions"
                        : nil,
                    operation: .init(.createPartitions, topic: t.name, partitions: t.partitions)))
        }
        // During a move the replication factor that counts is the one it moves to: a move that keeps it is no
        // drift (Cruise Control moving replicas does not turn the gate red).
        if !have.partitions.isEmpty
            && have.partitions.contains(where: { $0.targetReplicationFactor != t.replicationFactor })
        {
            out.append(
                .init(
                    action: .cannot, resourceType: .topic, name: t.name, before: Self.rfText(have),
                    after: "RF \(t.replicationFactor)",
                    reason:
                        "a replication factor changes only by reassignment: kafka-reassign-partitions.sh --execute with a plan that adds or removes replicas (kafka-architect rebalance, issue 18)"
                ))
        }
        return out
    }

    /// What a reviewer must know about a config change: one that loses data or makes writes fail.
    static func configWarning(_ key: String, from before: String?, to after: String, rf: Int) -> String? {
        switch key {
        case "min.insync.replicas":
            guard let m = Int(after), m > rf else { return nil }
            return
                "min.insync.replicas \(m) is more than the \(rf) replicas: every acks=all write is refused (NOT_ENOUGH_REPLICAS)"
        case "retention.ms", "retention.bytes", "local.retention.ms", "local.retention.bytes":
            guard let b = before.flatMap({ Int64($0) }), let a = Int64(after) else { return nil }
            // -1 (and -2 for local.*) is no limit (or the same as retention): going to a limit lowers it.
            let lower = a >= 0 && (b < 0 || a < b)
            return lower
                ? "lowers \(key) from \(b) to \(a): records beyond the new limit are deleted at the next retention check, and cannot be read again"
                : nil
        case "cleanup.policy":
            let was = Set((before ?? "delete").split(separator: ",").map { String($0).trimmingSpaces() })
            let now = Set(after.split(separator: ",").map { String($0).trimmingSpaces() })
            if now.contains("compact") && !was.contains("compact") {
                return
                    "compaction keeps only the latest record per key: older records of each key are removed, and records without a key are refused"
            }
            return nil
        default: return nil
        }
    }

    /// What going back to the broker's default means for the keys that lose or keep data. The default itself is
    /// not read (DescribeConfigs synonyms), so it is named by its broker setting and Kafka's default.
    static func resetWarning(_ key: String, _ value: String?) -> String? {
        switch key {
        case "retention.ms", "retention.bytes", "local.retention.ms", "local.retention.bytes":
            return
                "\(key) falls back to the broker's log.retention setting (Kafka's default: 7 days, no size limit): if that is shorter than \(value ?? "the current value"), records are deleted at the next retention check"
        case "cleanup.policy" where value?.contains("compact") == true:
            return
                "compaction stops: the broker's log.cleanup.policy (Kafka's default: delete) removes old records by time, including the latest value of each key"
        case "min.insync.replicas":
            return
                "min.insync.replicas falls back to the broker's setting (Kafka's default: 1): acks=all writes then survive fewer replicas"
        case "unclean.leader.election.enable", "max.message.bytes":
            return "\(key) falls back to the broker's setting"
        default: return nil
        }
    }

    /// `RF 3`, or `RF 2–3 (partitions 4,7 at 2)` when partitions differ.
    static func rfText(_ t: ClusterSnapshot.Topic) -> String {
        let rfs = t.partitions.map(\.targetReplicationFactor)
        guard let lo = rfs.min(), let hi = rfs.max() else { return "no partitions" }
        if lo == hi { return "RF \(lo)" }
        let low = t.partitions.filter { $0.targetReplicationFactor == lo }.map { String($0.partition) }
        return "RF \(lo)–\(hi) (partitions \(low.joined(separator: ",")) at \(lo))"
    }

    // Long because: the file's quotas first (each key it sets), then the keys it leaves out, then the entities
    // it does not mention.
    func quotaChanges(
        _ want: [ClusterSnapshot.Quota], _ have: [ClusterSnapshot.Quota], touched: inout [SyncResource],
        unmanaged: inout [String]
    ) -> [SyncChange] {
        var out: [SyncChange] = []
        let haveByName = Dictionary(have.map { (Self.quotaName($0.entity), $0) }, uniquingKeysWith: { a, _ in a })
        let wantNames = Set(want.map { Self.quotaName($0.entity) })
        func remove(_ name: String, _ key: String, _ value: Double, _ entity: ClusterSnapshot.QuotaEntity) {
            out.append(
                .init(
                    action: .delete, resourceType: .quota, name: "\(name) \(key)", before: Self.number(value),
                    after: nil, operation: .init(.removeQuota, key: key, quota: entity)))
        }
        for q in want.sorted(by: { Self.quotaName($0.entity) < Self.quotaName($1.entity) }) {
            let name = Self.quotaName(q.entity)
            let current = haveByName[name]?.values ?? [:]
            touched.append(SyncResource(.quota, name))
            for (key, value) in q.values.sorted(by: { $0.key < $1.key }) where current[key] != value {
                out.append(
                    .init(
                        action: current[key] == nil ? .create : .update, resourceType: .quota, name: "\(name) \(key)",
                        before: current[key].map(Self.number), after: Self.number(value),
                        warning: value == 0 && key != "controller_mutation_rate"
                            ? "a limit of 0 stops this client entirely (every request throttled)" : nil,
                        operation: .init(.setQuota, key: key, quota: q.entity, quotaValue: value)))
            }
            for (key, value) in current.sorted(by: { $0.key < $1.key }) where q.values[key] == nil {
                if SyncScope.quotaFileName(key) == nil {
                    unmanaged.append("quota \(name) \(key) (the file format does not name it: never removed)")
                } else if prune {
                    remove(name, key, value, q.entity)
                } else {
                    unmanaged.append("quota \(name) \(key)=\(Self.number(value)) (set on the cluster, not in the file)")
                }
            }
        }
        for q in have.sorted(by: { Self.quotaName($0.entity) < Self.quotaName($1.entity) }) {
            let name = Self.quotaName(q.entity)
            guard !wantNames.contains(name) else { continue }
            if prune {
                touched.append(SyncResource(.quota, name))
                for (key, value) in q.values.sorted(by: { $0.key < $1.key }) {
                    if SyncScope.quotaFileName(key) == nil {
                        unmanaged.append("quota \(name) \(key) (the file format does not name it: never removed)")
                    } else {
                        remove(name, key, value, q.entity)
                    }
                }
            } else {
                unmanaged.append("quota \(name)")
            }
        }
        return out
    }

    // MARK: Names and state

    /// `Allow User:alice Write Topic:orders (Literal) from *`.
    public static func aclName(_ a: ClusterSnapshot.Acl) -> String {
        "\(a.permission) \(a.principal) \(a.operation) \(a.resourceType):\(a.resourceName) (\(a.patternType)) from \(a.host)"
    }

    public static func quotaName(_ e: ClusterSnapshot.QuotaEntity) -> String {
        [e.user.map { "user=\($0)" }, e.clientId.map { "client-id=\($0)" }, e.ip.map { "ip=\($0)" }].compactMap { $0 }
            .joined(separator: ",")
    }

    /// The fingerprint of `resources` as they are on `cluster`: a saved plan's resources hashed again against a
    /// fresh snapshot give the same value only when none of them changed (offsets and ISR are not part of it).
    public static func fingerprint(_ resources: [SyncResource], _ cluster: ClusterSnapshot) -> String {
        let lines = ["cluster \(cluster.clusterId ?? "")"] + resources.map { state(of: $0, in: cluster) }
        return fnv1a(lines.joined(separator: "\n"))
    }

    /// A resource's state as the fingerprint sees it.
    static func state(of r: SyncResource, in cluster: ClusterSnapshot) -> String {
        switch r.kind {
        case .topic:
            guard let t = cluster.topics.first(where: { $0.name == r.name }) else { return "topic \(r.name) absent" }
            let moving = t.partitions.filter(\.reassigning).map { String($0.partition) }
            return "topic \(t.name) \(t.partitions.count)x\(rfText(t)) moving[\(moving.joined(separator: ","))] "
                + r.keys.map { "\($0)=\(t.configs[$0]?.value ?? "?")" }.joined(separator: ",")
        case .acl:
            return "acl \(r.name) " + (cluster.acls.contains { aclName($0) == r.name } ? "present" : "absent")
        case .quota:
            let values = cluster.quotas.first { quotaName($0.entity) == r.name }?.values ?? [:]
            return "quota \(r.name) "
                + values.sorted { $0.key < $1.key }.map { "\($0.key)=\(number($0.value))" }.joined(separator: ",")
        }
    }

    /// Kafka prints numbers its own way ("604800000", "1.0E-4"): numbers compare by value.
    /// Lists (`compact,delete`) compare as sets of items; whole numbers exactly (9223372036854775807 is not
    /// 9223372036854775806, though both are the same Double).
    static func same(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        if a.contains(",") || b.contains(",") {
            func items(_ s: String) -> Set<String> { Set(s.split(separator: ",").map { String($0).trimmingSpaces() }) }
            return items(a) == items(b)
        }
        if let x = Int64(a), let y = Int64(b) { return x == y }
        guard let x = Double(a), let y = Double(b) else {
            return a.lowercased() == b.lowercased() && Bool(a.lowercased()) != nil
        }
        return x == y
    }

    static func number(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v) }

    static func fnv1a(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension DesiredState {
    /// What a derived design puts on the cluster: its topics (main, retry, dead-letter, platform) with their
    /// partitions, RF and configs; its least-privilege ACLs (allow, any host); its tenants' quotas per principal.
    /// Topics of entities with a key are keyed; those without (`key` absent) are not.
    public init(design r: DesignResult, model: DesignModel? = nil) {
        let keyless = Set(
            (model?.entities ?? []).filter { $0.key == nil }.map { "\($0.domain).\($0.name)" })
        topics = r.topics.map { t in
            ManagedTopic(
                name: t.name, partitions: t.partitions, replicationFactor: t.replicationFactor,
                configs: Dictionary(t.configs.map { ($0.key, $0.value) }, uniquingKeysWith: { _, b in b }),
                keyed: !keyless.contains(t.entity))
        }
        acls = r.acls.map { a in
            let type =
                switch a.resourceType {
                case .topic: "Topic"
                case .group: "Group"
                case .transactionalId: "TransactionalId"
                case .cluster: "Cluster"
                }
            return ClusterSnapshot.Acl(
                resourceType: type, resourceName: a.resourceType == .cluster ? "kafka-cluster" : a.resourceName,
                patternType: a.patternType == .prefixed ? "Prefixed" : "Literal", principal: a.principal, host: "*",
                operation: a.operation, permission: "Allow")
        }
        quotas = r.quotas.map { q in
            var values: [String: Double] = [:]
            values["producer_byte_rate"] = q.producerByteRate.map { $0.rounded(.down) }
            values["consumer_byte_rate"] = q.consumerByteRate.map { $0.rounded(.down) }
            values["request_percentage"] = q.requestPercentage
            let user = q.principal.hasPrefix("User:") ? String(q.principal.dropFirst(5)) : q.principal
            return ClusterSnapshot.Quota(entity: .init(user: user), values: values)
        }
    }
}

extension DesiredState {
    /// What a file puts on the cluster: its design's resources (when it has a design) and the ones it states
    /// explicitly. An explicit topic replaces a derived one of the same name; an explicit quota replaces the
    /// derived one for the same entity; ACLs are the union.
    public init(architecture a: Architecture, design: DesignResult?) {
        var d = design.map { DesiredState(design: $0, model: a.design) } ?? DesiredState()
        let explicitTopics = Set(a.managed.topics.map(\.name))
        d.topics = d.topics.filter { !explicitTopics.contains($0.name) } + a.managed.topics
        let derived = Set(d.acls.map(SyncPlanner.aclName))
        d.acls += a.managed.acls.filter { !derived.contains(SyncPlanner.aclName($0)) }
        let explicitQuotas = Set(a.managed.quotas.map { SyncPlanner.quotaName($0.entity) })
        d.quotas = d.quotas.filter { !explicitQuotas.contains(SyncPlanner.quotaName($0.entity)) } + a.managed.quotas
        self = d
    }
}
