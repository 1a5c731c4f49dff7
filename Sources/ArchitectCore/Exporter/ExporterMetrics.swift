// What `exporter` serves, as values: metric families computed from one collection (a health snapshot of the
// cluster and the lag report over the last readings). kafka_exporter's names and labels wherever it has the
// metric, so its dashboards keep working; ours for the rest (docs/exporter.md). Pure and deterministic: families
// by name, samples by labels.

public struct MetricLabel: Sendable, Equatable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

public struct MetricSample: Sendable, Equatable {
    public var labels: [MetricLabel]
    public var value: Double
    public init(_ labels: [MetricLabel], _ value: Double) {
        self.labels = labels
        self.value = value
    }
}

public struct MetricFamily: Sendable, Equatable {
    public enum Kind: String, Sendable { case gauge, counter }
    public var name: String
    public var help: String
    public var kind: Kind
    public var samples: [MetricSample]
    /// Who defines the name: `kafka_exporter` (danielqsj/kafka_exporter's name and labels) or `kafka-architect`.
    public var origin: String
    public init(_ name: String, _ help: String, kind: Kind = .gauge, origin: String, samples: [MetricSample]) {
        self.name = name
        self.help = help
        self.kind = kind
        self.origin = origin
        self.samples = samples
    }
}

/// One collection: what the exporter read in one interval.
public struct ExporterCollection: Sendable, Equatable {
    /// Brokers, topics with partitions, offsets, sizes and configs; nil when metadata could not be read.
    public var snapshot: ClusterSnapshot?
    /// Lag over the last readings; nil when no reading could be made.
    public var lag: LagReport?
    public init(snapshot: ClusterSnapshot?, lag: LagReport?) {
        self.snapshot = snapshot
        self.lag = lag
    }
}

public enum ExporterMetrics {
    /// A lag report from a partial read (`partial`: some groups may not have been seen), completed with the
    /// previous report's groups it lacks — restricted to `only` when groups were named — so that a group's series
    /// do not vanish for one collection. A complete read replaces the previous report (deleted groups go).
    public static func carryOver(_ report: LagReport, previous: LagReport?, partial: Bool, only: Set<String> = [])
        -> LagReport
    {
        guard partial, let previous else { return report }
        var out = report
        let seen = Set(report.groups.map(\.groupId))
        out.groups += previous.groups.filter {
            !seen.contains($0.groupId) && (only.isEmpty || only.contains($0.groupId))
        }
        return out
    }

    static let kafkaExporter = "kafka_exporter"
    static let ours = "kafka-architect"

    /// Every family the collection gives, sorted by name; a family with no samples is left out.
    public static func families(_ c: ExporterCollection) -> [MetricFamily] {
        var out: [MetricFamily] = []
        if let s = c.snapshot { out += cluster(s) + topics(s) + brokers(s) }
        if let lag = c.lag { out += groups(lag) }
        return out.filter { !$0.samples.isEmpty }.sorted { $0.name < $1.name }
    }

    static func tp(_ topic: String, _ partition: Int32) -> [MetricLabel] {
        [MetricLabel("topic", topic), MetricLabel("partition", String(partition))]
    }

    static func cluster(_ s: ClusterSnapshot) -> [MetricFamily] {
        let brokers = s.brokers.sorted { $0.id < $1.id }
        return [
            MetricFamily(
                "kafka_brokers", "Number of Brokers in the Kafka Cluster.", origin: kafkaExporter,
                samples: [MetricSample([], Double(brokers.count))]),
            MetricFamily(
                "kafka_broker_info", "Information about the Kafka Broker.", origin: kafkaExporter,
                samples: brokers.map {
                    // host:port, an IPv6 host in brackets (as Go's net.JoinHostPort, which kafka_exporter uses).
                    let host = $0.host.contains(":") ? "[\($0.host)]" : $0.host
                    return MetricSample(
                        [MetricLabel("id", String($0.id)), MetricLabel("address", "\(host):\($0.port)")], 1)
                }),
        ]
    }

