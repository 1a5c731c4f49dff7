// Availability: configurations that stop producers or consumers when one thing goes wrong.

extension LintRules {
    static let availability: [LintRule] = [
        LintRule(
            "KA-AVL-001", .availability, .error, title: "min.insync.replicas is not below the replication factor",
            kinds: topicish, keys: ["min.insync.replicas", "replicas"],
            rationale:
                "With min.insync.replicas equal to (or above) the replication factor, acks=all producers stop whenever one replica is down — a rolling restart is enough.",
            fix: "Set min.insync.replicas to replication factor − 1 (2 with RF 3).",
            fires: RuleExample(.topic, "replication.factor=3\nmin.insync.replicas=3\n"),
            passes: RuleExample(.topic, "replication.factor=3\nmin.insync.replicas=2\n")
        ) { u, c in
            let rf =
                u.replicationFactor ?? u.value("replication.factor").flatMap { Int($0) }
                ?? (u.kind == .broker ? c.int(u, "default.replication.factor").map(Int.init) : nil)
            guard let rf, rf > 1, let isr = c.int(u, "min.insync.replicas"), isr >= rf else { return [] }
            return hit(
                u, "min.insync.replicas",
                "min.insync.replicas=\(isr) with replication factor \(rf): one replica down stops acks=all producers",
                also: ["replicas"])
        },
        LintRule(
            "KA-AVL-002", .availability, .error,
            title: "Topic min.insync.replicas above the broker's replication factor",
            kinds: [.topic], keys: ["min.insync.replicas", "default.replication.factor"],
            rationale:
                "A topic created with the broker default factor cannot satisfy a higher min ISR: every acks=all write fails with NOT_ENOUGH_REPLICAS.",
            fix:
                "Give the topic an explicit replication factor above its min.insync.replicas, or raise default.replication.factor.",
            fires: RuleExample([
                (.broker, "broker.id=1\ndefault.replication.factor=2\n"), (.topic, "min.insync.replicas=2\n"),
            ]),
            passes: RuleExample([
                (.broker, "broker.id=1\ndefault.replication.factor=3\n"), (.topic, "min.insync.replicas=2\n"),
            ])
        ) { u, c in
            // Only a min ISR the topic states; equal to a factor of 1 is fine (one replica, one in sync).
            guard u.replicationFactor == nil, !u.has("replication.factor"),
                u.has("min.insync.replicas") || u.inherited["min.insync.replicas"] != nil,
                let isr = c.int(u, "min.insync.replicas"),
                let broker = c.index.dataBrokers.lazy.map({ c.units[$0] }).first(where: {
                    u.cluster == nil || $0.cluster == u.cluster
                }),
                let rf = c.int(broker, "default.replication.factor"), isr > rf || (isr == rf && rf > 1)
            else { return [] }
            let place =
                broker.has("default.replication.factor")
                ? "\(broker.file):\(broker.line("default.replication.factor"))" : broker.file
            return hit(
                u, "min.insync.replicas",
                "min.insync.replicas=\(isr) but topics get the broker's \(c.describe(broker, "default.replication.factor")) (\(place))",
                also: ["default.replication.factor"])
        },
        LintRule(
            "KA-AVL-003", .availability, .warning, title: "Session timeout too close to the heartbeat interval",
            kinds: [.consumer], keys: ["session.timeout.ms", "heartbeat.interval.ms"],
            rationale:
                "The coordinator expires a member that misses heartbeats for session.timeout.ms; with fewer than 3 heartbeats per session one slow heartbeat causes a rebalance.",
            fix: "Keep heartbeat.interval.ms at most a third of session.timeout.ms.",
            fires: RuleExample(.consumer, "group.id=g\nsession.timeout.ms=10000\nheartbeat.interval.ms=5000\n"),
            passes: RuleExample(.consumer, "group.id=g\nsession.timeout.ms=45000\nheartbeat.interval.ms=3000\n")
        ) { u, c in
            guard let s = c.int(u, "session.timeout.ms"), let h = c.int(u, "heartbeat.interval.ms"), h * 3 > s else {
                return []
            }
            return hit(
                u, u.has("heartbeat.interval.ms") ? "heartbeat.interval.ms" : "session.timeout.ms",
                "heartbeat.interval.ms=\(h) is more than a third of session.timeout.ms=\(s)",
                also: ["session.timeout.ms"])
        },
        LintRule(
            "KA-AVL-004", .availability, .error, title: "max.poll.interval.ms shorter than a batch takes",
            kinds: [.consumer], keys: ["max.poll.interval.ms", "max.poll.records"],
            rationale:
                "If processing a poll's records takes longer than max.poll.interval.ms the consumer is removed from the group and its partitions are reassigned mid-batch: a rebalance storm with duplicates.",
            fix:
                "Lower max.poll.records or raise max.poll.interval.ms above max.poll.records × processing time, with headroom.",
            fires: RuleExample(.consumer, "group.id=g\nmax.poll.records=500\nmax.poll.interval.ms=10000\n"),
            passes: RuleExample(.consumer, "group.id=g\nmax.poll.records=100\nmax.poll.interval.ms=300000\n")
        ) { u, c in
            // librdkafka has no max.poll.records: its consumers are not measured by a Java default.
            guard u.dialect == .java, let t = c.processingTime, t < 86_400, let records = c.int(u, "max.poll.records"),
                let interval = c.int(u, "max.poll.interval.ms")
            else { return [] }
            let needed = Double(records) * t * 1000
            guard needed > Double(interval) else { return [] }
            return hit(
                u, u.has("max.poll.interval.ms") ? "max.poll.interval.ms" : "max.poll.records",
                "a poll of \(records) records at \(Int((t * 1000).rounded())) ms each takes \(Int(Swift.min(needed, 1e15))) ms, longer than max.poll.interval.ms=\(interval)",
                also: ["max.poll.records"])
        },
        LintRule(
            "KA-AVL-005", .availability, .warning, title: "Very short session timeout",
            kinds: [.consumer], keys: ["session.timeout.ms"],
            rationale:
                "Session timeouts under 6 s (the broker's default group.min.session.timeout.ms) are rejected or expire members on a GC pause.",
            fix: "Use 10–45 s (45 s is the default from Kafka 3.0).",
            fires: RuleExample(.consumer, "group.id=g\nsession.timeout.ms=3000\nheartbeat.interval.ms=1000\n"),
            passes: RuleExample(.consumer, "group.id=g\nsession.timeout.ms=45000\n")
        ) { u, c in
            guard let s = c.int(u, "session.timeout.ms"), s < 6000 else { return [] }
            return hit(u, "session.timeout.ms", "session.timeout.ms=\(s) is below the broker minimum of 6000")
        },
        LintRule(
            "KA-AVL-006", .availability, .warning, title: "Short replica lag time",
            kinds: [.broker], keys: ["replica.lag.time.max.ms"],
            rationale:
                "Followers briefly slowed (GC, disk) drop out of the ISR, shrinking it to min ISR and stopping producers.",
            fix: "Keep replica.lag.time.max.ms at its default of 30000.",
            fires: RuleExample(.broker, "broker.id=1\nreplica.lag.time.max.ms=2000\n"),
            passes: RuleExample(.broker, "broker.id=1\n")
        ) { u, c in
            guard let v = c.int(u, "replica.lag.time.max.ms"), v < 10000 else { return [] }
            return hit(
                u, "replica.lag.time.max.ms", "replica.lag.time.max.ms=\(v): followers leave the ISR on short pauses")
        },
        LintRule(
            "KA-AVL-007", .availability, .warning, title: "Controlled shutdown disabled",
            kinds: [.broker], keys: ["controlled.shutdown.enable"],
            rationale:
                "Without controlled shutdown a stopping broker's partitions are offline until the controller notices.",
            fix: "Set controlled.shutdown.enable=true (the default).",
            fires: RuleExample(.broker, "broker.id=1\ncontrolled.shutdown.enable=false\n"),
            passes: RuleExample(.broker, "broker.id=1\n")
        ) { u, c in
            c.bool(u, "controlled.shutdown.enable") == false
                ? hit(u, "controlled.shutdown.enable", "partitions go offline on every restart") : []
        },
        LintRule(
            "KA-AVL-008", .availability, .warning, title: "Transactional producer read without read_committed",
            kinds: [.consumer], keys: ["isolation.level", "transactional.id"], profiles: [.durability: .error],
            rationale: "A read_uncommitted consumer sees records of aborted transactions, defeating exactly-once.",
            fix: "Set isolation.level=read_committed on consumers of transactional producers.",
            fires: RuleExample([
                (.producer, "transactional.id=orders-tx\n"),
                (.consumer, "group.id=g\nisolation.level=read_uncommitted\n"),
            ]),
            passes: RuleExample([
                (.producer, "transactional.id=orders-tx\n"),
                (.consumer, "group.id=g\nisolation.level=read_committed\n"),
            ])
        ) { u, c in
            guard let producer = c.units(.producer).first(where: { $0.has("transactional.id") }),
                c.value(u, "isolation.level") != "read_committed"
            else { return [] }
            return hit(
                u, u.has("isolation.level") ? "isolation.level" : "group.id",
                "a transactional producer is configured (\(producer.file)) but this consumer reads uncommitted records",
                also: ["isolation.level"])
        },
    ]
}
