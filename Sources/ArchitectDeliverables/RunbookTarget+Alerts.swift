import ArchitectCore

/// Runbooks for the alerts that had none of their own: lag, hanging transactions, saturation, quotas,
/// disks and the controller quorum. Every command cited ships with Apache Kafka (3.7+) or this tool.
extension RunbookTarget {
    static func consumerLag(_ c: Context) -> GeneratedFile {
        let maxLag = c.a.design?.slos.maxConsumerLagSeconds ?? 300
        var rows: [String] = []
        for g in c.r.consumerGroups {
            for topic in g.topics {
                guard let t = c.r.topics.first(where: { $0.name == topic }) else { continue }
                let peak = MonitoringTarget.peakRate(topic, c.r, c.a)
                let wanted = c.uses(g).first { c.a.design?.entity(for: $0.stream)?.reference == t.entity }?.consumers
                let slo = MonitoringTarget.fmt(g.maxLagSeconds ?? maxLag)
                rows.append(
                    "| `\(g.id)` | `\(topic)` | \(slo) s | \(peak.map { "\(MonitoringTarget.fmt($0.rounded())) msg/s" } ?? "—") | \(t.partitions) | \(wanted.map(String.init) ?? "—") |"
                )
            }
        }
        return c.doc(
            "consumer-lag",
            [
                "# Consumer lag — \(c.cluster)", "",
                "The design's lag SLO is \(MonitoringTarget.fmt(maxLag)) s (a consumer's own `maxLag` overrides it). Lag in seconds is the age of the oldest unconsumed record (`kafka_consumergroup_lag_seconds` from `kafka-architect exporter --bootstrap $BOOTSTRAP --command-config $COMMAND_CONFIG --file architecture.yaml`; `kafka-architect lag --group <group>` shows the same figures once). The message thresholds are the SLO at each topic's peak rate. `ConsumerGroupError_*` is the exporter's Burrow-style status: `kafka-architect lag --group <group> --window 2m` names the rule and the partition. `KafkaExporterCollectionFailing`: the exporter cannot read the cluster (its log says why) and the other lag alerts see old figures.",
                "",
                "| Group | Topic | Lag SLO | Peak rate | Partitions (most useful consumers) | Consumers planned (instances × threads) |",
                "|---|---|---:|---:|---:|---:|",
            ] + rows + [
                "",
                "1. See who consumes what: `kafka-consumer-groups.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG --describe --group <group> --members --verbose`. No members (`ConsumerGroupEmptyWithLag_*`): the service is down, crash-looping or denied (check its logs for authorization and SSL errors).",
                "2. Per partition: `kafka-consumer-groups.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG --describe --group <group>`. Lag on one partition only: a hot key or a stuck record; `kafka-architect keys --bootstrap $BOOTSTRAP --command-config $COMMAND_CONFIG --topic <topic>` shows the key spread.",
                "3. Committing nothing (`ConsumerGroupStalled_*`) with members present: a poison record or a blocked call. Its consumers should dead-letter it (see `dlq-replay.md`); otherwise skip it with an offset reset (`consumer-group-offset-reset.md`, read its warnings).",
                "4. Too slow for the traffic: add instances up to the partition count (more are idle), or raise concurrency inside partitions; compare processing time per record with the design's.",
                "", "Environment: `\(c.env)`.",
            ])
    }

    static func hangingTransactions(_ c: Context) -> GeneratedFile {
        let topics = MonitoringTarget.transactionalTopics(c.r, c.a)
        return c.doc(
            "hanging-transactions",
            [
                "# Hanging transactions — \(c.cluster)", "",
                "Topics written in transactions: "
                    + (topics.isEmpty ? "none in this design." : topics.map { "`\($0)`" }.joined(separator: ", ")),
                "",
                "A transaction left open past `transaction.timeout.ms` (60 s for this design's producers) holds the partition's last stable offset: `read_committed` consumers read nothing past it, and their lag grows while producers carry on.",
                "",
                "1. Find them: `kafka-transactions.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG find-hanging --broker-id <id>` (each broker in turn), or per partition `kafka-transactions.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG describe-producers --topic <topic> --partition <n>`.",
                "2. If the producer is alive, restart it: a new instance with the same `transactional.id` fences and aborts the old transaction.",
                "3. Otherwise abort it: `kafka-transactions.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG abort --topic <topic> --partition <n> --start-offset <offset from find-hanging>`. The transaction's records are discarded: its producer must send them again.",
                "", "Environment: `\(c.env)`.",
            ])
    }

    static func brokerSaturation(_ c: Context) -> GeneratedFile {
        let type = c.p.instance.type
        return c.doc(
            "broker-saturation",
            [
                "# Broker saturation — \(c.cluster)", "",
                "The plan runs \(c.p.brokers) × \(type.name) (\(type.vcpus) vCPUs) for a peak of \(Format.value(c.p.throughput.peakIngressWireBytesPerSecond, .bytesPerSecond)) in on the wire, as BytesInPerSec counts it (\(Format.value(c.p.throughput.peakIngressBytesPerSecond, .bytesPerSecond)) before compression).",
                "",
                "1. Find the broker: the alert's query by instance (`min by (instance) (...)`). One broker alone: leadership is skewed; run a preferred leader election: `kafka-leader-election.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG --election-type preferred --all-topic-partitions`, then see `partition-rebalancing.md`.",
                "2. All brokers: traffic is above the plan. Compare the bytes in with the planned peak; re-plan with today's rates (`kafka-architect plan <architecture file>`) and add brokers.",
                "3. Request handlers busy but network idle: slow disks or many small requests (producers with a small `linger.ms`/`batch.size`); network threads busy: many connections or TLS. `num.io.threads` and `num.network.threads` should follow the vCPUs.",
                "4. Produce errors: the broker logs name the error (`NOT_ENOUGH_REPLICAS` follows `UnderMinIsrPartitions`; `RECORD_TOO_LARGE` a producer's `max.request.size` above the topic's `max.message.bytes`).",
                "", "Environment: `\(c.env)`.",
            ])
    }

