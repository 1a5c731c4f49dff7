import ArchitectCore

/// Markdown runbooks filled with this design's names.
enum RunbookTarget {
    static func files(_ r: DesignResult, _ a: Architecture) -> [GeneratedFile] {
        let c = Context(r: r, a: a)
        return [
            partitionRebalancing(c), consumerGroupOffsetReset(c), compactionStalls(c), brokerReplacement(c),
            rollingUpgrade(c), dlqReplay(c), consumerLag(c), hangingTransactions(c), brokerSaturation(c),
            quotaThrottling(c), diskUsage(c), controllerQuorum(c),
        ].map { c.withAlerts($0) }
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

        /// The runbook with, under its title, the alerts that name it (prometheus/alerts.yml).
        func withAlerts(_ f: GeneratedFile) -> GeneratedFile {
            let alerts = MonitoringTarget.signals(r, a).filter { $0.runbook == f.path }.map { "`\($0.alert)`" }
            guard !alerts.isEmpty else { return f }
            var lines = f.contents.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let title = lines.firstIndex { $0.hasPrefix("# ") } ?? 0
            lines.insert(contentsOf: ["", "Alerts: " + alerts.joined(separator: ", ") + "."], at: title + 1)
            return GeneratedFile(path: f.path, contents: lines.joined(separator: "\n"))
        }

        /// An entity's average and peak byte rates (uncompressed, as produced).
        func bytesPerSecond(_ t: DesignedTopic) -> (average: Double, peak: Double) {
            guard let e = a.design?.entities.first(where: { $0.reference == t.entity }) else { return (0, 0) }
            let average = e.messagesPerSecond * e.messageSize
            return (average, average * e.peakToAverage)
        }

        /// Main topics, busiest first by bytes per second (then by name).
        var busiest: [DesignedTopic] {
            main.sorted {
                let (x, y) = (bytesPerSecond($0).average, bytesPerSecond($1).average)
                return x != y ? x > y : $0.name < $1.name
            }
        }

        /// What a broker has spare at peak to take in moved or re-replicated data: the smaller of its
        /// inbound network left by live traffic (the plan's recovery figure is its data ÷ that) and the
        /// write rate its disks have left after the peak produce and replication writes.
        var spare: (network: Double, disk: Double) {
            let type = p.instance.type
            let disk = CapacityPlanner.diskWriteCapacity(
                a.environment.storage, instance: type, volumes: p.storage.volumesPerBroker,
                volumeThroughput: p.storage.volumeThroughputBytesPerSecond)
            // Everything a broker takes in at peak (produce and replication) is also what its disks write.
            let writes = p.throughput.networkInPerBrokerBytesPerSecond
            return (max(0, type.networkBaselineBytesPerSecond - writes), max(0, disk - writes))
        }

        /// Time to refill a replaced broker at what it has spare, network or disk: the plan's figure.
        var recoverySeconds: Double { p.storage.brokerRecoverySeconds }

        /// Reassignment throttle: 80% of what a broker has spare (the plan's data per broker ÷ its
        /// recovery time: the less of network and disk), in whole MB/s.
        var throttleBytesPerSecond: Double {
            guard p.storage.brokerRecoverySeconds > 0 else { return 1_000_000 }
            let rate = p.storage.perBrokerBytes / p.storage.brokerRecoverySeconds
            return max(1_000_000, (rate * 0.8 / 1_000_000).rounded(.down) * 1_000_000)
        }

        /// The side-effect services a group's replay reaches, and the kind of service it is.
        func downstream(_ g: ConsumerGroup) -> [String] {
            guard let d = a.design, let s = d.services.first(where: { $0.name == g.service }) else { return [] }
            return DesignAdvisor.effectsDownstream(of: s, in: d)
        }
        func reprocessing(_ g: ConsumerGroup) -> [String] {
            guard let d = a.design, let s = d.services.first(where: { $0.name == g.service }) else { return [] }
            return DesignAdvisor.effectsDownstream(of: s, in: d, orNotIdempotent: true)
        }
        func kind(_ g: ConsumerGroup) -> ServiceKind {
            a.design?.services.first { $0.name == g.service }?.kind ?? .client
        }

        /// The design's consumer uses of a group's service, by topic.
        func uses(_ g: ConsumerGroup) -> [StreamUse] {
            a.design?.services.first { $0.name == g.service }?.consumes ?? []
        }
    }

