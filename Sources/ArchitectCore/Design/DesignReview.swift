// The design review: anti-patterns an architect flags before anything is built, each with its fix.

enum DesignReview {
    /// The findings collected so far, in the order the checks ran.
    struct Findings {
        var list: [DesignFinding] = []
        mutating func add(_ code: String, _ severity: LintSeverity, _ subject: String, _ message: String, _ fix: String)
        {
            list.append(DesignFinding(code: code, severity: severity, subject: subject, message: message, fix: fix))
        }
    }

    static func findings(_ a: Architecture, design d: DesignModel, topics: [DesignedTopic], plan: CapacityPlan? = nil)
        -> [DesignFinding]
    {
        var out = Findings()
        if a.policy.replicationFactor < 3 {
            out.add(
                "low-replication-factor", .warning, "policy",
                "replication factor \(a.policy.replicationFactor): one broker failure leaves \(a.policy.replicationFactor == 1 ? "no" : "one") copy",
                "Use replication factor 3 with min.insync.replicas 2.")
        }
        for e in d.entities {
            entityFindings(e, design: d, topics: topics, into: &out)
            dataFindings(e, design: d, topics: topics, policy: a.policy, into: &out)
        }
        if let plan {
            for t in d.tenants {
                quotaFindings(t, design: d, topics: topics, plan: plan, growth: a.policy.growthFactor, into: &out)
            }
        }
        for group in d.coPartitionedTopics {
            let counts = group.map { name in topics.first { $0.name == name }?.partitions ?? 0 }
            if Set(counts).count > 1 {
                out.add(
                    "co-partition-mismatch", .error, group.joined(separator: " + "),
                    "joined on their key but partitioned differently (\(zip(group, counts).map { "\($0) \($1)" }.joined(separator: ", "))): records of one key land on different partition numbers, and a join misses them",
                    "Give them the same partition count (remove the fixed `partitions`, or fix all to one number).")
            }
        }
        for s in d.services {
            serviceFindings(s, design: d, into: &out)
            if s.kind == .streams {
                streamsCapacityFindings(s, design: d, topics: topics, growth: a.policy.growthFactor, into: &out)
            } else {
                capacityFindings(s, design: d, topics: topics, growth: a.policy.growthFactor, into: &out)
            }
        }
        return out.list.sorted {
            (rankOf($0.severity), $0.subject, $0.code) < (rankOf($1.severity), $1.subject, $1.code)
        }
    }

    /// Partitioning, ordering, keys and compaction of one entity's topic.
    static func entityFindings(
        _ e: EntitySpec, design d: DesignModel, topics: [DesignedTopic], into out: inout Findings
    ) {
        func add(_ code: String, _ severity: LintSeverity, _ subject: String, _ message: String, _ fix: String) {
            out.add(code, severity, subject, message, fix)
        }
        let topic = d.topicName(e)
        let partitions = topics.first { $0.name == topic }?.partitions ?? 1
        if partitions == 1 && e.ordering != .total {
            add(
                "single-partition", .warning, topic,
                "one partition: one consumer per group, and the throughput of one partition",
                "Let the design size it (remove the cap) or give a reason; single partitions are for total ordering only."
            )
        }
        if e.ordering == .total {
            add(
                "total-ordering", .info, topic,
                "total ordering forces one partition: throughput and consumer parallelism cannot grow",
                "Order per entity (per-key) if the consumers allow it.")
        }
        if e.key == nil && e.ordering == .perKey {
            add(
                "ordering-without-key", .error, topic,
                "per-key ordering is asked for but records have no key: they are spread without order",
                "Give the entity a key (the field ordering must follow).")
        }
        if let by = e.orderBy, let key = e.key, by != key {
            add(
                "ordering-key-mismatch", .warning, topic,
                "ordering is needed per \(by) but records are keyed by \(key): records of one \(by) land on different partitions",
                "Key by \(by), or order per \(key) only.")
        }
        if let key = e.key,
            ["status", "type", "country", "region", "tenant", "date", "timestamp", "createdAt"].contains(key)
        {
            add(
                "hot-key", .warning, topic,
                "key \(key) has few distinct values or follows time: a few partitions take most records",
                "Key by the entity's identifier; check the distribution with `kafka-architect keys`.")
        }
        if e.kind == .state && e.key == nil {
            add(
                "compaction-without-key", .error, topic,
                "a compacted state topic needs keys: records without a key cannot be compacted",
                "Give the entity a key.")
        }
    }

