// The event-driven design part of the architecture file: domains and their entities (events,
// commands, state), the services that produce and consume them, tenants, SLOs and naming.
// `kafka-architect design` derives topics, groups, ACLs, quotas and client configs from it.

public enum DeliveryGuarantee: String, Sendable, Equatable, CaseIterable, Codable {
    case atMostOnce = "at-most-once"
    case atLeastOnce = "at-least-once"
    case exactlyOnce = "exactly-once"
}

/// What a stream carries: facts that happened, requests to act, or the latest state per key.
public enum StreamKind: String, Sendable, Equatable, CaseIterable, Codable {
    case events, commands
    /// A changelog of the latest value per key: compacted.
    case state
}

public enum SchemaFormat: String, Sendable, Equatable, CaseIterable, Codable {
    case avro, protobuf
    case jsonSchema = "json-schema"
    case json
}

public enum SchemaCompatibility: String, Sendable, Equatable, CaseIterable, Codable {
    case backward = "BACKWARD"
    case backwardTransitive = "BACKWARD_TRANSITIVE"
    case forward = "FORWARD"
    case forwardTransitive = "FORWARD_TRANSITIVE"
    case full = "FULL"
    case fullTransitive = "FULL_TRANSITIVE"
    case none = "NONE"
}

public enum OrderingNeed: String, Sendable, Equatable, CaseIterable, Codable {
    case none
    /// Records with the same key stay in order.
    case perKey = "per-key"
    /// Every record in order: one partition.
    case total
}

/// An entity's stream in a domain, e.g. ecommerce / orders / events.
public struct EntitySpec: Sendable, Equatable {
    public var domain: String
    public var name: String
    public var kind: StreamKind = .events
    /// The field records are keyed by; nil sends null keys.
    public var key: String?
    /// The record's fields, when listed (the key must be one of them).
    public var fields: [String] = []
    /// Which field ordering must follow, when it differs from the key (e.g. ordering per customer).
    public var orderBy: String?
    public var ordering: OrderingNeed = .perKey
    public var messagesPerSecond: Double
    public var messageSize: Double
    public var peakToAverage: Double = 1
    public var schema: SchemaFormat = .avro
    public var compatibility: SchemaCompatibility = .backward
    public var retentionSeconds: Double?
    public var tenant: String?
    /// Produced outside the design (CDC, another cluster): consumers need no producing service.
    public var external = false
    /// The cluster the stream lives on, when the design spans several.
    public var cluster: String?
    /// What the stream's topic does across clusters (`clusters:`); nil: the topology's default.
    public var replication: ReplicationIntent?
    /// Kept forever (`retention: forever`): `retention.ms=-1`; the plan sizes `foreverHorizonSeconds` of writes.
    public var retainForever = false
    /// `retention.bytes`, per partition as in Kafka.
    public var retentionBytesPerPartition: Double?
    /// A fixed partition count instead of the derived one.
    public var partitions: Int?
    /// `false`: never tiered although the cluster tiers (e.g. data that must not leave the brokers).
    public var tieredStorage: Bool?
    /// Personal data: encryption at rest, erasure by tombstones, no unencrypted tiering.
    public var pii = false
    /// The largest record the stream carries (bytes), when above Kafka's 1 MB default.
    public var maxMessageSize: Double?
    /// Distinct keys: sizes compacted topics, and too few keys leave partitions idle.
    public var keyCardinality: Double?
    /// The busiest key's share of the records (0–1), when known: a hot key becomes a finding.
    public var hotKeyShare: Double?

    /// How long a stream kept forever is sized for: one year of writes, stated wherever it is used.
    public static let foreverHorizonSeconds: Double = TopicWorkload.foreverSizingSeconds

    public init(domain: String, name: String, messagesPerSecond: Double, messageSize: Double) {
        self.domain = domain
        self.name = name
        self.messagesPerSecond = messagesPerSecond
        self.messageSize = messageSize
    }

    /// `domain.entity`, the short reference services may use.
    public var reference: String { "\(domain).\(name)" }
}

