// Rules for what runs around the brokers — Connect, MirrorMaker 2, Streams, KRaft controllers,
// Strimzi resources — and for cluster shape (broker count, zones, partitions), which a senior
// reviewer checks beside the per-key rules.

extension LintRules {
    static let platformDurability: [LintRule] = [
        LintRule(
            "KA-DUR-019", .durability, .warning, title: "Connect internal topics with fewer than 3 replicas",
            kinds: [.connect],
            keys: [
                "config.storage.replication.factor", "offset.storage.replication.factor",
                "status.storage.replication.factor",
            ],
            rationale:
                "A distributed Connect cluster keeps connector configs, source offsets and task status in three topics; with fewer than 3 replicas one broker loss can lose every connector's configuration or offsets.",
            fix: "Set config/offset/status.storage.replication.factor to 3 (or -1 for the broker's default of 3).",
            doc: "https://kafka.apache.org/documentation/#connectconfigs_config.storage.replication.factor",
            fires: RuleExample(
                .connect, "group.id=connect\nconfig.storage.topic=c\nconfig.storage.replication.factor=1\n"),
            passes: RuleExample(
                .connect, "group.id=connect\nconfig.storage.topic=c\nconfig.storage.replication.factor=3\n")
        ) { u, _ in
            guard !u.has("offset.storage.file.filename") else { return [] }
            return lowReplication(
                u,
                [
                    "config.storage.replication.factor", "offset.storage.replication.factor",
                    "status.storage.replication.factor",
                ],
                defaults: [:], what: "Connect's internal topics")
        },
        LintRule(
            "KA-DUR-020", .durability, .warning, title: "MirrorMaker 2 topics with fewer than 3 replicas",
            kinds: [.mirrormaker],
            keys: [
                "replication.factor", "checkpoints.topic.replication.factor", "heartbeats.topic.replication.factor",
                "offset-syncs.topic.replication.factor", "offset.storage.replication.factor",
                "config.storage.replication.factor", "status.storage.replication.factor",
            ],
            rationale:
                "MirrorMaker 2 creates the mirrored topics with replication.factor (default 2, not 3) and keeps checkpoints, heartbeats, offset-syncs and its Connect state in internal topics: under 3 replicas a broker loss on the target loses mirrored data or the consumer-offset translation a failover needs.",
            fix:
                "Set replication.factor and every *.replication.factor of MirrorMaker 2 to 3 (or -1 for the broker default).",
            doc: "https://kafka.apache.org/documentation/#georeplication-mirrormaker",
            fires: RuleExample(.mirrormaker, "clusters=A,B\nA.bootstrap.servers=a:9092\nreplication.factor=1\n"),
            passes: RuleExample(.mirrormaker, "clusters=A,B\nA.bootstrap.servers=a:9092\nreplication.factor=3\n")
        ) { u, _ in
            lowReplication(
                u,
                [
                    "replication.factor", "checkpoints.topic.replication.factor", "heartbeats.topic.replication.factor",
                    "offset-syncs.topic.replication.factor", "offset.storage.replication.factor",
                    "config.storage.replication.factor", "status.storage.replication.factor",
                ],
                // Strimzi: the mirrored topics' factor matters only where a source connector runs.
                defaults: !u.isStrimzi || u.traits.contains("sourceConnector") ? ["replication.factor": 2] : [:],
                what: "MirrorMaker 2's topics")
        },
        LintRule(
            "KA-DUR-021", .durability, .warning, title: "Ephemeral broker storage",
            kinds: [.broker, .nodepool], keys: ["spec.storage.type"],
            rationale:
                "Ephemeral (emptyDir) storage dies with the pod: a rolling update or node drain restarts brokers with empty disks, and losing more than RF−1 at once loses data.",
            fix: "Use persistent-claim storage (or jbod of persistent-claim volumes).",
            doc: "https://strimzi.io/docs/operators/latest/configuring.html#type-EphemeralStorage-reference",
            fires: RuleExample(.nodepool, "strimzi.kind=KafkaNodePool\nstrimzi.storage.type=ephemeral\n"),
            passes: RuleExample(.nodepool, "strimzi.kind=KafkaNodePool\nstrimzi.storage.type=persistent-claim\n")
        ) { u, _ in
            u.value("strimzi.storage.type") == "ephemeral"
                ? hit(
                    u, "strimzi.storage.type",
                    "storage is ephemeral: a pod restart starts the broker with an empty disk")
                : []
        },
        LintRule(
            "KA-DUR-022", .durability, .warning, title: "Share-group state topic with fewer than 3 replicas",
            kinds: [.broker], keys: ["share.coordinator.state.topic.replication.factor"],
            rationale:
                "Share groups (KIP-932) keep delivery state in __share_group_state; one copy loses it with a broker.",
            fix: "Set share.coordinator.state.topic.replication.factor=3 (the default) and its min.isr to 2.",
            fires: RuleExample(.broker, "node.id=1\nshare.coordinator.state.topic.replication.factor=1\n"),
            passes: RuleExample(.broker, "node.id=1\n")
        ) { u, c in
            guard !isSingleBrokerSetup(u), let rf = c.int(u, "share.coordinator.state.topic.replication.factor"), rf < 3
            else { return [] }
            return hit(
                u, "share.coordinator.state.topic.replication.factor", "__share_group_state gets \(rf) replica(s)")
        },
        LintRule(
            "KA-DUR-023", .durability, .warning, title: "Streams internal topics with fewer than 3 replicas",
            kinds: [.streams], keys: ["replication.factor"],
            rationale:
                "Kafka Streams creates its changelog and repartition topics with replication.factor; its default -1 takes the broker's (3), but an explicit 1 or 2 loses state-store changelogs with a broker.",
            fix: "Remove replication.factor (default -1: the broker's default) or set it to 3.",
            doc: "https://kafka.apache.org/documentation/#streamsconfigs_replication.factor",
            fires: RuleExample(.streams, "application.id=app\nreplication.factor=1\n"),
            passes: RuleExample(.streams, "application.id=app\n")
        ) { u, _ in
            guard let rf = u.integer("replication.factor"), rf > 0, rf < 3 else {
                return []
            }
            return hit(
                u, "replication.factor",
                "replication.factor=\(rf): changelog and repartition topics get \(rf) replica(s)")
        },
        LintRule(
            "KA-DUR-024", .durability, .warning, title: "Connector drops failed records silently",
            kinds: [.connector], keys: ["errors.tolerance", "errors.deadletterqueue.topic.name"],
            rationale:
                "errors.tolerance=all skips every record that fails conversion or transformation; without a dead-letter queue (sink connectors) or at least error logging the records are gone without a trace.",
            fix:
                "Set errors.deadletterqueue.topic.name (sink connectors) with errors.deadletterqueue.context.headers.enable=true, or errors.log.enable=true.",
            doc: "https://kafka.apache.org/documentation/#sinkconnectconfigs_errors.tolerance",
            fires: RuleExample(.connector, "connector.class=x.Sink\nerrors.tolerance=all\n"),
            passes: RuleExample(
                .connector, "connector.class=x.Sink\nerrors.tolerance=all\nerrors.deadletterqueue.topic.name=dlq\n")
        ) { u, _ in
            guard u.value("errors.tolerance")?.lowercased() == "all", !u.has("errors.deadletterqueue.topic.name")
            else { return [] }
            // Only sink connectors (they read `topics`) can have a dead-letter queue; a source's failures can only be logged.
            let isSink = u.has("topics") || u.has("topics.regex") || (u.value("connector.class") ?? "").contains("Sink")
            let logged = u.value("errors.log.enable")?.lowercased() == "true"
            if isSink {
                return hit(
                    u, "errors.tolerance",
                    "errors.tolerance=all with no dead-letter topic: failed records are skipped\(logged ? " (only logged)" : "")"
                )
            }
            return logged
                ? [] : hit(u, "errors.tolerance", "errors.tolerance=all with no error log: failed records vanish")
        },
    ]

