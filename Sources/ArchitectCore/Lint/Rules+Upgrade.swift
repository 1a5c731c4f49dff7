// Upgrade compatibility: settings removed or deprecated, and defaults that changed between versions.

extension LintRules {
    static let removedIn4: [String: String] = [
        "log.message.format.version": "removed with message formats v0/v1 (KIP-724)",
        "message.format.version": "removed with message formats v0/v1 (KIP-724)",
        "log.message.timestamp.difference.max.ms":
            "replaced by log.message.timestamp.before.max.ms and .after.max.ms (KIP-937)",
        "message.timestamp.difference.max.ms":
            "replaced by message.timestamp.before.max.ms and .after.max.ms (KIP-937)",
        "offsets.commit.required.acks": "removed; offset commits always use acks=all",
        "delegation.token.master.key": "replaced by delegation.token.secret.key",
    ]

    static let upgrade: [LintRule] = [
        LintRule(
            "KA-UPG-001", .upgrade, .warning, title: "ZooKeeper settings",
            kinds: [.broker], keys: ["zookeeper.connect"],
            rationale:
                "Kafka 4.0 removed ZooKeeper mode; brokers run in KRaft mode only. ZooKeeper mode is deprecated from 3.5.",
            fix:
                "Migrate to KRaft (process.roles, controller.quorum.bootstrap.servers) and remove zookeeper.* settings.",
            fires: RuleExample(.broker, "broker.id=1\nzookeeper.connect=zk:2181\n"),
            passes: RuleExample(.broker, "node.id=1\nprocess.roles=broker\n")
        ) { u, c in
            // On 4.x KA-UPG-007 reports it as an error: one cause, one finding.
            let keys = u.settings.keys.filter { $0.hasPrefix("zookeeper.") }.sorted()
            guard let first = keys.first, c.version < KafkaVersion(4, 0), u.has("zookeeper.connect"),
                !u.has("process.roles")
            else { return [] }
            return hit(
                u, first, "\(u.settings[first]?.key ?? first): ZooKeeper mode is deprecated and removed in Kafka 4.0",
                also: Array(keys.dropFirst()))
        },
        LintRule(
            "KA-UPG-002", .upgrade, .error, title: "Setting removed in Kafka 4.0",
            kinds: [.broker, .topic], keys: Array(removedIn4.keys).sorted(),
            rationale: "Kafka 4.0 removed these settings; a 4.x broker ignores or rejects them.",
            fix: "Remove them (see each message for the replacement).",
            fires: RuleExample(.broker, "broker.id=1\nlog.message.format.version=2.8\n", version: KafkaVersion(4, 0)),
            passes: RuleExample(.broker, "broker.id=1\n", version: KafkaVersion(4, 0))
        ) { u, c in
            guard c.version >= KafkaVersion(4, 0) else { return [] }
            return removedIn4.sorted { $0.key < $1.key }.compactMap { key, replacement in
                u.has(key)
                    ? RuleHit(
                        line: u.line(key), configs: [key],
                        message: "\(key) is gone in Kafka \(c.version): \(replacement)") : nil
            }
        },
        LintRule(
            "KA-UPG-003", .upgrade, .warning, title: "Setting deprecated before removal",
            kinds: [.broker, .topic], keys: Array(removedIn4.keys).sorted(),
            rationale: "These settings are removed in Kafka 4.0; clear them before upgrading.",
            fix: "Remove them (see each message for the replacement).",
            fires: RuleExample(.broker, "broker.id=1\nlog.message.format.version=2.8\n", version: KafkaVersion(3, 7)),
            passes: RuleExample(.broker, "broker.id=1\n", version: KafkaVersion(3, 7))
        ) { u, c in
            guard c.version < KafkaVersion(4, 0) else { return [] }
            return removedIn4.sorted { $0.key < $1.key }.compactMap { key, replacement in
                u.has(key)
                    ? RuleHit(
                        line: u.line(key), configs: [key],
                        message: "\(key) is deprecated and removed in Kafka 4.0: \(replacement)") : nil
            }
        },
        LintRule(
            "KA-UPG-004", .upgrade, .warning, title: "Removed partitioner class",
            kinds: [.producer], keys: ["partitioner.class"],
            rationale:
                "DefaultPartitioner and UniformStickyPartitioner were deprecated in 3.3 (KIP-794) and removed in 4.0; the built-in partitioner replaces both.",
            fix: "Remove partitioner.class; for uniform sticky behaviour set partitioner.ignore.keys=true.",
            fires: RuleExample(
                .producer, "partitioner.class=org.apache.kafka.clients.producer.internals.DefaultPartitioner\n"),
            passes: RuleExample(.producer, "acks=all\n")
        ) { u, c in
            guard let v = u.value("partitioner.class"),
                v.hasSuffix("DefaultPartitioner") || v.hasSuffix("UniformStickyPartitioner")
            else { return [] }
            return hit(
                u, "partitioner.class",
                c.version >= KafkaVersion(4, 0)
                    ? "\(v) no longer exists in Kafka \(c.version)" : "\(v) is deprecated and removed in Kafka 4.0")
        },
        LintRule(
            "KA-UPG-005", .upgrade, .warning, title: "Deprecated exactly-once mode",
            kinds: [.streams], keys: ["processing.guarantee"],
            rationale: "exactly_once and exactly_once_beta were deprecated in 3.0 and removed in 4.0.",
            fix: "Use processing.guarantee=exactly_once_v2.",
            fires: RuleExample(.streams, "application.id=app\nprocessing.guarantee=exactly_once\n"),
            passes: RuleExample(.streams, "application.id=app\nprocessing.guarantee=exactly_once_v2\n")
        ) { u, c in
            // On 4.x KA-UPG-008 reports it as an error.
            guard c.version < KafkaVersion(4, 0), let g = u.value("processing.guarantee"),
                g == "exactly_once" || g == "exactly_once_beta"
            else { return [] }
            return hit(u, "processing.guarantee", "processing.guarantee=\(g) is removed in Kafka 4.0")
        },
        LintRule(
            "KA-UPG-006", .upgrade, .info, title: "Relies on a default that changed",
            kinds: [.producer, .consumer], keys: ["acks", "enable.idempotence", "linger.ms", "session.timeout.ms"],
            profiles: [.throughput: nil, .latency: nil],
            rationale:
                "Producer acks and idempotence changed defaults in 3.0 (KIP-679), consumer session.timeout.ms in 3.0 (KIP-735) and linger.ms in 4.0 (KIP-1030): the same file behaves differently on different versions.",
            fix: "Set these keys explicitly.",
            fires: RuleExample(.producer, "client.id=x\n"),
            passes: RuleExample(.producer, "client.id=x\nacks=all\nenable.idempotence=true\nlinger.ms=5\n")
        ) { u, c in
            guard u.dialect == .java else { return [] }
            let changed: [ConfigKind: [String]] = [
                .producer: ["acks", "enable.idempotence", "linger.ms"], .consumer: ["session.timeout.ms"],
            ]
            // acks other than all turns idempotence off whatever its default: that key is not "relied on".
            let acks = u.value("acks")?.trimmingSpaces().lowercased()
            let idempotenceOff = acks != nil && acks != "all" && acks != "-1"
            let missing = (changed[u.kind] ?? []).filter {
                !u.has($0) && !($0 == "enable.idempotence" && idempotenceOff)
            }
            guard !missing.isEmpty else { return [] }
            return [
                RuleHit(
                    line: u.anchorLine, configs: missing,
                    message:
                        "relies on defaults that changed across Kafka versions: \(missing.map { "\($0) (now \(c.value(u, $0) ?? "?"))" }.joined(separator: ", "))"
                )
            ]
        },
    ]
}