    static func partitionRebalancing(_ c: Context) -> GeneratedFile {
        let throttle = c.throttleBytesPerSecond
        let busiest = c.busiest.prefix(5).map {
            "`\($0.name)` (\(Format.value(c.bytesPerSecond($0).average, .bytesPerSecond)))"
        }
        return c.doc(
            "partition-rebalancing",
            [
                "# Partition rebalancing — \(c.cluster)", "",
                "When: a broker's disk or network runs hotter than the others, after adding brokers, or with under-replicated partitions that persist.",
                "",
                "1. Check the skew per broker: `kafka-log-dirs.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG --describe` (sizes per partition and broker); the plan expects \(Format.value(c.p.storage.perBrokerBytes, .bytes)) per broker on \(c.p.brokers) brokers.",
                "2. Move the busiest topics first (by bytes written): " + busiest.joined(separator: ", ")
                    + ". List them in topics.json and generate a proposal: `kafka-reassign-partitions.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG --topics-to-move-json-file topics.json --broker-list <ids> --generate`; save the proposed assignment as plan.json (review it: `--generate` may move more than needed).",
                "3. Execute with a throttle of \(Format.value(throttle, .bytesPerSecond)) per broker: 80% of what a broker has spare at peak in the plan — the less of its inbound network (\(Format.value(c.spare.network, .bytesPerSecond)) spare) and its disks' write rate (\(Format.value(c.spare.disk, .bytesPerSecond)) spare after peak produce and replication writes) — so producers keep their SLO: `kafka-reassign-partitions.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG --execute --reassignment-json-file plan.json --throttle \(Int64(throttle))`.",
                "4. At that throttle, moving one broker's worth of data (\(Format.value(c.p.storage.perBrokerBytes, .bytes))) takes about \(Format.duration(c.p.storage.perBrokerBytes / throttle)); a partial move takes its share of that.",
                "5. Watch `UnderReplicatedPartitions` and produce p99; run `--verify` until every move is complete: it also removes the throttle.",
            ])
    }

    /// What replaying a group's records does: the warning its offset reset needs.
    static func replayRisk(
        _ uses: [StreamUse], downstream: [String] = [], reprocessing: [String] = [], streams: Bool = false
    ) -> String {
        let reset =
            streams
            ? " A Kafka Streams application resets with `kafka-streams-application-reset.sh --bootstrap-server $BOOTSTRAP --config-file $COMMAND_CONFIG --application-id <group> --input-topics <topics> --to-datetime <time>` (it also removes its internal topics; delete the instances' local state directories before restarting), not with `kafka-consumer-groups.sh`."
            : ""
        var parts: [String] = []
        if uses.contains(where: { $0.guarantee == .exactlyOnce }) {
            parts.append(
                "**Writes exactly-once:** a replay re-processes and re-produces in new transactions; downstream groups read every output again."
            )
        }
        if uses.contains(where: { !$0.idempotent && $0.guarantee == .atLeastOnce })
            || uses.contains(where: \.sideEffects)
        {
            parts.append(
                "**Side effects repeat:** processing is not idempotent; a replay repeats what it did outside Kafka.")
        }
        if !downstream.isEmpty {
            parts.append(
                "**Replays reach side effects:** its outputs feed \(downstream.joined(separator: ", ")), which acts on them again outside Kafka (sends, pays)."
            )
        }
        let again = reprocessing.filter { !downstream.contains($0) }
        if !again.isEmpty {
            parts.append(
                "**Downstream processes again:** \(again.joined(separator: ", ")) (not idempotent) \(again.count == 1 ? "processes" : "process") the re-produced records a second time."
            )
        }
        if parts.isEmpty {
            parts.append("Idempotent, with no side effects downstream: a replay changes nothing it has done.")
        }
        return parts.joined(separator: " ") + reset
    }