/// A service's use of a stream.
public struct StreamUse: Sendable, Equatable {
    /// A topic name by convention, or `domain.entity`.
    public var stream: String
    public var guarantee: DeliveryGuarantee = .atLeastOnce
    /// Per-message processing time, seconds (consumers).
    public var processingTimeSeconds: Double?
    /// Whether processing a record twice is harmless (consumers).
    public var idempotent = false
    /// Consumer instances wanted (consumers).
    public var consumers: Int?
    /// Records each instance processes at once, keyed so each key stays in order (consumers; 1: one at
    /// a time, the plain poll loop).
    public var concurrency = 1
    /// This consumer's lag SLO, overriding `slos.maxConsumerLag` (consumers).
    public var maxLagSeconds: Double?
    /// Whether processing writes outside Kafka (mails, payments, API calls): replays and offset resets
    /// repeat those effects (consumers).
    public var sideEffects = false
    /// Where a group without committed offsets starts, overriding the derived choice (consumers).
    public var offsetReset: OffsetReset?
    /// Records per poll, overriding the derived figure (consumers).
    public var maxPollRecords: Int?

    public init(stream: String) { self.stream = stream }
}

/// `auto.offset.reset`: where a consumer group with no committed offset starts.
public enum OffsetReset: String, Sendable, Equatable, CaseIterable, Codable {
    case earliest, latest
    /// No guess: a group without committed offsets fails until offsets are set explicitly.
    case none
}

/// What runs a service: a plain client, a Kafka Streams application or a Kafka Connect worker cluster.
public enum ServiceKind: String, Sendable, Equatable, CaseIterable, Codable {
    case client, streams, connect
}

public struct ServiceSpec: Sendable, Equatable {
    public var name: String
    public var kind: ServiceKind = .client
    public var domain: String?
    public var tenant: String?
    /// The principal it authenticates as; default `User:<name>`.
    public var principal: String?
    public var cluster: String?
    public var produces: [StreamUse] = []
    public var consumes: [StreamUse] = []

    public init(name: String) { self.name = name }
    public var effectivePrincipal: String { principal ?? "User:\(name)" }
}

public struct TenantSpec: Sendable, Equatable {
    public var name: String
    /// Topic, group and transactional-id prefix, e.g. `acme.`.
    public var prefix: String
    public var principals: [String] = []
    public var producerByteRate: Double?
    public var consumerByteRate: Double?
    public var requestPercentage: Double?

    public init(name: String, prefix: String) {
        self.name = name
        self.prefix = prefix
    }
}

public struct ServiceLevels: Sendable, Equatable {
    public var availability: Double?
    public var produceLatencyP99Seconds: Double?
    public var endToEndLatencyP99Seconds: Double?
    public var maxConsumerLagSeconds: Double?

    public init() {}
}

public struct DesignModel: Sendable, Equatable {
    /// Placeholders: <tenant>, <domain>, <entity>, <kind>.
    public var naming = "<domain>.<entity>.<kind>"
    public var entities: [EntitySpec] = []
    public var services: [ServiceSpec] = []
    public var tenants: [TenantSpec] = []
    public var slos = ServiceLevels()
    /// Streams that must have equal partition counts (joined on their key), as the file lists them.
    public var coPartition: [[String]] = []

    public init() {}

    /// The topic groups that must be co-partitioned: the file's `coPartition` groups, and the streams a
    /// Kafka Streams service reads that share a key field (a join needs both sides partitioned alike).
    public var coPartitionedTopics: [[String]] {
        var groups: [[String]] = coPartition.map { g in g.compactMap { entity(for: $0).map(topicName) } }
        for s in services where s.kind == .streams {
            var byKey: [String: [String]] = [:]
            for use in s.consumes {
                guard let e = entity(for: use.stream), let key = e.key else { continue }
                let topic = topicName(e)
                if !(byKey[key]?.contains(topic) ?? false) { byKey[key, default: []].append(topic) }
            }
            for (_, topics) in byKey.sorted(by: { $0.key < $1.key }) where topics.count > 1 { groups.append(topics) }
        }
        return groups.filter { $0.count > 1 }
    }

    /// The topic name of an entity by the naming convention; a tenant's prefix leads unless the
    /// convention places <tenant> itself.
    public func topicName(_ e: EntitySpec) -> String {
        var name =
            naming
            .replacingAll("<domain>", with: e.domain)
            .replacingAll("<entity>", with: e.name)
            .replacingAll("<kind>", with: e.kind.rawValue)
        let prefix = e.tenant.flatMap { t in tenants.first { $0.name == t }?.prefix } ?? ""
        if naming.contains("<tenant>") {
            name = name.replacingAll("<tenant>", with: e.tenant ?? "")
        } else {
            name = prefix + name
        }
        return name
    }

