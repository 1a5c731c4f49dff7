// Derives a reviewed topology from a design model: topics (partitions from PartitionAdvisor),
// retry and dead-letter topics, consumer groups, least-privilege ACLs, tenant quotas, client
// configuration per service and guarantee, design findings, and the capacity plan.

public enum DesignAdvisor {
    /// Retry delays, in order, for consumers that need retry topics.
    public static let retryBackoffs: [(suffix: String, seconds: Int)] = [
        ("retry-10s", 10), ("retry-1m", 60), ("retry-10m", 600),
    ]

    public enum DesignError: Error, Equatable, Sendable {
        case noDesign
        case plan(PlanError)
    }

    public static func derive(_ architecture: Architecture, catalog: InstanceCatalog = .builtIn) throws(DesignError)
        -> DesignResult
    {
        guard let d = architecture.design else { throw .noDesign }
        let plan = try roundedPlan(architecture, catalog: catalog)
        let policy = architecture.policy
        var topics = mainTopics(d, plan: plan, policy: policy, tiered: architecture.environment.tieredStorage)
        let (retry, retryTopics) = retryAndDeadLetterTopics(d, mainTopics: topics, policy: policy)
        topics += retry + platformTopics(d, policy: policy)
        var access = serviceAccess(
            d, retryTopics: retryTopics, policy: policy,
            settings: ClientSettings(
                followerFetching: architecture.environment.followerFetching, tls: architecture.environment.tls,
                stage: architecture.environment.stage, maxLag: d.slos.maxConsumerLagSeconds,
                produceLatencyP99: d.slos.produceLatencyP99Seconds))
        let (tenantAcls, quotas) = tenantAccess(d)
        var seen = Set<AclEntry>()
        access.acls = (access.acls + tenantAcls).filter { seen.insert($0).inserted }

        let findings = DesignReview.findings(architecture, design: d, topics: topics, plan: plan)
        return DesignResult(
            name: architecture.name, topics: topics, consumerGroups: access.groups, acls: access.acls, quotas: quotas,
            clientConfigs: access.clients, findings: findings, plan: plan)
    }

    /// The plan of a design, the one `design`, `plan` and `generate` all show.
    public static func designPlan(_ architecture: Architecture, catalog: InstanceCatalog = .builtIn) throws(PlanError)
        -> CapacityPlan
    {
        do { return try roundedPlan(architecture, catalog: catalog) } catch {
            switch error {
            case .plan(let e): throw e
            case .noDesign: return try CapacityPlanner(catalog: catalog).plan(architecture)
            }
        }
    }

    /// Plans once to learn the broker count, then rounds each derived partition count up to a
    /// multiple of it (even leadership) and plans again with those counts.
    static func roundedPlan(_ architecture: Architecture, catalog: InstanceCatalog) throws(DesignError) -> CapacityPlan
    {
        let planner = CapacityPlanner(catalog: catalog)
        let first: CapacityPlan
        do { first = try planner.plan(architecture) } catch { throw .plan(error) }
        var rounded = architecture
        rounded.topics = architecture.workloads.map { t in
            var t = t
            let derived = first.topics.first { $0.name == t.name }
            // Already the advisor's count for the planned brokers (a multiple of them).
            if t.partitions == nil, let p = derived?.partitions { t.partitions = p }
            return t
        }
        // Co-partitioned topics (joined on their key) take the largest count of their group, unless fixed.
        let fixed = Set(architecture.topics.filter { $0.partitions != nil }.map(\.name))
            .union(
                (architecture.design?.entities ?? []).filter { $0.partitions != nil || $0.ordering == .total }
                    .compactMap { e in architecture.design?.topicName(e) })
        for group in architecture.design?.coPartitionedTopics ?? [] {
            let most = rounded.topics.filter { group.contains($0.name) }.compactMap(\.partitions).max() ?? 1
            for i in rounded.topics.indices where group.contains(rounded.topics[i].name) {
                if !fixed.contains(rounded.topics[i].name) { rounded.topics[i].partitions = most }
            }
        }
        if rounded.policy.produceLatencyP99Seconds == nil {
            rounded.policy.produceLatencyP99Seconds = architecture.design?.slos.produceLatencyP99Seconds
        }
        rounded.design = nil
        do { return try planner.plan(rounded) } catch { throw .plan(error) }
    }