    /// One finding for every listed replication factor below 3 (explicit, or a default below 3).
    static func lowReplication(_ u: ConfigUnit, _ keys: [String], defaults: [String: Int], what: String) -> [RuleHit] {
        var low: [String] = []
        var lowLines: [Int] = []
        for key in keys {
            let candidates = [key] + u.settings.keys.filter { $0.hasSuffix("." + key) && $0.contains("->") }.sorted()
            for k in candidates {
                let v = u.integer(k) ?? (k == key ? defaults[key] : nil)
                if let v, v > 0, v < 3 {
                    low.append(u.has(k) ? "\(k)=\(v)" : "\(k) not set (default \(v))")
                    if u.has(k) { lowLines.append(u.line(k)) }
                }
            }
        }
        guard !low.isEmpty else { return [] }
        let written = keys.filter { u.has($0) }
        let line = lowLines.min() ?? u.anchorLine
        return [
            RuleHit(
                line: line, configs: written,
                message: "\(what) get fewer than 3 replicas: \(low.joined(separator: ", "))")
        ]
    }

    /// Settings a single-broker development cluster uses for the internal topics.
    static let singleBrokerValues: [(String, String)] = [
        ("offsets.topic.replication.factor", "1"), ("transaction.state.log.replication.factor", "1"),
        ("transaction.state.log.min.isr", "1"), ("share.coordinator.state.topic.replication.factor", "1"),
        ("share.coordinator.state.topic.min.isr", "1"),
    ]

    /// Whether a broker is set up for a single broker: two or more internal-topic settings at 1.
    static func isSingleBrokerSetup(_ u: ConfigUnit) -> Bool {
        singleBrokerValues.filter { u.value($0.0)?.trimmingSpaces() == $0.1 }.count >= 2
    }
}

extension LintRules {
    static let strimziDoc = "https://strimzi.io/docs/operators/latest/configuring.html"

