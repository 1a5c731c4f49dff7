// Durability: configurations that lose acknowledged data.

let clients: Set<ConfigKind> = [.producer, .consumer, .admin, .streams, .connect]
let topicish: Set<ConfigKind> = [.broker, .topic]

func hit(_ u: ConfigUnit, _ key: String, _ message: String, also: [String] = []) -> [RuleHit] {
    [RuleHit(line: u.line(key), configs: [key] + also, message: message)]
}

extension LintRules {
    static let durability: [LintRule] = [
        LintRule(
            "KA-DUR-001", .durability, .warning, title: "Producer does not wait for all in-sync replicas",
            kinds: [.producer, .streams, .connect], keys: ["acks"],
            profiles: [.durability: .error, .throughput: .info, .latency: .info],
            rationale:
                "With acks=0 or acks=1 the leader acknowledges before followers have the record; a leader failure then loses acknowledged writes.",
            fix: "Set acks=all (the default from Kafka 3.0) together with min.insync.replicas=2 on the topic.",
            fires: RuleExample(.producer, "acks=1\n"), passes: RuleExample(.producer, "acks=all\n")
        ) { u, c in
            // Streams and Connect pass a written (producer.)acks to their producers; unwritten, they pick.
            guard u.kind == .producer || u.has("acks") else { return [] }
            let acks = c.value(u, "acks")
            return acks == "all" || acks == "-1"
                ? []
                : hit(
                    u, "acks",
                    "\(c.describe(u, "acks")) acknowledges before the followers have the record; a leader failure loses it"
                )
        },
        LintRule(
            "KA-DUR-002", .durability, .warning, title: "Producer idempotence is off",
            kinds: [.producer, .streams], keys: ["enable.idempotence"],
            profiles: [.durability: .error, .latency: .info],
            rationale:
                "Without idempotence a retried send can be written twice, and with several requests in flight records can be reordered.",
            fix: "Set enable.idempotence=true (the default from Kafka 3.0; librdkafka's default is false).",
            fires: RuleExample(.producer, "enable.idempotence=false\nacks=all\n"),
            passes: RuleExample(.producer, "enable.idempotence=true\nacks=all\n")
        ) { u, c in
            c.bool(u, "enable.idempotence") == false
                ? hit(u, "enable.idempotence", "idempotence is off: retries can duplicate or reorder records") : []
        },
        LintRule(
            "KA-DUR-003", .durability, .error, title: "Producer never retries",
            kinds: [.producer], keys: ["retries"], profiles: [.throughput: .warning, .latency: .warning],
            rationale: "retries=0 turns every transient error (leader change, timeout) into a lost record.",
            fix: "Leave retries at its default (2147483647) and bound sending time with delivery.timeout.ms instead.",
            fires: RuleExample(.producer, "retries=0\n"), passes: RuleExample(.producer, "retries=2147483647\n")
        ) { u, c in
            c.int(u, "retries") == 0 ? hit(u, "retries", "retries=0: any transient error loses the record") : []
        },
        LintRule(
            "KA-DUR-004", .durability, .error, title: "Idempotence with more than 5 requests in flight",
            kinds: [.producer], keys: ["enable.idempotence", "max.in.flight.requests.per.connection"],
            rationale:
                "The idempotent producer keeps ordering only for up to 5 in-flight requests per connection; the Java client rejects more.",
            fix: "Set max.in.flight.requests.per.connection to 5 or less.",
            fires: RuleExample(.producer, "enable.idempotence=true\nmax.in.flight.requests.per.connection=10\n"),
            passes: RuleExample(.producer, "enable.idempotence=true\nmax.in.flight.requests.per.connection=5\n")
        ) { u, c in
            // librdkafka's default (1000000) is capped at 5 by idempotence itself: only a written value counts.
            guard u.has("enable.idempotence"), c.bool(u, "enable.idempotence") == true,
                u.has("max.in.flight.requests.per.connection") || u.dialect == .java,
                let inflight = c.int(u, "max.in.flight.requests.per.connection"), inflight > 5
            else { return [] }
            return hit(
                u, "max.in.flight.requests.per.connection",
                "\(inflight) requests in flight with idempotence: at most 5 keep ordering", also: ["enable.idempotence"]
            )
        },
        LintRule(
            "KA-DUR-005", .durability, .error, title: "Idempotence without acks=all",
            kinds: [.producer], keys: ["enable.idempotence", "acks"],
            rationale:
                "Idempotence requires acks=all; the Java client refuses to start otherwise, and librdkafka overrides acks silently.",
            fix: "Set acks=all, or remove enable.idempotence.",
            fires: RuleExample(.producer, "enable.idempotence=true\nacks=1\n"),
            passes: RuleExample(.producer, "enable.idempotence=true\nacks=all\n")
        ) { u, c in
            // Only an explicit enable.idempotence=true conflicts: since 3.2 an implicit default yields to acks (KAFKA-13598).
            guard u.has("enable.idempotence"), c.bool(u, "enable.idempotence") == true else { return [] }
            let acks = c.value(u, "acks")
            return acks == "all" || acks == "-1"
                ? []
                : hit(
                    u, "acks", "enable.idempotence=true needs acks=all, not acks=\(acks ?? "?")",
                    also: ["enable.idempotence"])
        },
        LintRule(
            "KA-DUR-006", .durability, .warning, title: "min.insync.replicas is 1",
            kinds: topicish, keys: ["min.insync.replicas"],
            profiles: [.durability: .error, .throughput: .info, .latency: .info],
            rationale:
                "With min.insync.replicas=1 an acks=all write is acknowledged by the leader alone and lost if it fails before followers catch up.",
            fix: "Set min.insync.replicas=2 with replication factor 3.",
            fires: RuleExample(.topic, "min.insync.replicas=1\n"),
            passes: RuleExample(.topic, "min.insync.replicas=2\n")
        ) { u, c in
            // A broker's default counts when written, or when replicated topics or the durability
            // profile make the default (1) matter.
            let rf =
                u.replicationFactor
                ?? c.int(u, u.kind == .broker ? "default.replication.factor" : "replication.factor").map(Int.init)
            // A topic without its own value takes the broker's, unknown here unless its cluster is in the run.
            let matters =
                u.has("min.insync.replicas") || u.inherited["min.insync.replicas"] != nil
                || (u.kind == .broker && ((rf ?? 1) >= 3 || c.profile == .durability))
            guard matters, !u.isControllerOnly, !(u.kind == .broker && LintRules.isSingleBrokerSetup(u)) else {
                return []
            }
            if let rf = u.replicationFactor, rf <= 1 { return [] }
            return c.int(u, "min.insync.replicas") == 1
                ? hit(
                    u, "min.insync.replicas",
                    "\(c.describe(u, "min.insync.replicas")): an acknowledged write may exist on one broker only") : []
        },
        LintRule(
            "KA-DUR-007", .durability, .error, title: "Unclean leader election is enabled on the broker",
            kinds: [.broker], keys: ["unclean.leader.election.enable"], profiles: [.throughput: .warning],
            rationale: "An out-of-sync replica may become leader and truncate acknowledged records.",
            fix: "Set unclean.leader.election.enable=false (the default).",
            fires: RuleExample(.broker, "broker.id=1\nunclean.leader.election.enable=true\n"),
            passes: RuleExample(.broker, "broker.id=1\n")
        ) { u, c in
            c.bool(u, "unclean.leader.election.enable") == true
                ? hit(u, "unclean.leader.election.enable", "unclean leader election can truncate acknowledged records")
                : []
        },
        LintRule(
            "KA-DUR-008", .durability, .error, title: "Unclean leader election is enabled on the topic",
            kinds: [.topic], keys: ["unclean.leader.election.enable"], profiles: [.throughput: .warning],
            rationale: "A topic-level override re-enables unclean elections even when the broker disables them.",
            fix: "Remove the override or set it to false.",
            fires: RuleExample(.topic, "unclean.leader.election.enable=true\n"),
            passes: RuleExample(.topic, "cleanup.policy=delete\n")
        ) { u, c in
            c.bool(u, "unclean.leader.election.enable") == true
                ? hit(u, "unclean.leader.election.enable", "this topic allows unclean leader election") : []
        },
        LintRule(
            "KA-DUR-009", .durability, .warning, title: "Default replication factor below 3",
            kinds: [.broker], keys: ["default.replication.factor"], profiles: [.durability: .error],
            rationale: "Topics created without an explicit factor (including auto-created ones) get this many copies.",
            fix: "Set default.replication.factor=3.",
            fires: RuleExample(.broker, "broker.id=1\ndefault.replication.factor=1\n"),
            passes: RuleExample(.broker, "broker.id=1\ndefault.replication.factor=3\n")
        ) { u, c in
            guard let rf = c.int(u, "default.replication.factor"), rf < 3 else { return [] }
            return hit(
                u, "default.replication.factor",
                "\(c.describe(u, "default.replication.factor")): new topics get fewer than 3 copies")
        },
        LintRule(
            "KA-DUR-010", .durability, .warning, title: "Topic replication factor below 3",
            kinds: [.topic], keys: ["replicas"], profiles: [.durability: .error],
            rationale: "With fewer than 3 replicas one broker failure leaves a single copy, or none.",
            fix: "Use replication factor 3 (Strimzi: spec.replicas: 3).",
            fires: RuleExample(.topic, "replication.factor=2\n"), passes: RuleExample(.topic, "replication.factor=3\n")
        ) { u, c in
            guard let rf = u.replicationFactor ?? c.value(u, "replication.factor").flatMap({ Int($0) }), rf < 3 else {
                return []
            }
            return [
                RuleHit(
                    line: u.line("replication.factor"), configs: ["replicas"],
                    message: "replication factor \(rf) is below 3")
            ]
        },
        LintRule(
            "KA-DUR-011", .durability, .warning, title: "Consumer commits offsets automatically",
            kinds: [.consumer], keys: ["enable.auto.commit"],
            profiles: [.durability: .error, .throughput: .info, .latency: .info],
            rationale:
                "Auto-commit commits on a timer, possibly before records are processed: a crash then skips them.",
            fix:
                "Set enable.auto.commit=false and commit after processing (commitSync/commitAsync, or librdkafka's store-then-commit).",
            fires: RuleExample(.consumer, "group.id=g\n"),
            passes: RuleExample(.consumer, "group.id=g\nenable.auto.commit=false\n")
        ) { u, c in
            // librdkafka's store-then-commit (enable.auto.offset.store=false) commits only what was stored.
            guard u.value("enable.auto.offset.store")?.lowercased() != "false" else { return [] }
            return c.bool(u, "enable.auto.commit") == true
                ? hit(u, "enable.auto.commit", "offsets are committed on a timer, possibly before processing") : []
        },
        LintRule(
            "KA-DUR-012", .durability, .warning, title: "Internal offsets topic has fewer than 3 replicas",
            kinds: [.broker], keys: ["offsets.topic.replication.factor"],
            rationale: "Consumer group offsets live in __consumer_offsets; losing it loses every group's position.",
            fix: "Set offsets.topic.replication.factor=3.",
            fires: RuleExample(.broker, "broker.id=1\noffsets.topic.replication.factor=1\n"),
            passes: RuleExample(.broker, "broker.id=1\n")
        ) { u, c in
            guard !LintRules.isSingleBrokerSetup(u), let rf = c.int(u, "offsets.topic.replication.factor"), rf < 3
            else { return [] }
            return hit(u, "offsets.topic.replication.factor", "__consumer_offsets gets \(rf) replica(s)")
        },
        LintRule(
            "KA-DUR-013", .durability, .warning, title: "Transaction log has fewer than 3 replicas",
            kinds: [.broker], keys: ["transaction.state.log.replication.factor"],
            rationale: "Transaction state lives in __transaction_state; too few copies lose in-flight transactions.",
            fix: "Set transaction.state.log.replication.factor=3.",
            fires: RuleExample(.broker, "broker.id=1\ntransaction.state.log.replication.factor=1\n"),
            passes: RuleExample(.broker, "broker.id=1\n")
        ) { u, c in
            guard !LintRules.isSingleBrokerSetup(u), let rf = c.int(u, "transaction.state.log.replication.factor"),
                rf < 3
            else { return [] }
            return hit(u, "transaction.state.log.replication.factor", "__transaction_state gets \(rf) replica(s)")
        },
        LintRule(
            "KA-DUR-014", .durability, .warning, title: "Transaction log min ISR below 2",
            kinds: [.broker], keys: ["transaction.state.log.min.isr"],
            rationale: "With min ISR 1 transaction markers can be acknowledged by a single broker.",
            fix: "Set transaction.state.log.min.isr=2.",
            fires: RuleExample(.broker, "broker.id=1\ntransaction.state.log.min.isr=1\n"),
            passes: RuleExample(.broker, "broker.id=1\n")
        ) { u, c in
            guard !LintRules.isSingleBrokerSetup(u), let v = c.int(u, "transaction.state.log.min.isr"), v < 2 else {
                return []
            }
            return hit(u, "transaction.state.log.min.isr", "transaction.state.log.min.isr=\(v)")
        },
        LintRule(
            "KA-DUR-015", .durability, .error, title: "delivery.timeout.ms shorter than linger.ms + request.timeout.ms",
            kinds: [.producer], keys: ["delivery.timeout.ms", "linger.ms", "request.timeout.ms"],
            rationale:
                "The Java producer requires delivery.timeout.ms ≥ linger.ms + request.timeout.ms; shorter values fail at start or expire records before a retry.",
            fix: "Raise delivery.timeout.ms (default 120000) or lower linger.ms/request.timeout.ms.",
            fires: RuleExample(.producer, "delivery.timeout.ms=20000\nrequest.timeout.ms=30000\n"),
            passes: RuleExample(.producer, "delivery.timeout.ms=120000\n")
        ) { u, c in
            guard u.dialect == .java, let d = c.int(u, "delivery.timeout.ms"), let l = c.int(u, "linger.ms"),
                let r = c.int(u, "request.timeout.ms"), d < l + r
            else { return [] }
            return hit(
                u, "delivery.timeout.ms", "delivery.timeout.ms=\(d) < linger.ms \(l) + request.timeout.ms \(r)",
                also: ["linger.ms", "request.timeout.ms"])
        },
        LintRule(
            "KA-DUR-016", .durability, .error, title: "Transactional producer without idempotence",
            kinds: [.producer], keys: ["transactional.id", "enable.idempotence"],
            rationale:
                "Transactions are built on the idempotent producer; disabling it makes the producer fail to start.",
            fix: "Remove enable.idempotence=false when transactional.id is set.",
            fires: RuleExample(.producer, "transactional.id=tx-1\nenable.idempotence=false\n"),
            passes: RuleExample(.producer, "transactional.id=tx-1\n")
        ) { u, c in
            guard u.has("transactional.id"), c.bool(u, "enable.idempotence") == false else { return [] }
            return hit(
                u, "enable.idempotence", "transactional.id is set but idempotence is off", also: ["transactional.id"])
        },
        LintRule(
            "KA-DUR-017", .durability, .info, title: "New consumer groups start from the latest offset",
            kinds: [.consumer, .streams], keys: ["auto.offset.reset"],
            profiles: [.durability: .warning, .throughput: nil, .latency: nil],
            rationale:
                "With auto.offset.reset=latest a new group (or one whose offsets expired) skips everything already in the topic.",
            fix: "Use auto.offset.reset=earliest where every record must be processed.",
            fires: RuleExample(.consumer, "group.id=g\nauto.offset.reset=latest\n"),
            passes: RuleExample(.consumer, "group.id=g\nauto.offset.reset=earliest\n")
        ) { u, c in
            // Kafka Streams defaults to earliest: only a written value counts there.
            guard u.kind == .consumer || u.has("auto.offset.reset") else { return [] }
            return c.value(u, "auto.offset.reset") == "latest"
                ? hit(
                    u, "auto.offset.reset",
                    "\(c.describe(u, "auto.offset.reset")): a new group skips records already in the topic")
                : []
        },
        LintRule(
            "KA-DUR-018", .durability, .info, title: "Streams application without exactly-once",
            kinds: [.streams], keys: ["processing.guarantee"],
            profiles: [.durability: .warning, .throughput: nil, .latency: nil],
            rationale:
                "at_least_once reprocesses records after a failure; state stores and outputs can see duplicates.",
            fix: "Set processing.guarantee=exactly_once_v2 (brokers 2.5+).",
            fires: RuleExample(.streams, "application.id=app\n"),
            passes: RuleExample(.streams, "application.id=app\nprocessing.guarantee=exactly_once_v2\n")
        ) { u, c in
            let g = u.value("processing.guarantee") ?? "at_least_once"
            return g == "at_least_once"
                ? hit(
                    u, "processing.guarantee",
                    "\(u.has("processing.guarantee") ? "processing.guarantee=at_least_once" : "processing.guarantee not set (default at_least_once)"): duplicates after failures"
                ) : []
        },
    ]
}

/// The catalog of every rule.
public enum LintRules {
    public static let all: [LintRule] =
        durability + platformDurability + availability + platformAvailability + performance + platformPerformance
        + security + platformSecurity + operability + platformOperability + upgrade + platformUpgrade
        + platformConsistency

    public static func rule(_ id: String) -> LintRule? { all.first { $0.id == id } }
}