    /// One topic per entity: partitions and retention as the plan derived them. With tiered storage,
    /// a topic that retains more than the local retention is tiered exactly as the plan sized it:
    /// `remote.storage.enable` and `local.retention.ms` (compacted topics cannot be tiered, KIP-405).
    static func mainTopics(_ d: DesignModel, plan: CapacityPlan, policy: Policy, tiered: TieredStorage? = nil)
        -> [DesignedTopic]
    {
        var topics: [DesignedTopic] = []
        for e in d.entities {
            let name = d.topicName(e)
            let planned = plan.topics.first { $0.name == name }
            let partitions = planned?.partitions ?? 1
            var configs: [(String, String)] = [
                ("cleanup.policy", e.kind == .state ? "compact" : "delete"),
                ("min.insync.replicas", String(policy.minInsyncReplicas)),
            ]
            var notes: [String] = []
            if e.kind == .state {
                configs.append(("min.compaction.lag.ms", "3600000"))
                notes.append(
                    "compacted: the latest \(e.name) per \(e.key ?? "key") is kept; consumers can rebuild state from it"
                )
            } else {
                let kept = retentionConfigs(e, design: d, planned: planned, tiered: tiered)
                configs += kept.configs
                notes += kept.notes
            }
            if e.kind == .state, tiered != nil {
                notes.append("kept on broker disks: compacted topics cannot be tiered (KIP-405)")
            } else if e.tieredStorage == false, tiered != nil {
                notes.append("kept on broker disks: the design does not tier it (tieredStorage: false)")
            }
            if e.kind == .state, let keys = e.keyCardinality {
                notes.append(
                    "sized by its keys: \(Format.grouped(keys, decimals: 0)) × \(Format.value(e.messageSize, .bytes)), twice over before the cleaner runs (min.cleanable.dirty.ratio 0.5)"
                )
            }
            if let limit = maxMessageBytes(e) {
                configs.append(("max.message.bytes", String(limit)))
                notes.append(
                    "max.message.bytes \(limit): records up to \(Format.value(e.maxMessageSize ?? 0, .bytes)) and their batch framing (producers' max.request.size and consumers' max.partition.fetch.bytes match it)"
                )
            }
            if e.pii { notes += piiNotes(e, tiered: tiered != nil && e.kind != .state && e.tieredStorage != false) }
            for group in d.coPartitionedTopics where group.contains(name) {
                notes.append(
                    "co-partitioned with \(group.filter { $0 != name }.joined(separator: ", ")): joined on the key, so the same partition count (the group's largest)"
                )
            }
            configs.append(("compression.type", "producer"))
            notes.append(
                "\(partitions) partition\(partitions == 1 ? "" : "s"): \(partitionWhy(e, design: d, partitions: partitions))"
            )
            topics.append(
                DesignedTopic(
                    name: name, purpose: .main, entity: e.reference, partitions: partitions,
                    replicationFactor: policy.replicationFactor,
                    configs: configs.map { (key: $0.0, value: $0.1) }, notes: notes, tenant: e.tenant))
        }
        return topics
    }

    /// Kafka's default record batch limit (message.max.bytes, max.message.bytes): 1 MiB + 12 bytes.
    public static let defaultMaxMessageBytes = 1_048_588

    /// The topic's max.message.bytes when its records are larger than Kafka's default allows: the
    /// largest record plus 1 KiB for the batch header and record framing (nil: the default fits).
    public static func maxMessageBytes(_ e: EntitySpec) -> Int? {
        guard let size = e.maxMessageSize else { return nil }
        let needed = Int(size.rounded(.up)) + 1024
        return needed > defaultMaxMessageBytes ? needed : nil
    }

    /// What a topic of personal data must say.
    static func piiNotes(_ e: EntitySpec, tiered: Bool) -> [String] {
        var notes = [
            "personal data: brokers do not encrypt at rest; put its logs on encrypted volumes (EBS encryption, LUKS) and keep TLS on every listener",
            e.kind == .state
                ? "erasure: produce a tombstone (null value) for the person's key; compaction removes their records after min.compaction.lag.ms and delete.retention.ms"
                : "erasure: a delete-policy topic keeps records until retention.ms; to erase sooner, encrypt each person's fields with their own key and delete the key (crypto-shredding)",
        ]
        if tiered {
            notes.append(
                "tiered: the object-storage bucket must be encrypted (SSE-KMS with a customer key) and its lifecycle must not outlive retention.ms"
            )
        }
        return notes
    }