    // Long because: one family per partition figure, each a few lines, read in one pass over the partitions.
    static func topics(_ s: ClusterSnapshot) -> [MetricFamily] {
        var count: [MetricSample] = []
        var current: [MetricSample] = []
        var oldest: [MetricSample] = []
        var leader: [MetricSample] = []
        var replicas: [MetricSample] = []
        var isr: [MetricSample] = []
        var preferred: [MetricSample] = []
        var under: [MetricSample] = []
        var offline: [MetricSample] = []
        var underMin: [MetricSample] = []
        var size: [MetricSample] = []
        for t in s.topics.sorted(by: { $0.name < $1.name }) {
            count.append(MetricSample([MetricLabel("topic", t.name)], Double(t.partitions.count)))
            let minIsr = t.configs["min.insync.replicas"]?.value.flatMap { Int($0) }
            for p in t.partitions.sorted(by: { $0.partition < $1.partition }) {
                let l = tp(t.name, p.partition)
                if let v = p.logEndOffset { current.append(MetricSample(l, Double(v))) }
                if let v = p.logStartOffset { oldest.append(MetricSample(l, Double(v))) }
                if p.leader >= 0 { leader.append(MetricSample(l, Double(p.leader))) }
                replicas.append(MetricSample(l, Double(p.replicas.count)))
                isr.append(MetricSample(l, Double(p.isr.count)))
                preferred.append(MetricSample(l, p.leader >= 0 && p.leader == p.replicas.first ? 1 : 0))
                under.append(MetricSample(l, p.isr.count < p.replicationFactor ? 1 : 0))
                offline.append(MetricSample(l, p.leader < 0 ? 1 : 0))
                if let minIsr { underMin.append(MetricSample(l, p.isr.count < minIsr ? 1 : 0)) }
                if let v = p.sizeBytes { size.append(MetricSample(l, Double(v))) }
            }
        }
        let k = kafkaExporter
        return [
            MetricFamily("kafka_topic_partitions", "Number of partitions for this Topic", origin: k, samples: count),
            MetricFamily(
                "kafka_topic_partition_current_offset", "Current Offset of a Broker at Topic/Partition", origin: k,
                samples: current),
            MetricFamily(
                "kafka_topic_partition_oldest_offset", "Oldest Offset of a Broker at Topic/Partition", origin: k,
                samples: oldest),
            MetricFamily(
                "kafka_topic_partition_leader", "Leader Broker ID of this Topic/Partition", origin: k, samples: leader),
            MetricFamily(
                "kafka_topic_partition_replicas", "Number of Replicas for this Topic/Partition", origin: k,
                samples: replicas),
            MetricFamily(
                "kafka_topic_partition_in_sync_replica", "Number of In-Sync Replicas for this Topic/Partition",
                origin: k, samples: isr),
            MetricFamily(
                "kafka_topic_partition_leader_is_preferred", "1 if Topic/Partition is using the Preferred Broker",
                origin: k, samples: preferred),
            MetricFamily(
                "kafka_topic_partition_under_replicated_partition", "1 if Topic/Partition is under Replicated",
                origin: k, samples: under),
            MetricFamily(
                "kafka_topic_partition_offline", "1 if Topic/Partition has no leader (offline)", origin: ours,
                samples: offline),
            MetricFamily(
                "kafka_topic_partition_under_min_isr",
                "1 if Topic/Partition has fewer in-sync replicas than its min.insync.replicas (acks=all writes fail)",
                origin: ours, samples: underMin),
            MetricFamily(
                "kafka_topic_partition_log_size_bytes",
                "Size of the Topic/Partition's log on its largest replica (DescribeLogDirs), bytes", origin: ours,
                samples: size),
        ]
    }

    static func brokers(_ s: ClusterSnapshot) -> [MetricFamily] {
        var leaders: [Int32: Int] = [:]
        var replicas: [Int32: Int] = [:]
        for b in s.brokers {
            leaders[b.id] = 0
            replicas[b.id] = 0
        }
        for t in s.topics {
            for p in t.partitions {
                if p.leader >= 0 { leaders[p.leader, default: 0] += 1 }
                for r in p.replicas { replicas[r, default: 0] += 1 }
            }
        }
        var size: [Int32: Int64] = [:]
        for d in s.logDirs { if let b = d.partitionBytes { size[d.broker, default: 0] += b } }
        func samples(_ m: [Int32: some BinaryInteger]) -> [MetricSample] {
            m.sorted { $0.key < $1.key }.map { MetricSample([MetricLabel("id", String($0.key))], Double($0.value)) }
        }
        return [
            MetricFamily(
                "kafka_broker_leader_partitions", "Partitions this broker leads", origin: ours,
                samples: samples(leaders)),
            MetricFamily(
                "kafka_broker_replica_partitions", "Partition replicas this broker holds", origin: ours,
                samples: samples(replicas)),
            MetricFamily(
                "kafka_broker_log_size_bytes",
                "Bytes of partition replicas in this broker's log dirs (DescribeLogDirs)",
                origin: ours, samples: samples(size)),
        ]
    }