    static func quotaThrottling(_ c: Context) -> GeneratedFile {
        let rows = c.r.quotas.map { q in
            let rate = { (v: Double?) in v.map { Format.value($0, .bytesPerSecond) } ?? "—" }
            return
                "| \(q.tenant) | `\(q.principal)` | \(rate(q.producerByteRate)) | \(rate(q.consumerByteRate)) | \(q.shareOf) |"
        }
        return c.doc(
            "quota-throttling",
            [
                "# Quota throttling — \(c.cluster)", "",
                rows.isEmpty
                    ? "This design sets no quotas."
                    : "Quotas are enforced per user and per broker; a tenant's budget is split between its principals.",
                "",
            ]
                + (rows.isEmpty
                    ? []
                    : [
                        "| Tenant | Principal | Produce per broker | Fetch per broker | Principals sharing the budget |",
                        "|---|---|---:|---:|---:|",
                    ] + rows) + [
                    "",
                    "1. See the quota in force: `kafka-configs.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG --describe --entity-type users --entity-name <user>`.",
                    "2. Throttling that matches the tenant's contract is the quota working: tell the tenant. Otherwise raise the tenant's budget in the architecture file and regenerate, or for now: `kafka-configs.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG --alter --entity-type users --entity-name <user> --add-config producer_byte_rate=<bytes/s>`.",
                    "3. One principal throttled while others of the tenant idle: the budget split is uneven for its traffic; move load or shift the split.",
                    "", "Environment: `\(c.env)`.",
                ])
    }

    /// How a topic keeps its data, for the disk runbook.
    static func kept(_ t: DesignedTopic) -> String {
        if t.config("cleanup.policy") == "compact" { return "compacted" }
        guard let ms = t.config("retention.ms") else { return "default retention" }
        if ms == "-1" { return "kept forever" }
        let local =
            t.config("local.retention.ms").flatMap { Double($0) }.map {
                ", \(Format.duration($0 / 1000)) on broker disks"
            } ?? ""
        return "retention \(Format.duration((Double(ms) ?? 0) / 1000))\(local)"
    }

    static func diskUsage(_ c: Context) -> GeneratedFile {
        let busiest = c.busiest.prefix(5).map { "`\($0.name)` (\(kept($0)))" }
        let forever = c.main.filter { $0.config("retention.ms") == "-1" }.map { "`\($0.name)`" }
        let tiered = c.main.contains { $0.config("remote.storage.enable") == "true" }
        var steps = [
            "1. Which partitions grow: `kafka-log-dirs.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG --describe --broker-list <id>`. The busiest topics by bytes: "
                + busiest.joined(separator: ", ") + ".",
            "2. One broker only: partitions are unevenly placed; see `partition-rebalancing.md`. All brokers: traffic or retention is above the plan.",
        ]
        if tiered {
            steps.append(
                "3. Tiered topics keep only `local.retention.ms` on broker disks: if they fill, segments are not reaching object storage. Check `TieredCopyErrors` and `kafka_server_brokertopicmetrics_remotecopylagbytes`, the broker logs for the RemoteStorageManager's errors, and the bucket's credentials; to buy time lower `local.retention.ms` (not `retention.ms`): `kafka-configs.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG --alter --entity-type topics --entity-name <topic> --add-config local.retention.ms=<ms>`."
            )
        }
        steps.append(
            "\(steps.count + 1). To buy time on a topic that is not tiered, shorten its retention (records older than it are deleted for every reader): `kafka-configs.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG --alter --entity-type topics --entity-name <topic> --add-config retention.ms=<ms>`."
                + (forever.isEmpty
                    ? ""
                    : " **Never** on " + forever.joined(separator: ", ")
                        + ": kept forever, it is a system of record; grow the volumes or tier it instead."))
        steps.append(
            "\(steps.count + 1). Grow the volumes: on Kubernetes raise the node pool's volume `size` (the StorageClass must allow expansion); on hosts extend the volume and the file system. Then re-plan with today's rates."
        )
        return c.doc(
            "disk-usage",
            [
                "# Disk usage — \(c.cluster)", "",
                "The plan keeps \(Format.value(c.p.storage.perBrokerBytes, .bytes)) per broker with a free-space margin of \(Int((c.a.policy.freeSpaceMargin * 100).rounded()))%, on \(c.p.storage.volumesPerBroker) volume(s) of \(Format.value(c.p.storage.volumeSizeBytes, .bytes)).",
                "",
            ] + steps + ["", "Environment: `\(c.env)`."])
    }

    static func controllerQuorum(_ c: Context) -> GeneratedFile {
        c.doc(
            "controller-quorum",
            [
                "# Controller quorum — \(c.cluster)", "",
                "Three KRaft controllers: the quorum survives one loss. No active controller stops topic, partition and ACL changes and leader elections; two active controllers in the metrics is a scrape of a node that has not yet seen the new leader.",
                "",
                "1. Status: `kafka-metadata-quorum.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG describe --status` (leader, epoch, high watermark) and `describe --replication` (each voter's lag).",
                "2. A voter far behind or missing: check its host, disk and certificate (controllers require mutual TLS); restart it.",
                "3. Two voters lost: the quorum has no majority. Restore the controllers' metadata volumes; do not format a controller again, that creates a new cluster.",
                "", "Environment: `\(c.env)`.",
            ])
    }
}