    /// A delete-policy topic's retention (the entity's, or a `topics:` entry's override), its tiering,
    /// and a segment.ms short enough for what it keeps on broker disks.
    static func retentionConfigs(_ e: EntitySpec, design d: DesignModel, planned: TopicPlan?, tiered: TieredStorage?)
        -> (configs: [(String, String)], notes: [String])
    {
        var configs: [(String, String)] = []
        var notes: [String] = []
        var retention = retentionSeconds(e, design: d)
        // A `topics:` entry of the same name overrides the entity (and the plan sized that).
        if let listed = planned?.retentionSeconds, listed != retention.seconds {
            retention = (listed, "retention \(Format.duration(listed)) as the topics list asks")
        }
        let forever = e.retainForever && retention.seconds == retentionSeconds(e, design: d).seconds
        configs.append(("retention.ms", forever ? "-1" : String(Int64(retention.seconds * 1000))))
        if let bytes = planned?.retentionBytesPerPartition { configs.append(("retention.bytes", String(Int64(bytes)))) }
        notes.append(retention.why)
        var localWindow = retention.seconds
        if let tiered, e.tieredStorage != false, retention.seconds > tiered.localRetentionSeconds {
            configs += [
                ("remote.storage.enable", "true"),
                ("local.retention.ms", String(Int64(tiered.localRetentionSeconds * 1000))),
            ]
            notes.append(
                "tiered: the newest \(Format.duration(tiered.localRetentionSeconds)) on broker disks, all \(Format.duration(retention.seconds)) in object storage"
            )
            localWindow = tiered.localRetentionSeconds
        }
        if let segment = segmentSeconds(keeping: localWindow) {
            configs.append(("segment.ms", String(Int64(segment * 1000))))
            notes.append(
                "segment.ms \(Format.duration(segment)): a segment is deleted (or tiered) only once it closes, and Kafka's 7-day default would outlive the \(Format.duration(localWindow)) kept"
            )
        }
        return (configs, notes)
    }

    /// A `segment.ms` for a topic that keeps data on broker disks for `window` seconds, when Kafka's
    /// default (7 days) would outlive it: a tenth of the window, at least an hour (nil: the default fits).
    static func segmentSeconds(keeping window: Double) -> Double? {
        let defaultSegment = 7 * 86_400.0
        guard window < defaultSegment else { return nil }
        return max(3600, (window / 10 / 3600).rounded(.down) * 3600)
    }

    /// Retry and dead-letter topics for the consumers that need them, and each service's names of them.
    static func retryAndDeadLetterTopics(_ d: DesignModel, mainTopics: [DesignedTopic], policy: Policy)
        -> ([DesignedTopic], [String: [String]])
    {
        let rf = policy.replicationFactor
        func configs(retentionMs: String) -> [(key: String, value: String)] {
            [
                (key: "cleanup.policy", value: "delete"),
                (key: "min.insync.replicas", value: String(policy.minInsyncReplicas)),
                (key: "retention.ms", value: retentionMs), (key: "compression.type", value: "producer"),
            ]
        }
        var topics: [DesignedTopic] = []
        var retryTopics: [String: [String]] = [:]  // service → its retry/DLQ topic names
        for s in d.services {
            for use in s.consumes {
                guard let e = d.entity(for: use.stream), needsDeadLetter(use, entity: e) else { continue }
                let source = d.topicName(e)
                let prefix = tenantPrefix(s, d)
                let mainPartitions = mainTopics.first { $0.name == source }?.partitions ?? 1
                // <tenant prefix><service>.<source topic>.<suffix>, as the first version named them (renaming
                // would replace existing retry and dead-letter topics, and lose unreplayed records); a source
                // already under the service's tenant prefix does not repeat it.
                let unprefixed =
                    !prefix.isEmpty && source.hasPrefix(prefix) ? String(source.dropFirst(prefix.count)) : source
                let stem = "\(prefix)\(s.name).\(unprefixed)"
                for r in retryBackoffs {
                    let name = "\(stem).\(r.suffix)"
                    topics.append(
                        DesignedTopic(
                            name: name, purpose: .retry, entity: e.reference,
                            partitions: max(1, (mainPartitions + 1) / 2), replicationFactor: rf,
                            configs: configs(retentionMs: "604800000"),
                            notes: ["\(s.name) re-reads failed records after \(r.seconds) s"], tenant: s.tenant))
                    retryTopics[s.name, default: []].append(name)
                }
                let dlq = "\(stem).dlq"
                topics.append(
                    DesignedTopic(
                        name: dlq, purpose: .deadLetter, entity: e.reference, partitions: 1, replicationFactor: rf,
                        configs: configs(retentionMs: "2592000000"),
                        notes: [
                            "records \(s.name) could not process after every retry; kept 30 days for inspection and replay"
                        ], tenant: s.tenant))
                retryTopics[s.name, default: []].append(dlq)
            }
        }
        return (topics, retryTopics)
    }

