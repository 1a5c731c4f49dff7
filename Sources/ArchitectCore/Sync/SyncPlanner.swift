// The architecture file as the cluster's source of truth (issue 17), first part: what `diff` and `apply` would
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

public struct SyncChange: Sendable, Equatable, Encodable {
    public enum Action: String, Sendable, Equatable, Encodable { case create, update, delete, cannot }
    public enum Resource: String, Sendable, Equatable, Encodable { case topic, partitions, config, acl, quota }
    public var action: Action
    public var resourceType: Resource
    /// `orders`, `orders retention.ms`, an ACL or quota entity in Kafka's words.
    public var name: String
    public var before: String?
    public var after: String?
    public var reason: String?
    /// Something a reviewer must know (adding partitions to a keyed topic moves keys).
    public var warning: String?

    enum CodingKeys: String, CodingKey { case action, resourceType, name, before, after, reason, warning }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(action, forKey: .action)
        try c.encode(resourceType, forKey: .resourceType)
        try c.encode(name, forKey: .name)
        try c.encode(before, forKey: .before)
        try c.encode(after, forKey: .after)
        try c.encode(reason, forKey: .reason)
        try c.encode(warning, forKey: .warning)
    }
}

public struct SyncPlan: Sendable, Equatable, Encodable {
    public var clusterId: String?
    /// Topics before ACLs before quotas; within each, by name.
    public var changes: [SyncChange]
    /// Resources on the cluster the file does not mention (deletes only with prune).
    public var unmanaged: [String]
    /// FNV-1a 64 of the cluster id and the current state of every resource the plan touches.
    public var fingerprint: String

    public var inSync: Bool { changes.isEmpty }
}

public struct SyncPlanner: Sendable {
    public var prune: Bool

    public init(prune: Bool = false) { self.prune = prune }

    public func diff(_ desired: DesiredState, _ cluster: ClusterSnapshot) -> SyncPlan {
        var changes: [SyncChange] = []
        var touched: [String] = ["cluster \(cluster.clusterId ?? "")"]
        var unmanaged: [String] = []
        let topics = Dictionary(cluster.topics.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for t in desired.topics.sorted(by: { $0.name < $1.name }) {
            if let have = topics[t.name] {
                touched.append(Self.state(have, keys: t.configs.keys.sorted()))
                changes += topicChanges(
                    t, have, unknownConfigs: cluster.unsupported.contains { $0.api.hasPrefix("DescribeConfigs") })
            } else {
                touched.append("topic \(t.name) absent")
                changes.append(
                    .init(
                        action: .create, resourceType: .topic, name: t.name, before: nil,
                        after: "\(t.partitions) partitions, RF \(t.replicationFactor)"
                            + (t.configs.isEmpty
                                ? ""
                                : ", "
                                    + t.configs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                                        separator: ", "))))
            }
        }
        let managedTopics = Set(desired.topics.map(\.name))
        for t in cluster.topics.sorted(by: { $0.name < $1.name }) where !t.internal && !managedTopics.contains(t.name) {
            if prune {
                touched.append(Self.state(t, keys: []))
                changes.append(
                    .init(
                        action: .delete, resourceType: .topic, name: t.name, before: "\(t.partitions.count) partitions",
                        after: nil))
            } else {
                unmanaged.append("topic \(t.name)")
            }
        }
        let haveAcls = Set(cluster.acls.map(Self.aclName))
        let wantAcls = Set(desired.acls.map(Self.aclName))
        for a in wantAcls.sorted() where !haveAcls.contains(a) {
            touched.append("acl \(a) absent")
            changes.append(.init(action: .create, resourceType: .acl, name: a, before: nil, after: "present"))
        }
        for a in haveAcls.sorted() where !wantAcls.contains(a) {
            if prune {
                touched.append("acl \(a) present")
                changes.append(.init(action: .delete, resourceType: .acl, name: a, before: "present", after: nil))
            } else {
                unmanaged.append("acl \(a)")
            }
        }
        changes += quotaChanges(desired.quotas, cluster.quotas, touched: &touched, unmanaged: &unmanaged)
        return SyncPlan(
            clusterId: cluster.clusterId, changes: changes, unmanaged: unmanaged,
            fingerprint: Self.fnv1a(touched.joined(separator: "\n")))
    }