    static let platformAvailability: [LintRule] = [
        LintRule(
            "KA-AVL-009", .availability, .error, title: "KRaft quorum of one voter or an even number",
            kinds: [.broker, .nodepool], keys: ["controller.quorum.voters", "controller.quorum.bootstrap.servers"],
            profiles: [.development: nil],
            rationale:
                "The KRaft quorum needs a majority: one voter is a single point of failure for all metadata, and an even number tolerates no more failures than one voter fewer (4 voters survive 1 loss, like 3).",
            fix: "Run 3 controllers (5 for large clusters that must survive two failures).",
            fires: RuleExample(
                .broker, "process.roles=broker\nnode.id=1\ncontroller.quorum.voters=1@c1:9093,2@c2:9093\n"),
            passes: RuleExample(
                .broker, "process.roles=broker\nnode.id=1\ncontroller.quorum.voters=1@c1:9093,2@c2:9093,3@c3:9093\n")
        ) { u, c in
            let (voters, key) = quorumSize(u, c)
            guard let voters, voters == 1 || voters % 2 == 0 else { return [] }
            return [
                RuleHit(
                    line: u.line(key), configs: [key],
                    message: key == "controller.quorum.bootstrap.servers"
                        ? "controller.quorum.bootstrap.servers lists \(voters) controller\(voters == 1 ? "" : "s"): \(voters == 1 ? "one voter, or one way into the quorum: losing it stops metadata changes" : "an even quorum survives no more failures than \(voters - 1)")"
                        : voters == 1
                            ? "the KRaft quorum has 1 voter: losing it stops all metadata changes"
                            : "the KRaft quorum has \(voters) voters: an even quorum survives no more failures than \(voters - 1)"
                )
            ]
        },
        LintRule(
            "KA-AVL-010", .availability, .warning, title: "Brokers and controllers in the same process",
            kinds: [.broker, .nodepool], keys: ["process.roles"], profiles: [.development: nil],
            rationale:
                "Combined mode shares a JVM, disks and failure between data and metadata: a broker overload or restart takes a controller with it. Kafka supports it for development, not production.",
            fix: "Run dedicated controllers (process.roles=controller; Strimzi: a node pool with roles [controller]).",
            fires: RuleExample(.broker, "process.roles=broker,controller\nnode.id=1\n"),
            passes: RuleExample(.broker, "process.roles=broker\nnode.id=1\n")
        ) { u, _ in
            let key = u.has("strimzi.roles") ? "strimzi.roles" : "process.roles"
            let roles = Set((u.value(key) ?? "").split(separator: ",").map { $0.trimmingSpaces() })
            return roles.isSuperset(of: ["broker", "controller"])
                ? hit(u, key, "\(u.settings[key]?.key ?? key) runs broker and controller in one process") : []
        },
        LintRule(
            "KA-AVL-011", .availability, .warning, title: "No broker.rack in a multi-zone cluster",
            kinds: [.broker], keys: ["broker.rack"],
            rationale:
                "Without broker.rack (Strimzi: spec.kafka.rack) replica placement ignores zones: all replicas of a partition can land in one zone, and a zone outage loses it.",
            fix:
                "Set broker.rack to the broker's zone (Strimzi: spec.kafka.rack.topologyKey: topology.kubernetes.io/zone).",
            fires: RuleExample(.broker, "node.id=1\nprocess.roles=broker\n"),
            passes: RuleExample(.broker, "node.id=1\nprocess.roles=broker\nbroker.rack=us-east-1a\n"),
            exampleContext: ExampleContext(zones: 3)
        ) { u, c in
            guard let zones = c.zones, zones > 1, !u.has("broker.rack"), !u.isControllerOnly else { return [] }
            return [
                RuleHit(
                    line: u.isStrimzi ? u.anchorLine : 0, configs: ["broker.rack"],
                    message:
                        "\(u.isStrimzi ? "spec.kafka.rack" : "broker.rack") not set in a cluster across \(zones) zones: replicas may share a zone"
                )
            ]
        },
        LintRule(
            "KA-AVL-012", .availability, .warning, title: "A single broker",
            kinds: [.broker, .nodepool], keys: ["spec.replicas"], profiles: [.development: nil],
            rationale:
                "One broker (a Strimzi node pool or Kafka of one replica) has no failover: every restart is an outage and no topic can have more than one replica.",
            fix: "Run at least 3 brokers.",
            doc: "\(strimziDoc)#type-KafkaNodePoolSpec-reference",
            fires: RuleExample(.nodepool, "strimzi.kind=KafkaNodePool\nstrimzi.roles=broker\nstrimzi.replicas=1\n"),
            passes: RuleExample(.nodepool, "strimzi.kind=KafkaNodePool\nstrimzi.roles=broker\nstrimzi.replicas=3\n")
        ) { u, _ in
            guard u.value("strimzi.replicas")?.trimmingSpaces() == "1",
                (u.value("strimzi.roles") ?? "broker").contains("broker")
            else { return [] }
            return hit(
                u, "strimzi.replicas", "\(u.settings["strimzi.replicas"]?.key ?? "replicas"): 1 — a single broker")
        },
        LintRule(
            "KA-AVL-013", .availability, .error, title: "Replication factor above the broker count",
            kinds: [.broker, .topic],
            keys: ["replication.factor", "default.replication.factor", "offsets.topic.replication.factor"],
            rationale:
                "A topic cannot have more replicas than there are brokers: its creation fails (INVALID_REPLICATION_FACTOR), and for __consumer_offsets or __transaction_state no group or transaction can start.",
            fix: "Lower the replication factor to the broker count, or add brokers.",
            fires: RuleExample(.topic, "replication.factor=3\n"), passes: RuleExample(.topic, "replication.factor=2\n"),
            exampleContext: ExampleContext(brokers: 2)
        ) { u, c in
            guard let brokers = c.brokerCount(u), brokers > 0, !u.isControllerOnly else { return [] }
            let keys =
                u.kind == .topic
                ? ["replication.factor"]
                : [
                    "default.replication.factor", "offsets.topic.replication.factor",
                    "transaction.state.log.replication.factor", "share.coordinator.state.topic.replication.factor",
                ]
            let over = keys.compactMap { k -> (String, Int64)? in
                guard let rf = (u.kind == .topic ? u.replicationFactor.map(Int64.init) : nil) ?? c.int(u, k),
                    rf > brokers
                else { return nil }
                return (k, rf)
            }
            guard let first = over.first else { return [] }
            return [
                RuleHit(
                    line: u.has(first.0) ? u.line(first.0) : u.anchorLine, configs: over.map(\.0),
                    message:
                        "\(over.map { u.has($0.0) ? "\($0.0)=\($0.1)" : "\($0.0) not set (default \($0.1))" }.joined(separator: ", ")) with \(brokers) broker\(brokers == 1 ? "" : "s")"
                )
            ]
        },
        LintRule(
            "KA-AVL-014", .availability, .warning, title: "No initial rebalance delay",
            kinds: [.broker], keys: ["group.initial.rebalance.delay.ms"], profiles: [.development: nil],
            rationale:
                "group.initial.rebalance.delay.ms=0 (Kafka's sample config, meant for development) rebalances a new group once per joining member: a 20-instance deployment starts with 20 rebalances.",
            fix: "Remove it (default 3000 ms) outside development.",
            fires: RuleExample(.broker, "node.id=1\ngroup.initial.rebalance.delay.ms=0\n"),
            passes: RuleExample(.broker, "node.id=1\n")
        ) { u, _ in
            u.value("group.initial.rebalance.delay.ms")?.trimmingSpaces() == "0"
                ? hit(
                    u, "group.initial.rebalance.delay.ms",
                    "group.initial.rebalance.delay.ms=0: a new group rebalances once per joining member")
                : []
        },
        LintRule(
            "KA-AVL-015", .availability, .warning, title: "Stateful Streams application without standby replicas",
            kinds: [.streams], keys: ["num.standby.replicas", "state.dir"],
            rationale:
                "With num.standby.replicas=0 (the default) a failed instance's state stores are rebuilt from their changelogs before its tasks resume: minutes to hours of stalled processing for large stores.",
            fix: "Set num.standby.replicas=1 (2 for strict recovery objectives).",
            doc: "https://kafka.apache.org/documentation/#streamsconfigs_num.standby.replicas",
            fires: RuleExample(.streams, "application.id=app\nstate.dir=/var/lib/kafka-streams\n"),
            passes: RuleExample(
                .streams, "application.id=app\nstate.dir=/var/lib/kafka-streams\nnum.standby.replicas=1\n")
        ) { u, _ in
            guard u.has("state.dir") || u.traits.contains("state-stores"),
                (u.integer("num.standby.replicas") ?? 0) == 0
            else { return [] }
            return hit(
                u, u.has("num.standby.replicas") ? "num.standby.replicas" : "state.dir",
                u.has("num.standby.replicas")
                    ? "num.standby.replicas=0 with state stores: a failover rebuilds them from the changelog"
                    : "num.standby.replicas not set (default 0) with state stores: a failover rebuilds them from the changelog"
            )
        },
        LintRule(
            "KA-AVL-016", .availability, .warning, title: "Single-broker settings",
            kinds: [.broker], keys: singleBrokerValues.map(\.0), profiles: [.development: nil],
            rationale:
                "Replication factor 1 and min ISR 1 for the internal topics (Kafka's sample configs) suit a laptop: on a real cluster one broker loss loses every consumer group's offsets and every open transaction.",
            fix:
                "Outside development set offsets.topic.replication.factor, transaction.state.log.replication.factor and share.coordinator.state.topic.replication.factor to 3 and their min ISR to 2 (the defaults), default.replication.factor=3.",
            fires: RuleExample(
                .broker, "node.id=1\noffsets.topic.replication.factor=1\ntransaction.state.log.replication.factor=1\n"),
            passes: RuleExample(.broker, "node.id=1\noffsets.topic.replication.factor=3\n")
        ) { u, _ in
            let found = singleBrokerValues.filter { u.value($0.0)?.trimmingSpaces() == $0.1 }.map(\.0)
            guard found.count >= 2 else { return [] }
            return [
                RuleHit(
                    line: found.map { u.line($0) }.min() ?? u.anchorLine, configs: found,
                    message: "single-broker settings: \(found.map { "\($0)=1" }.joined(separator: ", "))")
            ]
        },
        LintRule(
            "KA-AVL-017", .availability, .warning, title: "One Connect, MirrorMaker 2 or bridge replica",
            kinds: [.connect, .mirrormaker, .bridge], keys: ["spec.replicas"], profiles: [.development: nil],
            rationale:
                "A single worker has no failover: its connectors or mirrors stop on every restart or node drain.",
            fix: "Run at least 2 replicas.",
            doc: "\(strimziDoc)#type-KafkaConnectSpec-reference",
            fires: RuleExample(.connect, "strimzi.kind=KafkaConnect\nstrimzi.replicas=1\n"),
            passes: RuleExample(.connect, "strimzi.kind=KafkaConnect\nstrimzi.replicas=3\n")
        ) { u, _ in
            u.value("strimzi.replicas")?.trimmingSpaces() == "1"
                ? hit(u, "strimzi.replicas", "spec.replicas: 1 — no failover for its tasks") : []
        },
    ]