    /// What the services get: consumer groups, least-privilege ACLs and client configurations.
    struct ServiceAccess {
        var groups: [ConsumerGroup] = []
        var acls: [AclEntry] = []
        var clients: [ClientConfig] = []
    }

    static func usesTransactions(_ s: ServiceSpec) -> Bool {
        s.produces.contains { $0.guarantee == .exactlyOnce } || s.consumes.contains { $0.guarantee == .exactlyOnce }
    }

    static func serviceAccess(
        _ d: DesignModel, retryTopics: [String: [String]], policy: Policy = Policy(), settings: ClientSettings
    ) -> ServiceAccess {
        var access = ServiceAccess()
        // read_committed costs nothing on non-transactional topics, so every consumer of a design
        // with transactions uses it: a topic may gain a transactional producer later.
        let designHasTransactions = d.services.contains(where: usesTransactions)
        for s in d.services {
            let principal = s.effectivePrincipal
            let prefix = tenantPrefix(s, d)
            func allow(
                _ type: AclEntry.ResourceType, _ name: String, _ ops: [String],
                _ pattern: AclEntry.PatternType = .literal
            ) {
                for op in ops {
                    access.acls.append(
                        AclEntry(
                            principal: principal, resourceType: type, resourceName: name, patternType: pattern,
                            operation: op))
                }
            }
            let produced = s.produces.compactMap { d.entity(for: $0.stream) }.map { d.topicName($0) }
            for t in produced { allow(.topic, t, ["Write", "Describe"]) }
            let exactlyOnceProducer = usesTransactions(s)
            // One transactional id per instance, stable across its restarts: the prefix and the
            // instance's host name (a StatefulSet pod's is <name>-<ordinal>). A single id shared by
            // every instance makes them fence one another.
            let transactionalPrefix = "\(prefix)\(s.name)-tx-"
            let transactionalId = transactionalPrefix + "${env:HOSTNAME}"
            if exactlyOnceProducer && !produced.isEmpty && s.kind == .client {
                allow(.transactionalId, transactionalPrefix, ["Write", "Describe"], .prefixed)
            }
            // The group's lag SLO: the tightest of its uses', else the design's.
            let maxLag = s.consumes.compactMap(\.maxLagSeconds).min() ?? settings.maxLag
            if !s.consumes.isEmpty {
                // A Connect cluster's sink connector consumes as connect-<connector>: named after the service.
                let groupId = s.kind == .connect ? "\(prefix)connect-\(s.name)" : "\(prefix)\(s.name)"
                let consumed = s.consumes.compactMap { d.entity(for: $0.stream) }.map { d.topicName($0) }
                access.groups.append(
                    ConsumerGroup(
                        id: groupId, service: s.name,
                        topics: consumed + (retryTopics[s.name]?.filter { !$0.hasSuffix(".dlq") } ?? []),
                        maxLagSeconds: maxLag))
                for t in consumed { allow(.topic, t, ["Read", "Describe"]) }
                allow(.group, groupId, ["Read"])
                for t in retryTopics[s.name] ?? [] {
                    allow(.topic, t, t.hasSuffix(".dlq") ? ["Write", "Describe"] : ["Read", "Write", "Describe"])
                }
            }
            let own = settings.for(s, design: d, maxLag: maxLag)
            access.acls += platformAcls(s, prefix: prefix, exactlyOnce: exactlyOnceProducer)
            access.clients += serviceClients(
                s, prefix: prefix, producesTopics: !produced.isEmpty, exactlyOnce: exactlyOnceProducer,
                transactionalId: transactionalId, readCommitted: designHasTransactions, policy: policy, settings: own)
        }
        return access
    }

    /// A service's configurations: a producer and a consumer, one Streams file, or one Connect worker file.
    static func serviceClients(
        _ s: ServiceSpec, prefix: String, producesTopics: Bool, exactlyOnce: Bool, transactionalId: String,
        readCommitted: Bool, policy: Policy, settings: ClientSettings
    ) -> [ClientConfig] {
        switch s.kind {
        case .client:
            return clientConfigs(
                s, prefix: prefix, producesTopics: producesTopics, exactlyOnceProducer: exactlyOnce,
                transactionalId: transactionalId, readCommitted: readCommitted, settings: settings)
        case .streams:
            return [
                streamsConfig(
                    s, applicationId: "\(prefix)\(s.name)", exactlyOnce: exactlyOnce, policy: policy, settings: settings
                )
            ]
        case .connect:
            return [
                connectConfig(
                    s, groupId: "\(prefix)\(s.name)", exactlyOnce: exactlyOnce, policy: policy, settings: settings)
            ]
        }
    }