    /// The entity a service's stream reference names: a topic name or `domain.entity`.
    public func entity(for reference: String) -> EntitySpec? {
        // By reference first (cheap), then by topic name: references and topic names are each unique, and a
        // topic name that is another entity's reference is refused by the design's own checks.
        entities.first { $0.reference == reference } ?? entities.first { topicName($0) == reference }
    }
}

extension Architecture {
    /// Rules the design breaks, by field path, in file order.
    public func designErrors() -> [ModelError] {
        guard let d = design else { return [] }
        return Self.namingErrors(d) + Self.entityErrors(d) + Self.serviceErrors(d) + Self.tenantErrors(d)
            + Self.coPartitionErrors(d) + Self.streamsErrors(d)
    }

    /// A Kafka Streams task processes its partition's records one at a time: no concurrency inside it.
    static func streamsErrors(_ d: DesignModel) -> [ModelError] {
        var errors: [ModelError] = []
        for (i, s) in d.services.enumerated() where s.kind == .streams {
            for (j, c) in s.consumes.enumerated() where c.concurrency > 1 {
                errors.append(
                    ModelError(
                        field: "services[\(i)].consumes[\(j)].concurrency",
                        message:
                            "a Kafka Streams task processes one record at a time; remove concurrency and give the stream more partitions"
                    ))
            }
        }
        return errors
    }

    /// A co-partition group names declared streams, at least two.
    static func coPartitionErrors(_ d: DesignModel) -> [ModelError] {
        var errors: [ModelError] = []
        for (i, group) in d.coPartition.enumerated() {
            if group.count < 2 {
                errors.append(
                    ModelError(field: "coPartition[\(i)]", message: "list at least two streams to co-partition"))
            }
            for (j, stream) in group.enumerated() where d.entity(for: stream) == nil {
                errors.append(Self.undeclared(stream, field: "coPartition[\(i)][\(j)]"))
            }
        }
        return errors
    }

    static func namingErrors(_ d: DesignModel) -> [ModelError] {
        guard d.naming.contains("<tenant>"), d.tenants.isEmpty else { return [] }
        return [
            ModelError(
                field: "naming",
                message:
                    "'\(d.naming)' places <tenant>, but the design has no tenants; describe them under tenants or drop <tenant>"
            )
        ]
    }

    /// What Kafka refuses in a topic name: characters outside [a-zA-Z0-9._-], more than 249 of them,
    /// `.` or `..` alone.
    static func topicNameProblem(_ name: String) -> String? {
        if name.isEmpty || name == "." || name == ".." { return "is not a topic name Kafka accepts" }
        if name.utf8.count > 249 { return "is \(name.utf8.count) characters: Kafka allows at most 249" }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        if let bad = name.first(where: { !allowed.contains($0) }) {
            return "has '\(bad)': Kafka allows only letters, digits, '.', '_' and '-' in topic names"
        }
        return nil
    }

    static func entityErrors(_ d: DesignModel) -> [ModelError] {
        var errors: [ModelError] = []
        var seen = Set<String>()
        var metricNames: [String: String] = [:]  // '.' read as '_', as Kafka's metric names do
        var references = Set<String>()
        for (i, e) in d.entities.enumerated() {
            let f = e.fieldPath(i)
            let topic = d.topicName(e)
            if !references.insert(e.reference).inserted {
                errors.append(
                    ModelError(
                        field: "\(f).name", message: "entity '\(e.name)' is described twice in domain \(e.domain)"))
            } else if !seen.insert(topic).inserted {
                errors.append(ModelError(field: "\(f).name", message: "topic '\(topic)' is described twice"))
            }
            if let problem = Self.topicNameProblem(topic) {
                errors.append(ModelError(field: "\(f).name", message: "topic '\(topic)' \(problem)"))
            }
            let metric = topic.replacingAll(".", with: "_")
            if let other = metricNames[metric], other != topic {
                errors.append(
                    ModelError(
                        field: "\(f).name",
                        message:
                            "topic '\(topic)' collides with '\(other)' in metric names (Kafka reads '.' as '_' there); rename one"
                    ))
            }
            metricNames[metric] = metricNames[metric] ?? topic
            // A stream is named by its entity's reference or its topic: one name must not mean two entities.
            if let other = d.entities.first(where: { $0.reference == topic && $0.reference != e.reference }) {
                errors.append(
                    ModelError(
                        field: "\(f).name",
                        message:
                            "topic '\(topic)' is also the name of entity \(other.reference): a stream would mean either; rename one"
                    ))
            }
            if let key = e.key, !e.fields.isEmpty, !e.fields.contains(key) {
                errors.append(
                    ModelError(
                        field: "\(f).key",
                        message:
                            "key '\(key)' is not a field of \(e.reference) (fields: \(e.fields.joined(separator: ", "))); key by one of its fields"
                    ))
            }
            if e.messagesPerSecond <= 0 {
                errors.append(ModelError(field: "\(f).messagesPerSecond", message: "must be positive"))
            }
            if e.messageSize <= 0 { errors.append(ModelError(field: "\(f).messageSize", message: "must be positive")) }
            if let t = e.tenant, !d.tenants.contains(where: { $0.name == t }) {
                errors.append(
                    ModelError(field: "\(f).tenant", message: "unknown tenant '\(t)'; describe it under tenants"))
            }
            errors += Self.retentionErrors(e, field: f)
        }
        return errors
    }