    /// Voters of the unit's KRaft quorum, and the key to point at: controller.quorum.voters,
    /// controller.quorum.bootstrap.servers, or the Strimzi cluster's controller node pools.
    static func quorumSize(_ u: ConfigUnit, _ c: LintContext) -> (Int?, String) {
        // A broker's bootstrap list need not name every voter: it counts only on a controller.
        let isController = (u.value("process.roles") ?? "").contains("controller")
        for key in ["controller.quorum.voters", "controller.quorum.bootstrap.servers"]
        where key == "controller.quorum.voters" || isController {
            if let v = u.value(key), !v.trimmingSpaces().isEmpty {
                return (v.split(separator: ",").filter { !$0.trimmingSpaces().isEmpty }.count, key)
            }
        }
        // Strimzi: the cluster's controller node pools, reported once, on the first pool's replicas.
        guard u.kind == .nodepool, let cluster = u.cluster else { return (nil, "") }
        guard let pools = c.index.controllerPools[cluster] else { return (nil, "") }
        let first = c.units[pools.first]
        guard first.file == u.file, first.name == u.name, first.anchorLine == u.anchorLine else { return (nil, "") }
        return (pools.voters, "strimzi.replicas")
    }
}

extension LintRules {
    static let platformPerformance: [LintRule] = [
        LintRule(
            "KA-PERF-017", .performance, .warning, title: "Rack-aware fetching half configured",
            kinds: [.broker, .consumer], keys: ["replica.selector.class", "client.rack"],
            rationale:
                "Fetching from the closest replica (KIP-392) needs both sides: brokers with replica.selector.class=…RackAwareReplicaSelector and consumers with client.rack. Either alone changes nothing, and cross-zone traffic keeps costing.",
            fix:
                "Set client.rack to the consumer's zone and replica.selector.class=org.apache.kafka.common.replica.RackAwareReplicaSelector on the brokers.",
            fires: RuleExample([
                (.broker, "node.id=1\nbroker.rack=a\n"), (.consumer, "group.id=g\nclient.rack=a\n"),
            ]),
            passes: RuleExample([
                (
                    .broker,
                    "node.id=1\nbroker.rack=a\nreplica.selector.class=org.apache.kafka.common.replica.RackAwareReplicaSelector\n"
                ),
                (.consumer, "group.id=g\nclient.rack=a\n"),
            ])
        ) { u, c in
            if u.kind == .broker {
                guard u.value("replica.selector.class")?.hasSuffix("RackAwareReplicaSelector") == true,
                    c.index.byKind[.consumer]?.isEmpty == false, !c.index.anyConsumerSetsRack
                else { return [] }
                return hit(
                    u, "replica.selector.class",
                    "brokers select the closest replica, but no consumer in this review sets client.rack")
            }
            // Which cluster a consumer uses is not known: only when no broker in the review selects replicas.
            guard u.has("client.rack"), let broker = c.index.dataBrokers.first.map({ c.units[$0] }),
                !c.index.anyBrokerSelectsReplicas
            else { return [] }
            return hit(
                u, "client.rack",
                "client.rack is set, but \(broker.file) has no replica.selector.class: consumers still fetch from leaders"
            )
        },
        LintRule(
            "KA-PERF-018", .performance, .warning, title: "Single-partition topic",
            kinds: [.topic], keys: ["partitions"],
            rationale:
                "One partition means one consumer per group and one broker's disk and network for the whole topic: no parallelism, no scalability. Only topics that need a total order (or dead-letter topics) should have one.",
            fix:
                "Give the topic enough partitions for its peak consumers (kafka-architect partitions); declare global ordering in the architecture file if a total order is really needed.",
            doc: "https://kafka.apache.org/documentation/#topicconfigs",
            fires: RuleExample(.topic, "strimzi.partitions=1\n"), passes: RuleExample(.topic, "strimzi.partitions=6\n")
        ) { u, _ in
            let partitions = u.partitionCount
            guard partitions == 1, u.traits.isDisjoint(with: ["global-ordering", "dead-letter", "internal"]),
                !isDeadLetterName(u.name ?? "")
            else { return [] }
            return [
                RuleHit(
                    line: u.has("strimzi.partitions") ? u.line("strimzi.partitions") : u.anchorLine,
                    configs: ["partitions"], message: "1 partition: one consumer per group, one broker for all traffic")
            ]
        },
        LintRule(
            "KA-PERF-019", .performance, .info, title: "Partitions not a multiple of the broker count",
            kinds: [.topic], keys: ["partitions"],
            rationale:
                "Leaders and replicas then spread unevenly: some brokers carry one more partition's traffic than others.",
            fix: "Use a partition count that is a multiple of the broker count (or of its divisors).",
            doc: "https://kafka.apache.org/documentation/#topicconfigs",
            fires: RuleExample(.topic, "strimzi.partitions=10\n"),
            passes: RuleExample(.topic, "strimzi.partitions=12\n"),
            exampleContext: ExampleContext(brokers: 3)
        ) { u, c in
            let partitions = u.partitionCount
            // Fewer partitions than brokers is a sizing choice; many more spread evenly enough.
            guard let partitions, let brokers = c.brokerCount(u), brokers > 1, partitions > brokers,
                partitions % brokers != 0, partitions < brokers * 10, !u.traits.contains("internal")
            else { return [] }
            return [
                RuleHit(
                    line: u.has("strimzi.partitions") ? u.line("strimzi.partitions") : u.anchorLine,
                    configs: ["partitions"], message: "\(partitions) partitions over \(brokers) brokers spread unevenly"
                )
            ]
        },
        LintRule(
            "KA-PERF-020", .performance, .info, title: "Eager rebalancing assignor",
            kinds: [.consumer], keys: ["partition.assignment.strategy"], profiles: [.throughput: nil],
            rationale:
                "With the range or round-robin assignor (the Java default list starts with RangeAssignor) every rebalance stops all members and revokes all partitions; the cooperative-sticky assignor moves only the partitions that change owner.",
            fix:
                "Set partition.assignment.strategy=org.apache.kafka.clients.consumer.CooperativeStickyAssignor (librdkafka: cooperative-sticky), or group.protocol=consumer on Kafka 4.0+.",
            fires: RuleExample(.consumer, "group.id=g\n"),
            passes: RuleExample(
                .consumer,
                "group.id=g\npartition.assignment.strategy=org.apache.kafka.clients.consumer.CooperativeStickyAssignor\n"
            )
        ) { u, _ in
            guard u.value("group.protocol")?.lowercased() != "consumer" else { return [] }
            let strategy = u.value("partition.assignment.strategy")
            let first = (strategy ?? "").split(separator: ",").first.map { $0.trimmingSpaces().lowercased() } ?? ""
            guard !(first.hasSuffix("cooperativestickyassignor") || first == "cooperative-sticky") else { return [] }
            return [
                RuleHit(
                    line: u.has("partition.assignment.strategy") ? u.line("partition.assignment.strategy") : 0,
                    configs: ["partition.assignment.strategy"],
                    message: strategy.map {
                        "partition.assignment.strategy=\($0): every rebalance stops the whole group"
                    }
                        ?? "partition.assignment.strategy not set (default \(u.dialect == .librdkafka ? "range,roundrobin" : "RangeAssignor, CooperativeStickyAssignor"): eager rebalances)"
                )
            ]
        },
    ]