    /// A service's producer and consumer configurations, for the strongest guarantee it asks for.
    static func clientConfigs(
        _ s: ServiceSpec, prefix: String, producesTopics: Bool, exactlyOnceProducer: Bool, transactionalId: String,
        readCommitted: Bool, settings: ClientSettings
    ) -> [ClientConfig] {
        var clients: [ClientConfig] = []
        if producesTopics {
            let chosen = s.produces.map(\.guarantee).max { rank($0) < rank($1) } ?? .atLeastOnce
            let guarantee = exactlyOnceProducer ? .exactlyOnce : chosen
            var c = ClientConfig(
                service: s.name, role: .producer, guarantee: guarantee,
                properties: producerConfig(
                    s, guarantee: guarantee, transactionalId: transactionalId, settings: settings))
            c.reasons["linger.ms"] = linger(guarantee, settings).reason
            clients.append(c)
        }
        if !s.consumes.isEmpty {
            let guarantee = s.consumes.map(\.guarantee).max { rank($0) < rank($1) } ?? .atLeastOnce
            // The time one record holds its slot: processing time ÷ the records processed at once.
            let slowest = s.consumes.compactMap { u in u.processingTimeSeconds.map { $0 / Double(u.concurrency) } }
                .max()
            var c = ClientConfig(
                service: s.name, role: .consumer, guarantee: guarantee,
                properties: consumerConfig(
                    s, guarantee: guarantee, groupId: "\(prefix)\(s.name)",
                    readCommitted: readCommitted, processingTime: slowest, settings: settings)
                    // KIP-392: the plan counts fetches from a replica in the consumer's own zone, which
                    // needs the zone, named as the brokers' broker.rack names it.
                    + (settings.followerFetching ? [(key: "client.rack", value: "${env:CLIENT_RACK}")] : []))
            c.reasons["auto.offset.reset"] = offsetReset(s, downstream: settings.effectsDownstream).reason
            c.reasons["max.poll.records"] = pollSize(s, processingTime: slowest, settings: settings).reason
            clients.append(c)
        }
        return clients
    }

    /// Tenant principals administer their own prefix; tenants with quotas get them per member.
    static func tenantAccess(_ d: DesignModel) -> ([AclEntry], [TenantQuota]) {
        var acls: [AclEntry] = []
        var quotas: [TenantQuota] = []
        for t in d.tenants {
            for p in t.principals {
                for op in ["Read", "Write", "Describe", "Create"] {
                    acls.append(
                        AclEntry(
                            principal: p, resourceType: .topic, resourceName: t.prefix, patternType: .prefixed,
                            operation: op))
                }
                acls.append(
                    AclEntry(
                        principal: p, resourceType: .group, resourceName: t.prefix, patternType: .prefixed,
                        operation: "Read"))
            }
            var members: [String] = []
            for p in t.principals + d.services.filter({ $0.tenant == t.name }).map(\.effectivePrincipal)
            where !members.contains(p) {
                members.append(p)
            }
            guard t.producerByteRate != nil || t.consumerByteRate != nil || t.requestPercentage != nil else { continue }
            // Kafka has no quota shared across principals: the budget is split evenly between them.
            let n = Double(members.count)
            for p in members {
                var q = TenantQuota(
                    tenant: t.name, principal: p, producerByteRate: t.producerByteRate.map { ($0 / n).rounded(.down) },
                    consumerByteRate: t.consumerByteRate.map { ($0 / n).rounded(.down) },
                    // Strimzi takes whole percentages: every deliverable enforces the same rounded-down share.
                    requestPercentage: t.requestPercentage.map { ($0 / n).rounded(.down) })
                q.shareOf = members.count
                quotas.append(q)
            }
        }
        return (acls, quotas)
    }

    /// At-least-once consumers whose side effects are not idempotent, and consumers of schemaless
    /// JSON (poison-message risk), get retry topics and a dead-letter topic.
    public static func needsDeadLetter(_ use: StreamUse, entity: EntitySpec) -> Bool {
        (use.guarantee == .atLeastOnce && !use.idempotent) || entity.schema == .json
    }

    static func rank(_ g: DeliveryGuarantee) -> Int { g == .atMostOnce ? 0 : (g == .atLeastOnce ? 1 : 2) }

