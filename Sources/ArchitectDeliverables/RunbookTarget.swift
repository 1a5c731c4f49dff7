import ArchitectCore

/// Markdown runbooks filled with this design's names.
enum RunbookTarget {
    static func files(_ r: DesignResult, _ a: Architecture) -> [GeneratedFile] {
        let c = Context(r: r, a: a)
        return [
            partitionRebalancing(c), consumerGroupOffsetReset(c), compactionStalls(c), brokerReplacement(c),
            rollingUpgrade(c), dlqReplay(c),
        ]
    }

    /// What every runbook reads from the design.
    struct Context {
        let r: DesignResult
        let a: Architecture
        var p: CapacityPlan { r.plan }
        var cluster: String { r.name }
        var main: [DesignedTopic] { r.topics.filter { $0.purpose == .main } }
        var compacted: [DesignedTopic] { main.filter { $0.config("cleanup.policy") == "compact" } }
        var dlqs: [DesignedTopic] { r.topics.filter { $0.purpose == .deadLetter } }
        let env = "BOOTSTRAP=<host:9093> COMMAND_CONFIG=<admin.properties>"

        func doc(_ name: String, _ lines: [String]) -> GeneratedFile {
            GeneratedFile(
                path: "runbooks/\(name).md",
                contents: (["<!-- \(Deliverables.header) -->"] + lines).joined(separator: "\n") + "\n")
        }
    }

    static func partitionRebalancing(_ c: Context) -> GeneratedFile {
        c.doc(
            "partition-rebalancing",
            [
                "# Partition rebalancing — \(c.cluster)", "",
                "When: a broker's disk or network runs hotter than the others, after adding brokers, or with under-replicated partitions that persist.",
                "",
                "1. Check the skew: `kafka-architect audit` (or `kafka-log-dirs.sh --describe`) per broker; the plan expects \(Format.value(c.p.storage.perBrokerBytes, .bytes)) per broker on \(c.p.brokers) brokers.",
                "2. Generate a reassignment for the busiest topics: "
                    + c.main.prefix(5).map { "`\($0.name)`" }.joined(separator: ", ") + ".",
                "3. Throttle it so producers keep their SLO: `kafka-reassign-partitions.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG --execute --reassignment-json-file plan.json --throttle 50000000`.",
                "4. Watch `UnderReplicatedPartitions` and produce p99; verify with `--verify`, which also removes the throttle.",
                "",
                "Replacing a full broker's data takes about \(Format.duration(c.p.storage.brokerRecoverySeconds)) at the spare network bandwidth.",
            ])
    }

    static func consumerGroupOffsetReset(_ c: Context) -> GeneratedFile {
        c.doc(
            "consumer-group-offset-reset",
            [
                "# Consumer group offset reset — \(c.cluster)", "",
                "When: a group must skip poison records, replay after a bug fix, or start over. Stop every member first: resets need an empty group.",
                "",
                "| Group | Service | Topics |", "|---|---|---|",
            ]
                + c.r.consumerGroups.map {
                    "| `\($0.id)` | \($0.service) | \($0.topics.map { "`\($0)`" }.joined(separator: ", ")) |"
                } + [
                    "",
                    "1. Stop the service's consumers; check the group is empty: `kafka-consumer-groups.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG --describe --group <group>`.",
                    "2. Dry run: `kafka-consumer-groups.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG --group <group> --topic <topic> --reset-offsets --to-datetime 2026-01-01T00:00:00.000 --dry-run`.",
                    "3. Apply with `--execute` instead of `--dry-run`; restart the consumers.",
                    "",
                    "Consumers commit after processing, so a replay repeats side effects: only non-idempotent consumers need care (they have dead-letter topics).",
                    "", "Environment: `\(c.env)`.",
                ])
    }