    /// Undeclared streams, tenancy, idempotence and exactly-once use of one service.
    /// A consumer group keeps up only if it handles the stream's peak after growth: capacity =
    /// instances × records in flight per instance ÷ processing time, with at most one instance per
    /// partition (`consumers`, else one per partition) and `concurrency` records in flight each.
    /// Below the average after growth the lag grows without end (error); below the peak it builds in
    /// every burst (warning).
    static func capacityFindings(
        _ s: ServiceSpec, design d: DesignModel, topics: [DesignedTopic], growth: Double, into out: inout Findings
    ) {
        for use in s.consumes {
            guard let e = d.entity(for: use.stream), let pt = use.processingTimeSeconds, pt > 0 else { continue }
            let topic = d.topicName(e)
            let lag = use.maxLagSeconds ?? d.slos.maxConsumerLagSeconds
            if let n = use.maxPollRecords, Double(n) * pt / Double(use.concurrency) > min(300, lag ?? 300) / 2 {
                out.add(
                    "poll-too-large", .warning, s.name,
                    "\(s.name) polls \(n) records of \(topic) at \(Format.duration(pt)) each: \(Format.duration(Double(n) * pt / Double(use.concurrency))) per poll, more than half of max.poll.interval.ms (300 s)\(lag.map { " or of the \(Format.duration($0)) lag SLO" } ?? "")",
                    "Lower maxPollRecords (or remove it: the design derives one that fits), or process records concurrently."
                )
            }
            let partitions = topics.first { $0.name == topic }?.partitions ?? 1
            let instances = min(use.consumers ?? partitions, partitions)
            let capacity = Double(instances * use.concurrency) / pt
            let average = e.messagesPerSecond * growth
            let peak = average * e.peakToAverage
            guard capacity < peak else { continue }
            let inFlight = Int((peak * pt).rounded(.up))
            let perInstance = (inFlight + instances - 1) / instances
            let who =
                use.consumers == nil
                ? "one instance per partition" : "\(instances) instance\(instances == 1 ? "" : "s")"
            out.add(
                "consumer-capacity", capacity < average ? .error : .warning, s.name,
                "\(s.name) handles at most \(Format.grouped(capacity, decimals: 1)) records/s of \(topic) (\(who) × \(use.concurrency) at a time ÷ \(Format.duration(pt))), against \(Format.grouped(peak, decimals: 0))/s at peak after growth (\(Format.grouped(average, decimals: 0))/s on average): \(capacity < average ? "its lag grows without end" : "its lag builds in every burst")",
                s.kind == .streams
                    ? "Keep \(inFlight) records in flight (Little's law): a Kafka Streams task processes one record at a time, so give \(topic) at least \(inFlight) partitions (`partitions: \(inFlight)` on its entity; co-partitioned streams follow) and run enough instances or stream threads, or make processing faster."
                    : "Keep \(inFlight) records in flight (Little's law): process \(perInstance) at a time in each of \(instances) instances, keyed by \(e.key ?? "the record key") so each key stays in order (a parallel consumer; `concurrency: \(perInstance)` on this consumes entry), or add instances and partitions, or make processing faster."
            )
        }
    }