    /// Retention from the consumers' needs: the entity's own, else enough to replay after the
    /// longest outage the lag SLO implies with a floor of 7 days (a week of weekend-proof recovery).
    static func retentionSeconds(_ e: EntitySpec, design d: DesignModel) -> (seconds: Double, why: String) {
        if e.retainForever {
            let horizon = EntitySpec.foreverHorizonSeconds
            return (
                horizon,
                "kept forever (retention.ms=-1), as the design asks: disks are sized for \(Format.duration(horizon)) of writes; plan again before that fills them, or tier the topic"
            )
        }
        if let r = e.retentionSeconds { return (r, "retention \(Int(r / 86_400)) d as the design asks") }
        let lag = d.slos.maxConsumerLagSeconds ?? 0
        let seconds = max(7 * 86_400, lag * 100)
        return (
            seconds,
            "retention \(Int(seconds / 86_400)) d: long enough for a consumer down over a weekend to catch up and for replays"
        )
    }

    static func partitionWhy(_ e: EntitySpec, design d: DesignModel, partitions: Int) -> String {
        if e.ordering == .total { return "total ordering needs a single partition" }
        let uses = d.services.flatMap(\.consumes).filter { d.entity(for: $0.stream) == e }
        var parts = ["throughput and growth"]
        if let c = uses.compactMap(\.consumers).max() { parts.append("\(c) consumers wanted") }
        if let t = uses.compactMap(\.processingTimeSeconds).max() {
            parts.append("\(Format.duration(t)) processing (Little's law)")
        }
        return "from " + parts.joined(separator: ", ")
            + ", rounded up to a multiple of the brokers — see `kafka-architect partitions`"
    }

    /// SCRAM over TLS (SASL_PLAINTEXT when the environment has no TLS), trusting the cluster's CA from a
    /// PEM file (no store password) and only TLS 1.3 and 1.2; the password from a mounted secret file.
    static func security(_ s: ServiceSpec, tls: Bool = true) -> [(String, String)] {
        [
            ("bootstrap.servers", "${env:KAFKA_BOOTSTRAP_SERVERS}"), ("client.id", s.name),
            ("security.protocol", tls ? "SASL_SSL" : "SASL_PLAINTEXT"),
            ("sasl.mechanism", "SCRAM-SHA-512"),
            (
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"\(s.name)\" password=\"${file:/etc/kafka/secrets/\(s.name).properties:password}\";"
            ),
        ]
            + (tls
                ? [
                    ("ssl.truststore.type", "PEM"), ("ssl.truststore.location", "/etc/kafka/secrets/ca.crt"),
                    ("ssl.enabled.protocols", "TLSv1.3,TLSv1.2"),
                ] : [])
    }

    static func producerConfig(
        _ s: ServiceSpec, guarantee: DeliveryGuarantee, transactionalId: String, settings: ClientSettings
    ) -> [(key: String, value: String)] {
        var p = security(s, tls: settings.tls)
        switch guarantee {
        case .atMostOnce:
            p += [
                ("acks", "1"), ("enable.idempotence", "false"), ("retries", "0"),
                ("linger.ms", String(linger(guarantee, settings).ms)),
            ]
        case .atLeastOnce:
            p += [
                ("acks", "all"), ("enable.idempotence", "true"), ("retries", "2147483647"),
                ("max.in.flight.requests.per.connection", "5"),
                ("delivery.timeout.ms", "120000"), ("linger.ms", String(linger(guarantee, settings).ms)),
            ]
        case .exactlyOnce:
            // A record may not outlive its transaction: librdkafka refuses a transactional producer
            // whose message.timeout.ms (delivery.timeout.ms) exceeds transaction.timeout.ms.
            p += [
                ("acks", "all"), ("enable.idempotence", "true"), ("retries", "2147483647"),
                ("max.in.flight.requests.per.connection", "5"),
                ("delivery.timeout.ms", "60000"), ("linger.ms", String(linger(guarantee, settings).ms)),
                ("transactional.id", transactionalId),
                ("transaction.timeout.ms", "60000"),
            ]
        }
        p += [
            ("batch.size", "65536"), ("compression.type", "zstd"),
            ("key.serializer", "org.apache.kafka.common.serialization.StringSerializer"),
        ]
        if let limit = settings.producedMaxMessageBytes { p.append(("max.request.size", String(limit))) }
        p += serde(settings.producedFormat, stage: settings.stage, producer: true)
        return p.map { (key: $0.0, value: $0.1) }
    }