    /// Dead-letter topic names: *.dlq, *-dlt, *dead-letter*, …
    static func isDeadLetterName(_ name: String) -> Bool {
        let n = name.lowercased()
        let markers = ["dlq", "dlt", "dead-letter", "deadletter", "dead_letter"]
        return markers.contains { (m: String) -> Bool in
            n.hasSuffix(m) || n.hasPrefix(m + ".") || n.contains("." + m + ".") || n.contains("-" + m)
        }
    }
}

extension LintRules {
    static let platformOperability: [LintRule] = [
        LintRule(
            "KA-OPS-008", .operability, .warning, title: "Data under /tmp",
            kinds: [.broker, .streams, .connect],
            keys: ["log.dirs", "metadata.log.dir", "state.dir", "offset.storage.file.filename"],
            profiles: [.development: nil],
            rationale:
                "/tmp is cleaned on reboot (and by tmp reapers): a broker loses its logs and its identity, a Streams app its state stores, Connect standalone its source offsets. Kafka's log.dirs defaults to /tmp/kafka-logs.",
            fix: "Point log.dirs, metadata.log.dir, state.dir and offset.storage.file.filename at a persistent volume.",
            fires: RuleExample(.broker, "node.id=1\nlog.dirs=/tmp/kraft-combined-logs\n"),
            passes: RuleExample(.broker, "node.id=1\nlog.dirs=/var/lib/kafka/data\n")
        ) { u, _ in
            guard !u.isStrimzi else { return [] }
            var found: [String] = []
            for key in ["log.dirs", "log.dir", "metadata.log.dir", "state.dir", "offset.storage.file.filename"] {
                if let v = u.value(key),
                    v.split(separator: ",").contains(where: { $0.trimmingSpaces().hasPrefix("/tmp") })
                {
                    found.append("\(key)=\(v)")
                }
            }
            if u.kind == .broker, !u.has("log.dirs"), !u.has("log.dir") {
                found.append("log.dirs not set (default /tmp/kafka-logs)")
            }
            guard !found.isEmpty else { return [] }
            let key = ["log.dirs", "log.dir", "metadata.log.dir", "state.dir", "offset.storage.file.filename"].first {
                u.has($0) && (u.value($0) ?? "").contains("/tmp")
            }
            return [
                RuleHit(
                    line: key.map { u.line($0) } ?? 0, configs: key.map { [$0] } ?? ["log.dirs"],
                    message: "data under /tmp, deleted on reboot: \(found.joined(separator: ", "))")
            ]
        },
        LintRule(
            "KA-OPS-009", .operability, .warning, title: "Volumes deleted with the cluster",
            kinds: [.broker, .nodepool], keys: ["spec.storage.deleteClaim"],
            rationale:
                "deleteClaim: true deletes the brokers' persistent volumes when the Kafka or node pool resource is deleted — a mistaken kubectl delete erases every topic.",
            fix: "Set deleteClaim: false (the default) and delete volumes deliberately.",
            doc: "https://strimzi.io/docs/operators/latest/configuring.html#type-PersistentClaimStorage-reference",
            fires: RuleExample(.nodepool, "strimzi.kind=KafkaNodePool\nstrimzi.storage.deleteClaim=true\n"),
            passes: RuleExample(.nodepool, "strimzi.kind=KafkaNodePool\n")
        ) { u, _ in
            u.value("strimzi.storage.deleteClaim") == "true"
                ? hit(u, "strimzi.storage.deleteClaim", "deleteClaim: true — deleting the resource deletes the data")
                : []
        },
        LintRule(
            "KA-OPS-010", .operability, .error, title: "Strimzi resource without its cluster label",
            kinds: [.topic, .user, .connector], keys: ["metadata.labels"],
            rationale:
                "The Topic, User and Connect operators only act on resources labelled strimzi.io/cluster: without it the resource is silently ignored.",
            fix: "Add metadata.labels.strimzi.io/cluster: <the Kafka (or KafkaConnect) resource's name>.",
            doc: "https://strimzi.io/docs/operators/latest/deploying.html#con-securing-kafka-topics-str",
            fires: RuleExample(.topic, "strimzi.kind=KafkaTopic\n"),
            passes: RuleExample(.topic, "strimzi.kind=KafkaTopic\nstrimzi.cluster=my-cluster\n")
        ) { u, _ in
            guard let kind = u.strimziKind, ["KafkaTopic", "KafkaUser", "KafkaConnector"].contains(kind),
                !u.has("strimzi.cluster")
            else { return [] }
            return hit(u, "strimzi.kind", "\(kind) has no strimzi.io/cluster label: the operator ignores it")
        },
        LintRule(
            "KA-OPS-011", .operability, .warning, title: "Topic name breaks the naming convention",
            kinds: [.topic], keys: ["name"],
            rationale:
                "A naming convention (domain, entity, kind, version) is what lets ACL prefixes, quotas and ownership follow topics; one off-convention name escapes them.",
            fix: "Rename the topic to match the convention (or fix the convention given with --naming).",
            doc: "https://kafka.apache.org/documentation/#topicconfigs",
            fires: RuleExample(.topic, "cleanup.policy=delete\n", name: "OrdersTopic"),
            passes: RuleExample(.topic, "cleanup.policy=delete\n", name: "sales.orders"),
            exampleContext: ExampleContext(naming: "[a-z]+\\.[a-z]+")
        ) { u, c in
            let pattern = u.traits.first { $0.hasPrefix("naming=") }.map { String($0.dropFirst(7)) } ?? c.naming
            guard let pattern, let regex = try? Regex(pattern) else { return [] }
            let name =
                u.name ?? u.file.split(separator: "/").last.map { String($0.split(separator: ".").first ?? "") } ?? ""
            let matched: Bool = ((try? regex.wholeMatch(in: name)) ?? nil) != nil
            // A name a script builds from a shell variable is not known here.
            guard !matched, !name.contains("$") else { return [] }
            return [
                RuleHit(
                    line: u.settings["strimzi.name"]?.line ?? u.anchorLine, configs: ["name"],
                    message: "topic name '\(name)' does not match the naming convention \(pattern)")
            ]
        },
        LintRule(
            "KA-OPS-012", .operability, .warning, title: "JVM heap against the container's memory",
            kinds: [.broker, .nodepool, .connect, .mirrormaker, .bridge], keys: ["jvmOptions", "resources"],
            rationale:
                "A broker's heap beyond about half the container memory starves the page cache Kafka reads and writes through; a heap at or above the limit gets the pod OOM-killed under load.",
            fix:
                "Keep -Xmx at most half the memory limit for brokers (typically 4–6 GiB), and well below it for Connect.",
            doc: "\(strimziDoc)#con-common-configuration-jvm-reference",
            fires: RuleExample(.nodepool, "strimzi.kind=KafkaNodePool\nstrimzi.jvm.xmx=6g\nstrimzi.memory=8Gi\n"),
            passes: RuleExample(.nodepool, "strimzi.kind=KafkaNodePool\nstrimzi.jvm.xmx=3g\nstrimzi.memory=8Gi\n")
        ) { u, _ in
            guard let xmxText = u.value("strimzi.jvm.xmx"), let xmx = MemorySize.jvm(xmxText),
                let memoryText = u.value("strimzi.memory"), let memory = MemorySize.kubernetes(memoryText), memory > 0
            else { return [] }
            let share = xmx / memory
            let isBroker = u.kind == .broker || u.kind == .nodepool
            guard share >= 1 || (isBroker && share > 0.5) || share > 0.8 else { return [] }
            let pct = Int((share * 100).rounded())
            return hit(
                u, "strimzi.jvm.xmx",
                share >= 1
                    ? "-Xmx \(xmxText) is \(pct)% of the \(memoryText) memory: the pod is OOM-killed under load"
                    : "-Xmx \(xmxText) is \(pct)% of the \(memoryText) memory: \(isBroker ? "too little is left for the page cache" : "too little is left for off-heap memory")",
                also: ["strimzi.memory"])
        },
    ]