    /// Partition counts and retention an entity cannot have.
    static func retentionErrors(_ e: EntitySpec, field f: String) -> [ModelError] {
        var errors: [ModelError] = []
        if e.ordering == .total, let n = e.partitions, n != 1 {
            errors.append(
                ModelError(
                    field: "\(f).partitions",
                    message: "total ordering needs one partition, not \(n); drop one of the two"))
        }
        if let b = e.retentionBytesPerPartition, b <= 0 {
            errors.append(ModelError(field: "\(f).retentionBytes", message: "must be positive (bytes per partition)"))
        }
        if let share = e.hotKeyShare, share <= 0 || share > 1 {
            errors.append(ModelError(field: "\(f).hotKeyShare", message: "must be a share above 0 and at most 100%"))
        }
        if e.kind == .state && e.retainForever {
            errors.append(
                ModelError(
                    field: "\(f).retention",
                    message:
                        "a compacted state topic keeps each key's latest record already; retention applies to deletes only"
                ))
        }
        return errors
    }

    static func serviceErrors(_ d: DesignModel) -> [ModelError] {
        var errors: [ModelError] = []
        var names = Set<String>()
        for (i, s) in d.services.enumerated() {
            let f = "services[\(i)]"
            if !names.insert(s.name).inserted {
                errors.append(ModelError(field: "\(f).name", message: "service '\(s.name)' is described twice"))
            }
            if let t = s.tenant, !d.tenants.contains(where: { $0.name == t }) {
                errors.append(
                    ModelError(field: "\(f).tenant", message: "unknown tenant '\(t)'; describe it under tenants"))
            }
            if let p = s.principal, let problem = Self.principalProblem(p) {
                errors.append(ModelError(field: "\(f).principal", message: problem))
            }
            for (j, u) in s.produces.enumerated() {
                guard let e = d.entity(for: u.stream) else {
                    errors.append(Self.undeclared(u.stream, field: "\(f).produces[\(j)].stream"))
                    continue
                }
                if e.external {
                    errors.append(
                        ModelError(
                            field: "\(f).produces[\(j)].stream",
                            message:
                                "\(d.topicName(e)) is external (produced outside the design): '\(s.name)' cannot produce it; drop external: true from the entity, or this produces entry"
                        ))
                }
            }
            for (j, c) in s.consumes.enumerated() {
                guard let e = d.entity(for: c.stream) else {
                    errors.append(Self.undeclared(c.stream, field: "\(f).consumes[\(j)].stream"))
                    continue
                }
                let produced = d.services.contains { other in other.produces.contains { d.entity(for: $0.stream) == e }
                }
                if !produced && !e.external {
                    errors.append(
                        ModelError(
                            field: "\(f).consumes[\(j)].stream",
                            message:
                                "'\(s.name)' consumes \(d.topicName(e)) but no service produces it; add it to a service's produces, or mark the entity external: true"
                        ))
                }
                if let t = c.processingTimeSeconds, t <= 0 {
                    errors.append(ModelError(field: "\(f).consumes[\(j)].processingTime", message: "must be positive"))
                }
                if let n = c.consumers, n < 1 {
                    errors.append(ModelError(field: "\(f).consumes[\(j)].consumers", message: "must be at least 1"))
                }
            }
        }
        return errors
    }