    /// Records per poll: a poll's records must finish within half of max.poll.interval.ms (or the group
    /// rebalances) and within half the lag SLO (or one batch alone breaks it); at most Kafka's 500.
    static func pollRecords(processingTime: Double, intervalSeconds: Double, maxLag: Double?) -> Int {
        let budget = min(intervalSeconds, maxLag ?? .infinity) * 0.5
        guard processingTime > 0 else { return 500 }
        return max(1, min(500, Int((budget / processingTime).rounded(.down))))
    }

    /// Poll sizes against processing time: a poll's records must finish well inside max.poll.interval.ms.
    static func consumerConfig(
        _ s: ServiceSpec, guarantee: DeliveryGuarantee, groupId: String, readCommitted: Bool, processingTime: Double?,
        settings: ClientSettings
    ) -> [(key: String, value: String)] {
        let interval = 300_000.0
        let records = pollSize(s, processingTime: processingTime, settings: settings).records
        var p = security(s, tls: settings.tls)
        p += [
            ("group.id", groupId),
            ("enable.auto.commit", guarantee == .atMostOnce ? "true" : "false"),
            ("auto.offset.reset", offsetReset(s, downstream: settings.effectsDownstream).value.rawValue),
            ("isolation.level", readCommitted ? "read_committed" : "read_uncommitted"),
            ("max.poll.records", String(records)),
            ("max.poll.interval.ms", String(Int(interval))),
            ("session.timeout.ms", "45000"), ("heartbeat.interval.ms", "3000"),
            ("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"),
            ("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer"),
        ]
        if let limit = settings.consumedMaxMessageBytes { p.append(("max.partition.fetch.bytes", String(limit))) }
        p += serde(settings.consumedFormat, stage: settings.stage, producer: false)
        return p.map { (key: $0.0, value: $0.1) }
    }

    /// Where a group without committed offsets starts: as the file says, else `latest` for a consumer
    /// with side effects (from `earliest` a new group would repeat them for the topic's whole history:
    /// a notifier resends every notification), else `earliest` (a new group processes everything kept).
    static func offsetReset(_ s: ServiceSpec, downstream: [String] = []) -> (value: OffsetReset, reason: String) {
        if let given = s.consumes.compactMap(\.offsetReset).first {
            return (given, "as the architecture file says (offsetReset)")
        }
        if s.consumes.contains(where: { $0.guarantee == .exactlyOnce }) {
            return (
                .none,
                "none: an exactly-once processor must neither skip records (latest) nor process the topic's history again (earliest) when it has no committed offset; on its first start set them explicitly: kafka-consumer-groups.sh --reset-offsets --group <group> --topic <topic> --to-earliest (or --to-datetime) --execute"
            )
        }
        if !s.consumes.contains(where: \.sideEffects), !downstream.isEmpty {
            return (
                .latest,
                "latest: a new group starting from earliest would re-produce every record the topic keeps, and \(downstream.joined(separator: ", ")) would act on them again outside Kafka (records written before its first commit are skipped)"
            )
        }
        if s.consumes.contains(where: \.sideEffects) {
            return (
                .latest,
                "latest: this consumer has side effects; a new group starting from earliest would repeat them for every record the topic keeps (records written before its first commit are skipped)"
            )
        }
        return (.earliest, "earliest: a new group processes every record the topic keeps")
    }

    /// Records per poll: the file's, else what fits half of max.poll.interval.ms and half the lag SLO.
    static func pollSize(_ s: ServiceSpec, processingTime: Double?, settings: ClientSettings) -> (
        records: Int, reason: String
    ) {
        if let given = s.consumes.compactMap(\.maxPollRecords).min() {
            return (given, "as the architecture file says (maxPollRecords)")
        }
        guard let t = processingTime else { return (500, "Kafka's default: no processing time in the design") }
        let n = pollRecords(processingTime: t, intervalSeconds: 300, maxLag: settings.maxLag)
        return (
            n,
            "\(n) × \(Format.duration(t)) per record fits half of max.poll.interval.ms (300 s)"
                + (settings.maxLag.map { " and half the \(Format.duration($0)) lag SLO" } ?? "")
        )
    }

    /// linger.ms: the default batching wait (10 ms; 5 ms at most once), at most a quarter of the p99
    /// produce-latency SLO, since every record may wait that long before it is sent.
    static func linger(_ g: DeliveryGuarantee, _ settings: ClientSettings) -> (ms: Int, reason: String) {
        let standard = g == .atMostOnce ? 5 : 10
        guard let slo = settings.produceLatencyP99 else {
            return (standard, "\(standard) ms batching wait; no produce-latency SLO in the design")
        }
        let cap = Int((slo * 1000 / 4).rounded(.down))
        let ms = max(0, min(standard, cap))
        return (
            ms,
            "\(ms) ms: at most a quarter of the \(Format.duration(slo)) p99 produce-latency SLO (every record may wait this long)"
        )
    }