    /// A tenant's quota is per broker: its traffic can use at most quota × the brokers leading its
    /// partitions. When the planned peak after growth needs more, the tenant is throttled at peak.
    // Long because: one check per quota kind and principal, each with its message and fix.
    /// Kafka enforces a quota per principal and per broker: a tenant service can produce (fetch) at most
    /// its share of the tenant's budget × the brokers leading the partitions it writes (reads). When its
    /// planned peak after growth needs more, it is throttled at peak.
    static func quotaFindings(
        _ t: TenantSpec, design d: DesignModel, topics: [DesignedTopic], plan: CapacityPlan, growth: Double,
        into out: inout Findings
    ) {
        guard t.producerByteRate != nil || t.consumerByteRate != nil else { return }
        let members = Set(t.principals + d.services.filter { $0.tenant == t.name }.map(\.effectivePrincipal))
        let share = Double(max(1, members.count))
        func peak(_ uses: [StreamUse]) -> (bytes: Double, partitions: Int) {
            var bytes = 0.0
            var partitions = 0
            for u in uses {
                guard let e = d.entity(for: u.stream), let p = plan.topics.first(where: { $0.name == d.topicName(e) })
                else { continue }
                bytes += p.ingressWireBytesPerSecond * p.peakToAverage * growth
                partitions += p.partitions
            }
            return (bytes, partitions)
        }
        for s in d.services where s.tenant == t.name {
            let checks: [(String, Double?, (bytes: Double, partitions: Int))] = [
                ("produce", t.producerByteRate.map { ($0 / share).rounded(.down) }, peak(s.produces)),
                ("fetch", t.consumerByteRate.map { ($0 / share).rounded(.down) }, peak(s.consumes)),
            ]
            for (kind, quota, need) in checks {
                let leaders = min(plan.brokers, need.partitions)
                guard let quota, need.bytes > 0, quota * Double(leaders) < need.bytes else { continue }
                out.add(
                    "tenant-quota-throttles", .warning, s.name,
                    "\(s.effectivePrincipal) (tenant \(t.name)) may \(kind) \(Format.value(quota, .bytesPerSecond)) per broker (its 1/\(Int(share)) of the tenant's budget) on the \(leaders) broker\(leaders == 1 ? "" : "s") leading the partitions it \(kind == "produce" ? "writes" : "reads"), \(Format.value(quota * Double(leaders), .bytesPerSecond)) in all, but its planned peak after growth is \(Format.value(need.bytes, .bytesPerSecond)): it is throttled at peak",
                    "Raise the tenant's \(kind) budget to at least \(Format.value(need.bytes / Double(leaders) * share, .bytesPerSecond)) per broker (split \(Int(share)) ways), spread the partitions over more brokers, or agree the lower peak with the tenant."
                )
            }
        }
    }

    static func serviceFindings(_ s: ServiceSpec, design d: DesignModel, into out: inout Findings) {
        func add(_ code: String, _ severity: LintSeverity, _ subject: String, _ message: String, _ fix: String) {
            out.add(code, severity, subject, message, fix)
        }
        for use in s.consumes {
            guard let e = d.entity(for: use.stream) else { continue }
            let topic = d.topicName(e)
            if e.tenant != s.tenant {
                add(
                    "cross-tenant-access", .warning, s.name,
                    "\(s.name) (\(s.tenant.map { "tenant \($0)" } ?? "no tenant")) reads \(topic) of \(e.tenant.map { "tenant \($0)" } ?? "no tenant")",
                    "Make the cross-tenant read explicit in an agreement and review its ACL; or copy the data into the reader's namespace."
                )
            }
            if use.guarantee == .atLeastOnce && !use.idempotent {
                add(
                    "non-idempotent-consumer", .warning, s.name,
                    "\(s.name) processes \(topic) at least once with side effects that are not idempotent: a redelivery repeats them (retry and dead-letter topics are added)",
                    "Make the side effect idempotent (deduplicate by key and offset, or an idempotency key), or use exactly-once where the effect is Kafka itself."
                )
            }
            if use.guarantee == .exactlyOnce {
                let produced = s.produces.compactMap { d.entity(for: $0.stream) }
                if produced.contains(where: { $0.cluster != e.cluster }) {
                    add(
                        "exactly-once-across-clusters", .error, s.name,
                        "\(s.name) expects exactly-once from \(topic) into a topic on another cluster: Kafka transactions do not span clusters",
                        "Keep the read and the write on one cluster, or make the write idempotent and accept at-least-once."
                    )
                }
                if produced.isEmpty {
                    add(
                        "exactly-once-external-effect", .warning, s.name,
                        "\(s.name) consumes \(topic) exactly-once but writes nothing to Kafka: transactions cannot cover its side effects",
                        "Use at-least-once with idempotent side effects.")
                }
            }
        }
        for use in s.produces {
            guard let e = d.entity(for: use.stream), e.tenant != s.tenant else { continue }
            add(
                "cross-tenant-access", .warning, s.name,
                "\(s.name) writes \(d.topicName(e)) of \(e.tenant.map { "tenant \($0)" } ?? "no tenant")",
                "Only the owning tenant should write its topics.")
        }
    }

    static func rankOf(_ s: LintSeverity) -> Int { s == .error ? 0 : (s == .warning ? 1 : 2) }
}