    // Long because: shape (partitions, RF) first, then each config the file sets.
    func topicChanges(_ t: ManagedTopic, _ have: ClusterSnapshot.Topic, unknownConfigs: Bool) -> [SyncChange] {
        var out: [SyncChange] = []
        let count = have.partitions.count
        if t.partitions < count {
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
                        : nil))
        }
        let rf = have.partitions.map(\.replicas.count).min() ?? 0
        if !have.partitions.isEmpty && rf != t.replicationFactor {
            out.append(
                .init(
                    action: .cannot, resourceType: .topic, name: t.name, before: "RF \(rf)",
                    after: "RF \(t.replicationFactor)",
                    reason:
                        "a replication factor changes only by reassignment: kafka-reassign-partitions.sh --execute with a plan that adds or removes replicas (kafka-architect rebalance, issue 18)"
                ))
        }
        for (key, want) in t.configs.sorted(by: { $0.key < $1.key }) {
            let entry = have.configs[key]
            if let value = entry?.value, Self.same(value, want) { continue }
            if entry?.sensitive == true {
                out.append(
                    .init(
                        action: .update, resourceType: .config, name: "\(t.name) \(key)", before: nil,
                        after: "(sensitive)",
                        reason: "the cluster hides its value: it is set again"))
                continue
            }
            let before = entry?.value.map { v in "\(v) (\(entry?.source.rawValue ?? "unknown"))" }
            out.append(
                .init(
                    action: .update, resourceType: .config, name: "\(t.name) \(key)", before: before, after: want,
                    reason: entry == nil && unknownConfigs
                        ? "the cluster reported no configurations (DescribeConfigs gave no entries): it cannot be confirmed, so it is set"
                        : nil))
        }
        return out
    }

    func quotaChanges(
        _ want: [ClusterSnapshot.Quota], _ have: [ClusterSnapshot.Quota], touched: inout [String],
        unmanaged: inout [String]
    ) -> [SyncChange] {
        var out: [SyncChange] = []
        let haveByName = Dictionary(have.map { (Self.quotaName($0.entity), $0) }, uniquingKeysWith: { a, _ in a })
        let wantNames = Set(want.map { Self.quotaName($0.entity) })
        for q in want.sorted(by: { Self.quotaName($0.entity) < Self.quotaName($1.entity) }) {
            let name = Self.quotaName(q.entity)
            let current = haveByName[name]?.values ?? [:]
            touched.append(
                "quota \(name) "
                    + current.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
            for (key, value) in q.values.sorted(by: { $0.key < $1.key }) where current[key] != value {
                out.append(
                    .init(
                        action: current[key] == nil ? .create : .update, resourceType: .quota, name: "\(name) \(key)",
                        before: current[key].map(Self.number), after: Self.number(value)))
            }
        }
        for q in have.sorted(by: { Self.quotaName($0.entity) < Self.quotaName($1.entity) }) {
            let name = Self.quotaName(q.entity)
            guard !wantNames.contains(name) else { continue }
            if prune {
                for (key, value) in q.values.sorted(by: { $0.key < $1.key }) {
                    out.append(
                        .init(
                            action: .delete, resourceType: .quota, name: "\(name) \(key)", before: Self.number(value),
                            after: nil))
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

    /// What the fingerprint covers for a topic: its partition count, RF and the configs the plan compares.
    static func state(_ t: ClusterSnapshot.Topic, keys: [String]) -> String {
        let rf = t.partitions.map(\.replicas.count).min() ?? 0
        return "topic \(t.name) \(t.partitions.count)x\(rf) "
            + keys.map { "\($0)=\(t.configs[$0]?.value ?? "?")" }.joined(separator: ",")
    }

    /// Kafka prints numbers its own way ("604800000", "1.0E-4"): numbers compare by value.
    static func same(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
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