    /// The services with side effects (`sideEffects: true`) that act on what `s` writes, directly or
    /// through the services in between: replaying `s` reaches them.
    public static func effectsDownstream(of s: ServiceSpec, in d: DesignModel, orNotIdempotent: Bool = false)
        -> [String]
    {
        var found: [String] = []
        var seen: Set<String> = [s.name]
        var frontier = [s]
        while let current = frontier.popLast() {
            let written = Set(current.produces.compactMap { d.entity(for: $0.stream)?.reference })
            for next in d.services where !seen.contains(next.name) {
                guard
                    next.consumes.contains(where: {
                        d.entity(for: $0.stream).map { written.contains($0.reference) } ?? false
                    })
                else { continue }
                seen.insert(next.name)
                let acts = next.consumes.contains {
                    $0.sideEffects || (orNotIdempotent && !$0.idempotent && $0.guarantee != .atMostOnce)
                }
                if acts { found.append(next.name) }
                frontier.append(next)
            }
        }
        return found.sorted()
    }

    /// The one value format of the entities a service writes (or reads), nil when none or mixed.
    static func valueFormat(_ uses: [StreamUse], _ d: DesignModel) -> SchemaFormat? {
        let formats = Set(uses.compactMap { d.entity(for: $0.stream)?.schema })
        return formats.count == 1 ? formats.first : nil
    }

    /// The value (de)serializer for a format, with the Schema Registry settings a registry format needs:
    /// outside development, schemas are registered by CI (`schemas/register-schemas.sh`), never by clients,
    /// and producers serialize with the latest registered version.
    static func serde(_ format: SchemaFormat?, stage: Stage, producer: Bool) -> [(String, String)] {
        let role = producer ? "Serializer" : "Deserializer"
        let confluent: String
        switch format {
        case .avro: confluent = "io.confluent.kafka.serializers.KafkaAvro\(role)"
        case .protobuf: confluent = "io.confluent.kafka.serializers.protobuf.KafkaProtobuf\(role)"
        case .jsonSchema: confluent = "io.confluent.kafka.serializers.json.KafkaJsonSchema\(role)"
        case .json, nil:
            return [("value.\(role.lowercased())", "org.apache.kafka.common.serialization.ByteArray\(role)")]
        }
        var out = [("value.\(role.lowercased())", confluent), ("schema.registry.url", "${env:SCHEMA_REGISTRY_URL}")]
        if producer {
            out +=
                stage == .development
                ? [("auto.register.schemas", "true")]
                : [("auto.register.schemas", "false"), ("use.latest.version", "true")]
        }
        return out
    }
}

/// How a service's clients are configured beyond its own uses: the environment's settings and the
/// value formats of what it writes and reads.
struct ClientSettings: Sendable {
    var followerFetching = false
    var tls = true
    var stage = Stage.production
    var maxLag: Double? = nil
    var produceLatencyP99: Double? = nil
    var producedFormat: SchemaFormat? = nil
    var consumedFormat: SchemaFormat? = nil
    /// The largest max.message.bytes of the topics it writes (reads), when above Kafka's default.
    var producedMaxMessageBytes: Int? = nil
    var consumedMaxMessageBytes: Int? = nil
    /// Services with side effects that act on what this one writes (see `effectsDownstream`).
    var effectsDownstream: [String] = []

    /// These settings for one service: its lag SLO, and the formats and record limits of what it writes
    /// and reads.
    func `for`(_ s: ServiceSpec, design d: DesignModel, maxLag: Double?) -> ClientSettings {
        var out = self
        out.maxLag = maxLag
        let limit = { (uses: [StreamUse]) in
            uses.compactMap { d.entity(for: $0.stream).flatMap(DesignAdvisor.maxMessageBytes) }.max()
        }
        out.producedMaxMessageBytes = limit(s.produces)
        out.consumedMaxMessageBytes = limit(s.consumes)
        out.producedFormat = DesignAdvisor.valueFormat(s.produces, d)
        out.consumedFormat = DesignAdvisor.valueFormat(s.consumes, d)
        out.effectsDownstream = DesignAdvisor.effectsDownstream(of: s, in: d)
        return out
    }
}