    /// What Strimzi sets itself and ignores in a resource's `config` (its FORBIDDEN_PREFIXES, matched
    /// as prefixes) and the keys it allows anyway (FORBIDDEN_PREFIX_EXCEPTIONS), per kind, from the
    /// Strimzi API (KafkaClusterSpec, KafkaConnectSpec).
    static let strimziManaged: [String: (prefixes: [String], exceptions: Set<String>)] = [
        "Kafka": (
            [
                "listeners", "advertised.", "broker.", "listener.", "host.name", "port", "inter.broker.listener.name",
                "sasl.", "ssl.", "security.", "password.", "log.dir", "zookeeper.connect",
                "zookeeper.set.acl", "zookeeper.ssl", "zookeeper.clientCnxnSocket", "authorizer.", "super.user",
                "cruise.control.metrics.topic", "cruise.control.metrics.reporter.bootstrap.servers", "node.id",
                "process.roles", "controller.", "metadata.log.dir", "zookeeper.metadata.migration.enable",
            ],
            [
                "zookeeper.connection.timeout.ms", "sasl.server.max.receive.size", "ssl.cipher.suites", "ssl.protocol",
                "ssl.enabled.protocols", "ssl.secure.random.implementation",
                "cruise.control.metrics.topic.num.partitions",
                "cruise.control.metrics.topic.replication.factor", "cruise.control.metrics.topic.retention.ms",
                "cruise.control.metrics.topic.auto.create.retries",
                "cruise.control.metrics.topic.auto.create.timeout.ms",
                "cruise.control.metrics.topic.min.insync.replicas", "controller.quorum.election.backoff.max.ms",
                "controller.quorum.election.timeout.ms", "controller.quorum.fetch.timeout.ms",
            ]
        ),
        "KafkaConnect": (
            [
                "ssl.", "sasl.", "security.", "listeners", "plugin.path", "rest.", "bootstrap.servers",
                "consumer.interceptor.classes", "producer.interceptor.classes",
            ],
            ["ssl.endpoint.identification.algorithm"]
        ),
    ]