    static func compactionStalls(_ c: Context) -> GeneratedFile {
        c.doc(
            "compaction-stalls",
            [
                "# Compaction stalls — \(c.cluster)", "",
                "Compacted topics: "
                    + (c.compacted.isEmpty
                        ? "none in this design." : c.compacted.map { "`\($0.name)`" }.joined(separator: ", ")),
                "",
                "Symptoms: a compacted topic's size grows without bound; `kafka_log_logcleanermanager_max_dirty_percent` stays high; `kafka_log_logcleaner_time_since_last_run_ms` keeps growing.",
                "",
                "1. Check the cleaner thread is alive (`log-cleaner.log`); a crashed cleaner stops all compaction until restart.",
                "2. Check `min.compaction.lag.ms` and `segment.ms`: the active segment is never compacted.",
                "3. Restart the broker whose cleaner died, one at a time; raise `log.cleaner.threads` or `log.cleaner.dedupe.buffer.size` if it was out of memory.",
            ])
    }

    static func brokerReplacement(_ c: Context) -> GeneratedFile {
        c.doc(
            "broker-replacement",
            [
                "# Broker replacement — \(c.cluster)", "",
                "The cluster has \(c.p.brokers) brokers (\(c.p.instance.type.name)) over \(c.a.environment.availabilityZones) zones; replication factor \(c.a.policy.replicationFactor), min.insync.replicas \(c.a.policy.minInsyncReplicas).",
                "",
                "1. Confirm no partition is under min ISR without this broker (`UnderMinIsrPartitions`); otherwise stop and restore a replica first.",
                "2. Start the replacement with the same `node.id` and rack (`broker.rack`) so it takes over the old replicas.",
                "3. It re-replicates about \(Format.value(c.p.storage.perBrokerBytes, .bytes)): about \(Format.duration(c.p.storage.brokerRecoverySeconds)) at the spare bandwidth. Watch `UnderReplicatedPartitions` fall to 0.",
                "4. Run a preferred leader election once it is in sync: `kafka-leader-election.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG --election-type preferred --all-topic-partitions`.",
            ])
    }

    static func rollingUpgrade(_ c: Context) -> GeneratedFile {
        c.doc(
            "rolling-upgrade",
            [
                "# Rolling upgrade — \(c.cluster)", "",
                "1. Read the release notes; run `kafka-architect lint` on the broker and client configs with `--kafka-version <target>` to find removed settings.",
                "2. Controllers first, one at a time, then brokers one at a time; wait for `UnderReplicatedPartitions` = 0 between nodes.",
                "3. With replication factor \(c.a.policy.replicationFactor) and min ISR \(c.a.policy.minInsyncReplicas) one broker may be down at a time without stopping acks=all producers.",
                "4. After every node runs the new version, finalize the metadata version: `kafka-features.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG upgrade --release-version <target>`.",
            ])
    }

    static func dlqReplay(_ c: Context) -> GeneratedFile {
        c.doc(
            "dlq-replay",
            [
                "# Dead-letter replay — \(c.cluster)", "",
                c.dlqs.isEmpty
                    ? "This design has no dead-letter topics."
                    : "| Dead-letter topic | Source topic | Partitions |",
            ]
                + (c.dlqs.isEmpty
                    ? []
                    : ["|---|---|---:|"]
                        + c.dlqs.map { d in
                            let source = c.main.first { $0.entity == d.entity }?.name ?? d.entity
                            return "| `\(d.name)` | `\(source)` | \(d.partitions) |"
                        }) + [
                    "",
                    "1. Fix the cause first (the record's headers carry the exception and the original topic, partition and offset).",
                    "2. Inspect: `kafka-console-consumer.sh --bootstrap-server $BOOTSTRAP --consumer.config $COMMAND_CONFIG --topic <dlq> --from-beginning --property print.headers=true --max-messages 10`.",
                    "3. Replay into the source topic with a one-off producer that keeps each record's key (so per-key order holds), then watch the consumer's lag return to normal.",
                    "4. Records stay in the dead-letter topic for 30 days (`retention.ms`), replayed or not.",
                ])
    }
}