    static func consumerGroupOffsetReset(_ c: Context) -> GeneratedFile {
        c.doc(
            "consumer-group-offset-reset",
            [
                "# Consumer group offset reset — \(c.cluster)", "",
                "When: a group must skip poison records, replay after a bug fix, or start over. Stop every member first: resets need an empty group.",
                "",
                "| Group | Service | Topics | Before you reset |", "|---|---|---|---|",
            ]
                + c.r.consumerGroups.map {
                    "| `\($0.id)` | \($0.service) | \($0.topics.map { "`\($0)`" }.joined(separator: ", ")) | \(replayRisk(c.uses($0), downstream: c.downstream($0), reprocessing: c.reprocessing($0), streams: c.kind($0) == .streams)) |"
                } + [
                    "",
                    "1. Stop the service's consumers; check the group is empty: `kafka-consumer-groups.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG --describe --group <group> --state`.",
                    "2. Dry run: `kafka-consumer-groups.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG --group <group> --topic <topic> --reset-offsets --to-datetime 2026-01-01T00:00:00.000 --dry-run`.",
                    "3. Apply with `--execute` instead of `--dry-run`; restart the consumers.",
                    "",
                    "Skipping forward (`--to-latest`, `--shift-by`) loses the skipped records for this group; moving back replays them, with the effects in the table.",
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
                "1. Find the broker: `kafka-topics.sh --bootstrap-server $BOOTSTRAP --command-config $COMMAND_CONFIG --describe --under-replicated-partitions` (the replica missing from each ISR), and `--unavailable-partitions` for partitions without a leader. Confirm no partition is under min ISR without this broker (`UnderMinIsrPartitions`); otherwise restore a replica first.",
                "2. Format the replacement's storage (`scripts/format-storage.sh` with ROLE=broker and the cluster's CLUSTER_ID), then start it with the same `node.id` and rack (`broker.rack`) so it takes over the old replicas.",
                "3. It re-replicates about \(Format.value(c.p.storage.perBrokerBytes, .bytes)): about \(Format.duration(c.recoverySeconds)) at what it has spare at peak (\(Format.value(min(c.spare.network, c.spare.disk), .bytesPerSecond)), the less of its network and its disks' write rate). Watch `UnderReplicatedPartitions` fall to 0.",
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

    /// Where a dead-letter topic's records go back in: its service's first retry topic.
    static func replayTarget(_ d: DesignedTopic, _ c: Context) -> String? {
        let stem = String(d.name.dropLast(".dlq".count))
        return c.r.topics.first { $0.purpose == .retry && $0.name.hasPrefix(stem + ".retry") }?.name
    }

    static func dlqReplay(_ c: Context) -> GeneratedFile {
        c.doc(
            "dlq-replay",
            [
                "# Dead-letter replay — \(c.cluster)", "",
                c.dlqs.isEmpty
                    ? "This design has no dead-letter topics."
                    : "| Dead-letter topic | Source topic | Replay into | Partitions |",
            ]
                + (c.dlqs.isEmpty
                    ? []
                    : ["|---|---|---|---:|"]
                        + c.dlqs.map { d in
                            let source = c.main.first { $0.entity == d.entity }?.name ?? d.entity
                            let target = replayTarget(d, c).map { "`\($0)`" } ?? "the service itself (no retry topic)"
                            return "| `\(d.name)` | `\(source)` | \(target) | \(d.partitions) |"
                        }) + [
                    "",
                    "1. Fix the cause first (the record's headers carry the exception and the original topic, partition and offset).",
                    "2. Inspect: `kafka-console-consumer.sh --bootstrap-server $BOOTSTRAP --consumer.config $COMMAND_CONFIG --topic <dlq> --from-beginning --property print.headers=true --property print.key=true --max-messages 10`.",
                    "3. Replay into the service's retry topic in the table, never into the source topic: every other group reading the source topic would process the records again. Use a one-off producer that keeps each record's key and headers; only the failing service reads its retry topic.",
                    "4. Watch the service's consumer lag on the retry topic return to zero and `DeadLetterGrowth_*` stay quiet.",
                    "5. Records stay in the dead-letter topic for its `retention.ms`, replayed or not: note the offsets you replayed.",
                ])
    }
}