    static let platformConsistency: [LintRule] = [
        LintRule(
            "KA-OPS-013", .operability, .error, title: "Listener settings the broker refuses",
            kinds: [.broker], keys: ["inter.broker.listener.name", "security.inter.broker.protocol", "listeners"],
            rationale:
                "Kafka refuses to start when inter.broker.listener.name and security.inter.broker.protocol are both set, when the inter-broker listener is not one of the listeners, or when a listener name has no protocol in listener.security.protocol.map.",
            fix:
                "Keep inter.broker.listener.name only, naming one of the listeners, and map every listener name to a protocol.",
            fires: RuleExample(
                .broker,
                "node.id=1\nprocess.roles=broker\nlisteners=INTERNAL://:9092\nlistener.security.protocol.map=INTERNAL:SASL_SSL\ninter.broker.listener.name=INTERNAL\nsecurity.inter.broker.protocol=SASL_SSL\n"
            ),
            passes: RuleExample(
                .broker,
                "node.id=1\nprocess.roles=broker\nlisteners=INTERNAL://:9092\nlistener.security.protocol.map=INTERNAL:SASL_SSL\ninter.broker.listener.name=INTERNAL\n"
            )
        ) { u, _ in
            guard !u.isStrimzi, !u.isControllerOnly else { return [] }
            var problems: [String] = []
            if u.has("inter.broker.listener.name") && u.has("security.inter.broker.protocol") {
                problems.append("inter.broker.listener.name and security.inter.broker.protocol are both set")
            }
            let listeners = Listeners.resolve(u)
            if u.has("listeners"), let name = u.value("inter.broker.listener.name")?.trimmingSpaces().uppercased(),
                !listeners.contains(where: { $0.name == name })
            {
                problems.append("inter.broker.listener.name=\(name) is not one of the listeners")
            }
            let unmapped = listeners.filter { $0.protocolName == nil }.map(\.name)
            if !unmapped.isEmpty {
                problems.append("no protocol for \(unmapped.joined(separator: ", ")) in listener.security.protocol.map")
            }
            guard !problems.isEmpty else { return [] }
            let key = u.has("inter.broker.listener.name") ? "inter.broker.listener.name" : "listeners"
            return hit(u, key, "the broker will not start: \(problems.joined(separator: "; "))")
        },
        LintRule(
            "KA-OPS-014", .operability, .warning, title: "Option Strimzi manages in a resource's config",
            kinds: [.broker, .connect, .mirrormaker], keys: ["spec.kafka.config", "spec.config"],
            rationale:
                "Strimzi sets listeners, security, authorization, super users, node ids, roles and log directories of a Kafka (bootstrap servers, security, REST and plugin path of Connect and MirrorMaker 2) itself and ignores them in config: the setting silently does nothing.",
            fix:
                "Use the Strimzi fields instead: spec.kafka.listeners, spec.kafka.authorization (superUsers), storage and node pools; spec.bootstrapServers, spec.tls and spec.authentication for Connect.",
            doc: "\(strimziDoc)#type-KafkaClusterSpec-reference",
            fires: RuleExample(.broker, "strimzi.kind=Kafka\nsuper.users=User:admin\n"),
            passes: RuleExample(
                .broker, "strimzi.kind=Kafka\nmin.insync.replicas=2\nssl.secure.random.implementation=SHA1PRNG\n")
        ) { u, _ in
            guard let kind = u.strimziKind,
                let managed = strimziManaged[kind == "KafkaMirrorMaker2" ? "KafkaConnect" : kind]
            else { return [] }
            let field = kind == "Kafka" ? "spec.kafka.config" : "spec.config"
            return u.settings.sorted { ($0.value.line, $0.key) < ($1.value.line, $1.key) }.compactMap { name, s in
                // Only keys written in config (Strimzi fields read as settings carry their field path).
                guard s.key == name, !name.hasPrefix("strimzi."), !managed.exceptions.contains(name),
                    managed.prefixes.contains(where: { name.hasPrefix($0) })
                else { return nil }
                return RuleHit(
                    line: s.line, configs: [name], message: "\(name) in \(field) is managed by Strimzi and ignored")
            }
        },
        LintRule(
            "KA-UPG-008", .upgrade, .error, title: "Exactly-once mode removed in Kafka 4",
            kinds: [.streams], keys: ["processing.guarantee"],
            rationale:
                "Kafka 4.0 removed processing.guarantee=exactly_once and exactly_once_beta: a 4.x Streams application refuses to start with them.",
            fix: "Use processing.guarantee=exactly_once_v2 (brokers 2.5+).",
            fires: RuleExample(
                .streams, "application.id=app\nprocessing.guarantee=exactly_once\n", version: KafkaVersion(4, 0)),
            passes: RuleExample(
                .streams, "application.id=app\nprocessing.guarantee=exactly_once_v2\n", version: KafkaVersion(4, 0))
        ) { u, c in
            guard c.version >= KafkaVersion(4, 0), let g = u.value("processing.guarantee"),
                g == "exactly_once" || g == "exactly_once_beta"
            else { return [] }
            return hit(u, "processing.guarantee", "processing.guarantee=\(g) does not exist in Kafka \(c.version)")
        },
    ]