    /// A stream no domain declares: the broker would auto-create it with default settings, outside review.
    static func undeclared(_ stream: String, field: String) -> ModelError {
        ModelError(
            field: field,
            message:
                "'\(stream)' is no declared entity: declare it under a domain's entities (or fix the name); otherwise only broker auto-creation would make it, with default partitions and replication"
        )
    }

    /// A principal Kafka's authorizer understands is `Type:name`, e.g. `User:payments`.
    static func principalProblem(_ p: String) -> String? {
        guard let colon = p.firstIndex(of: ":"), colon != p.startIndex, p.index(after: colon) != p.endIndex else {
            return
                "'\(p)' is not a principal: write Type:name, e.g. User:\(p.isEmpty ? "payments" : p.replacingAll(":", with: ""))"
        }
        return nil
    }

    static func tenantErrors(_ d: DesignModel) -> [ModelError] {
        var errors: [ModelError] = []
        for (i, t) in d.tenants.enumerated() {
            for (j, p) in t.principals.enumerated() {
                if let problem = Self.principalProblem(p) {
                    errors.append(ModelError(field: "tenants[\(i)].principals[\(j)]", message: problem))
                }
            }
            for (name, value) in [
                ("producerByteRate", t.producerByteRate), ("consumerByteRate", t.consumerByteRate),
                ("requestPercentage", t.requestPercentage),
            ] {
                if let value, value < 0 || !value.isFinite {
                    errors.append(
                        ModelError(
                            field: "tenants[\(i)].quotas.\(name)",
                            message: "must not be negative: a quota is a rate a tenant may use (0 blocks it)"))
                }
            }
            for (j, other) in d.tenants.enumerated() where j < i {
                if t.prefix.hasPrefix(other.prefix) || other.prefix.hasPrefix(t.prefix) {
                    errors.append(
                        ModelError(
                            field: "tenants[\(i)].prefix",
                            message:
                                "prefix '\(t.prefix)' collides with tenant '\(other.name)' ('\(other.prefix)'): prefixed ACLs of one would cover the other's topics; make the prefixes disjoint"
                        ))
                }
            }
            if t.prefix.isEmpty {
                errors.append(
                    ModelError(
                        field: "tenants[\(i)].prefix", message: "must not be empty: an empty prefix matches every topic"
                    ))
            }
        }
        return errors
    }
}

extension EntitySpec {
    /// Entities are listed under their domain; their path is rebuilt by the file layer.
    func fieldPath(_ index: Int) -> String { "entities[\(index)]" }
}

extension String {
    /// Every occurrence of `target` replaced, left to right.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        return replacing(target, with: replacement)
    }
}

extension Architecture {
    /// The topics to plan: those listed under `topics`, plus one per design entity not listed by name.
    /// A design topic carries its entity's rate, size and peak, zstd at its typical ratio, one
    /// consumer group per consuming service, and the most consumers and slowest processing asked for.
    public var workloads: [TopicWorkload] {
        guard let d = design else { return topics }
        var out = topics
        let listed = Set(topics.map(\.name))
        for e in d.entities where !listed.contains(d.topicName(e)) {
            let uses = d.services.flatMap(\.consumes).filter { d.entity(for: $0.stream) == e }
            let groups = d.services.filter { s in s.consumes.contains { d.entity(for: $0.stream) == e } }.count
            var t = TopicWorkload(
                name: d.topicName(e), messagesPerSecond: e.messagesPerSecond, messageSize: e.messageSize,
                compression: .zstd,
                // The retention the design writes on the topic, so plan and deliverables size the same data.
                retentionSeconds: e.kind == .state
                    ? e.retentionSeconds : DesignAdvisor.retentionSeconds(e, design: d).seconds,
                consumerGroups: groups, peakToAverage: e.peakToAverage)
            t.consumers = uses.compactMap(\.consumers).max()
            t.processingTimeSeconds = uses.compactMap(\.processingTimeSeconds).max()
            t.retentionBytesPerPartition = e.retentionBytesPerPartition
            t.partitions = e.ordering == .total ? 1 : e.partitions
            t.globalOrdering = e.ordering == .total
            t.compacted = e.kind == .state
            t.keepLocal = e.tieredStorage == false
            t.keyCount = e.keyCardinality
            if e.retainForever {
                t.retentionSeconds = nil
                t.keptForever = true
            }
            out.append(t)
        }
        return out
    }
}