    // Long because: one family per group figure, each a few lines, read in one pass over the groups.
    static func groups(_ r: LagReport) -> [MetricFamily] {
        var current: [MetricSample] = []
        var currentSum: [MetricSample] = []
        var lag: [MetricSample] = []
        var lagSum: [MetricSample] = []
        var seconds: [MetricSample] = []
        var maxSeconds: [MetricSample] = []
        var members: [MetricSample] = []
        var status: [MetricSample] = []
        for g in r.groups.sorted(by: { $0.groupId < $1.groupId }) {
            let group = MetricLabel("consumergroup", g.groupId)
            status.append(MetricSample([group, MetricLabel("status", g.status.rawValue)], 1))
            if let m = g.members { members.append(MetricSample([group], Double(m.count))) }
            if let v = g.maxLagSeconds { maxSeconds.append(MetricSample([group], v)) }
            var sums: [String: (offset: Int64, lag: Int64, known: Bool)] = [:]
            for p in g.partitions.sorted(by: { ($0.topic, $0.partition) < ($1.topic, $1.partition) }) {
                let l = [group] + tp(p.topic, p.partition)
                var sum = sums[p.topic] ?? (0, 0, true)
                // As kafka_exporter: a partition without a committed offset is left out of both sums.
                guard let committed = p.committedOffset else {
                    if let v = p.lagSeconds { seconds.append(MetricSample(l, v)) }
                    continue
                }
                current.append(MetricSample(l, Double(committed)))
                sum.offset += committed
                if let v = p.lag {
                    lag.append(MetricSample(l, Double(v)))
                    sum.lag += v
                } else {
                    sum.known = false
                }
                if let v = p.lagSeconds { seconds.append(MetricSample(l, v)) }
                sums[p.topic] = sum
            }
            for (topic, s) in sums.sorted(by: { $0.key < $1.key }) {
                let l = [group, MetricLabel("topic", topic)]
                currentSum.append(MetricSample(l, Double(s.offset)))
                // A sum over partitions some of which are unknown would understate the lag: left out.
                if s.known { lagSum.append(MetricSample(l, Double(s.lag))) }
            }
        }
        let k = kafkaExporter
        return [
            MetricFamily(
                "kafka_consumergroup_current_offset", "Current Offset of a ConsumerGroup at Topic/Partition", origin: k,
                samples: current),
            MetricFamily(
                "kafka_consumergroup_current_offset_sum",
                "Current Offset of a ConsumerGroup at Topic for all partitions", origin: k, samples: currentSum),
            MetricFamily(
                "kafka_consumergroup_lag", "Current Approximate Lag of a ConsumerGroup at Topic/Partition", origin: k,
                samples: lag),
            MetricFamily(
                "kafka_consumergroup_lag_sum", "Current Approximate Lag of a ConsumerGroup at Topic for all partitions",
                origin: k, samples: lagSum),
            MetricFamily(
                "kafka_consumergroup_members", "Amount of members in a consumer group", origin: k, samples: members),
            MetricFamily(
                "kafka_consumergroup_lag_seconds",
                "Age of the oldest unconsumed record of a ConsumerGroup at Topic/Partition, seconds (0 when caught up)",
                origin: ours, samples: seconds),
            MetricFamily(
                "kafka_consumergroup_max_lag_seconds",
                "Age of the ConsumerGroup's oldest unconsumed record over all its partitions, seconds", origin: ours,
                samples: maxSeconds),
            MetricFamily(
                "kafka_consumergroup_status",
                "1 for the ConsumerGroup's status (OK, WARN, ERR, UNKNOWN) from the lag evaluation over the window",
                origin: ours, samples: status),
        ]
    }
}