    static let platformSecurity: [LintRule] = [
        LintRule(
            "KA-SEC-013", .security, .warning, title: "TLS listener without authentication",
            kinds: [.broker], keys: ["spec.kafka.listeners.authentication"],
            rationale:
                "A TLS listener without authentication (an SSL listener whose ssl.client.auth is not required) encrypts traffic but lets any client that reaches it connect as ANONYMOUS.",
            fix:
                "Add authentication to the listener (Strimzi: type tls, scram-sha-512 or oauth; properties: SASL_SSL, or listener.name.<l>.ssl.client.auth=required).",
            doc: "\(strimziDoc)#type-GenericKafkaListener-reference",
            fires: RuleExample(
                .broker, "strimzi.kind=Kafka\nstrimzi.listener.tls=type=internal;tls=true;authentication=none\n"),
            passes: RuleExample(
                .broker, "strimzi.kind=Kafka\nstrimzi.listener.tls=type=internal;tls=true;authentication=tls\n")
        ) { u, _ in
            if !u.isStrimzi {
                // Controller listeners are KA-SEC-015's.
                let open = Listeners.resolve(u).filter {
                    $0.protocolName == "SSL" && !$0.authenticates && !$0.isLoopback && !$0.isController
                }
                guard !open.isEmpty else { return [] }
                return hit(
                    u, "listeners",
                    "TLS listener\(open.count > 1 ? "s" : "") without client authentication: \(open.map { "\($0.text) (ssl.client.auth=\($0.clientAuth))" }.joined(separator: ", "))"
                )
            }
            return u.settings.filter { $0.key.hasPrefix("strimzi.listener.") }.sorted { $0.value.line < $1.value.line }
                .compactMap { key, s in
                    s.value.contains("tls=true") && s.value.hasSuffix("authentication=none")
                        ? RuleHit(
                            line: s.line, configs: [s.key],
                            message:
                                "listener '\(key.dropFirst("strimzi.listener.".count))' has TLS but no authentication")
                        : nil
                }
        },
        LintRule(
            "KA-SEC-014", .security, .warning, title: "Strimzi cluster without authorization",
            kinds: [.broker], keys: ["spec.kafka.authorization"],
            rationale:
                "Without spec.kafka.authorization every client that can connect may read, write and delete every topic; KafkaUser ACLs are not enforced.",
            fix:
                "Set spec.kafka.authorization.type: simple (or opa, keycloak, custom) and grant ACLs through KafkaUser resources.",
            doc: "\(strimziDoc)#type-KafkaAuthorizationSimple-reference",
            fires: RuleExample(.broker, "strimzi.kind=Kafka\n"),
            passes: RuleExample(.broker, "strimzi.kind=Kafka\nauthorizer.class.name=strimzi:simple\n")
        ) { u, _ in
            u.strimziKind == "Kafka" && !u.has("authorizer.class.name")
                ? [
                    RuleHit(
                        line: u.line("strimzi.kind"), configs: ["spec.kafka.authorization"],
                        message: "no spec.kafka.authorization: every client may do everything")
                ]
                : []
        },
        LintRule(
            "KA-SEC-015", .security, .warning, title: "Controller listener without authentication",
            kinds: [.broker], keys: ["controller.listener.names", "listener.security.protocol.map"],
            rationale:
                "Whoever can connect to an unauthenticated KRaft controller listener can register as a broker or send metadata requests; controllers should require SASL or TLS client certificates.",
            fix:
                "Map the controller listener to SASL_SSL (sasl.mechanism.controller.protocol) or SSL with listener.name.<controller>.ssl.client.auth=required.",
            fires: RuleExample(
                .broker,
                "process.roles=controller\nnode.id=1\nlisteners=CONTROLLER://:9093\ncontroller.listener.names=CONTROLLER\nlistener.security.protocol.map=CONTROLLER:PLAINTEXT\n"
            ),
            passes: RuleExample(
                .broker,
                "process.roles=controller\nnode.id=1\nlisteners=CONTROLLER://:9093\ncontroller.listener.names=CONTROLLER\nlistener.security.protocol.map=CONTROLLER:SSL\nlistener.name.controller.ssl.client.auth=required\n"
            )
        ) { u, _ in
            let open = Listeners.resolve(u).filter { $0.isController && !$0.authenticates && !$0.isLoopback }
            guard let l = open.first else { return [] }
            return hit(
                u, "controller.listener.names",
                "controller listener \(l.text) is \(l.protocolName ?? "unmapped")\(l.protocolName == "SSL" ? " without client authentication" : ""): anyone who reaches it talks to the quorum",
                also: ["listener.security.protocol.map"])
        },
        LintRule(
            "KA-SEC-016", .security, .warning, title: "Strimzi client without TLS or authentication",
            kinds: [.connect, .mirrormaker, .bridge], keys: ["spec.tls", "spec.authentication"],
            rationale:
                "Connect, MirrorMaker 2 and the bridge carry every record they move; without spec.tls the traffic is clear text, and without spec.authentication they connect as ANONYMOUS (or fail once authorization is on).",
            fix:
                "Set spec.tls.trustedCertificates and spec.authentication (tls or scram-sha-512) towards each Kafka cluster.",
            doc: "\(strimziDoc)#type-KafkaConnectSpec-reference",
            fires: RuleExample(.connect, "strimzi.kind=KafkaConnect\nstrimzi.tls=false\nstrimzi.authentication=\n"),
            passes: RuleExample(.connect, "strimzi.kind=KafkaConnect\nstrimzi.tls=true\nstrimzi.authentication=tls\n")
        ) { u, _ in
            var missing: [String] = []
            var line = Int.max
            for (key, s) in u.settings.sorted(by: { $0.key < $1.key }) where key.hasPrefix("strimzi.") {
                let scope = key.hasPrefix("strimzi.cluster.") ? " of cluster \(key.split(separator: ".")[2])" : ""
                if key.hasSuffix(".tls") && s.value == "false" {
                    missing.append("no TLS\(scope)")
                    line = min(line, s.line)
                }
                if key.hasSuffix(".authentication") && s.value.isEmpty {
                    missing.append("no authentication\(scope)")
                    line = min(line, s.line)
                }
            }
            guard !missing.isEmpty else { return [] }
            return [
                RuleHit(
                    line: line, configs: ["spec.tls", "spec.authentication"], message: missing.joined(separator: ", "))
            ]
        },
    ]

    static let platformUpgrade: [LintRule] = [
        LintRule(
            "KA-UPG-007", .upgrade, .error, title: "ZooKeeper mode on Kafka 4",
            kinds: [.broker], keys: ["zookeeper.connect"],
            rationale:
                "Kafka 4.0 removed ZooKeeper mode: a 4.x broker with zookeeper.connect (or a Strimzi Kafka with spec.zookeeper) does not start.",
            fix: "Migrate to KRaft on 3.9 first (controllers, then brokers), then upgrade to 4.x.",
            fires: RuleExample(.broker, "broker.id=1\nzookeeper.connect=zk:2181\n", version: KafkaVersion(4, 0)),
            passes: RuleExample(.broker, "node.id=1\nprocess.roles=broker\n", version: KafkaVersion(4, 0))
        ) { u, c in
            // Leftover zookeeper.* tuning keys on a KRaft node are ignored; zookeeper.connect is ZooKeeper mode.
            let key = "zookeeper.connect"
            guard c.version >= KafkaVersion(4, 0), u.has(key), !u.has("process.roles") else { return [] }
            return hit(u, key, "\(u.settings[key]?.key ?? key): ZooKeeper mode does not exist in Kafka \(c.version)")
        }
    ]
}

/// Memory sizes as JVM options (-Xmx4g) and Kubernetes quantities (8Gi, 8G, 8192Mi) write them, in bytes.
enum MemorySize {
    static func jvm(_ text: String) -> Double? {
        let t = text.trimmingSpaces().lowercased()
        guard let last = t.last else { return nil }
        let scale: Double = ["k": 1024, "m": 1_048_576, "g": 1_073_741_824, "t": 1_099_511_627_776][last] ?? 1
        return Double(scale == 1 ? t : String(t.dropLast())).map { $0 * scale }
    }

    static func kubernetes(_ text: String) -> Double? {
        let t = text.trimmingSpaces()
        let units: [(String, Double)] = [
            ("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776),
            ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12),
        ]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            return Double(t.dropLast(suffix.count)).map { $0 * scale }
        }
        return Double(t)
    }
}
