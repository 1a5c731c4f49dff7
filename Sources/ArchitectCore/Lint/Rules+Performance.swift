// Performance: configurations that waste throughput or add latency.

extension LintRules {
    static let performance: [LintRule] = [
        LintRule(
            "KA-PERF-001", .performance, .info, title: "Producer sends without batching delay",
            kinds: [.producer], keys: ["linger.ms"], profiles: [.throughput: .warning, .latency: nil],
            rationale:
                "linger.ms=0 sends as soon as possible: small batches, more requests and worse compression under load.",
            fix: "Set linger.ms to 5–50 (the default from Kafka 4.0 is 5).",
            fires: RuleExample(.producer, "linger.ms=0\n"), passes: RuleExample(.producer, "linger.ms=10\n")
        ) { u, c in
            c.int(u, "linger.ms") == 0
                ? hit(u, "linger.ms", "\(c.describe(u, "linger.ms")): batches stay small under load") : []
        },
        LintRule(
            "KA-PERF-002", .performance, .warning, title: "Small producer batches",
            kinds: [.producer, .streams], keys: ["batch.size"], profiles: [.latency: .info],
            rationale: "batch.size under 16 KiB caps every request; throughput falls and per-request overhead grows.",
            fix: "Use batch.size 65536–262144 for throughput; at least the 16384 default.",
            fires: RuleExample(.producer, "batch.size=4096\n"), passes: RuleExample(.producer, "batch.size=65536\n")
        ) { u, c in
            guard let b = c.int(u, "batch.size"), b < 16384 else { return [] }
            return hit(u, "batch.size", "batch.size=\(b) bytes is below the 16384 default")
        },
        LintRule(
            "KA-PERF-003", .performance, .info, title: "Producer does not compress",
            kinds: [.producer], keys: ["compression.type"], profiles: [.throughput: .warning, .latency: nil],
            rationale:
                "Uncompressed batches cost network, disk and cross-zone traffic; lz4 or zstd usually cut them by 2–5× for little CPU.",
            fix: "Set compression.type=lz4 or zstd.",
            fires: RuleExample(.producer, "compression.type=none\n"),
            passes: RuleExample(.producer, "compression.type=zstd\n")
        ) { u, c in
            c.value(u, "compression.type") == "none"
                ? hit(u, "compression.type", "\(c.describe(u, "compression.type")): records are sent uncompressed") : []
        },
        LintRule(
            "KA-PERF-004", .performance, .info, title: "gzip compression",
            kinds: [.producer, .broker, .topic], keys: ["compression.type"],
            rationale: "gzip costs several times the CPU of lz4 or zstd for a similar or worse ratio.",
            fix: "Use zstd (best ratio) or lz4 (least CPU).",
            fires: RuleExample(.producer, "compression.type=gzip\n"),
            passes: RuleExample(.producer, "compression.type=lz4\n")
        ) { u, c in
            u.value("compression.type") == "gzip"
                ? hit(u, "compression.type", "gzip is CPU-heavy; zstd or lz4 do better") : []
        },
        LintRule(
            "KA-PERF-005", .performance, .warning, title: "Producer codec differs from the topic's",
            kinds: [.topic, .broker], keys: ["compression.type"],
            rationale:
                "When a topic's (or broker's) compression.type names a codec other than the producer's, the broker decompresses and recompresses every batch: CPU on the broker and no zero-copy.",
            fix: "Set the topic's compression.type=producer, or the same codec as the producers.",
            fires: RuleExample([(.producer, "compression.type=lz4\n"), (.topic, "compression.type=zstd\n")]),
            passes: RuleExample([(.producer, "compression.type=lz4\n"), (.topic, "compression.type=producer\n")])
        ) { u, c in
            guard let topicCodec = u.value("compression.type"), topicCodec != "producer", topicCodec != "uncompressed"
            else { return [] }
            let producers = c.units(.producer)
            guard let p = producers.first(where: { (c.value($0, "compression.type") ?? "none") != topicCodec }) else {
                return []
            }
            return hit(
                u, "compression.type",
                "compression.type=\(topicCodec) here but the producer in \(p.file) sends \(c.value(p, "compression.type") ?? "none"): the broker recompresses every batch"
            )
        },
        LintRule(
            "KA-PERF-006", .performance, .warning, title: "Broker forces fsync",
            kinds: topicish, keys: ["log.flush.interval.messages", "flush.messages"],
            rationale:
                "Kafka relies on replication, not fsync, for durability; flushing every few messages cuts throughput by orders of magnitude.",
            fix: "Remove log.flush.interval.messages / flush.messages and rely on replication with acks=all.",
            fires: RuleExample(.broker, "broker.id=1\nlog.flush.interval.messages=1\n"),
            passes: RuleExample(.broker, "broker.id=1\n")
        ) { u, _ in
            for key in ["log.flush.interval.messages", "flush.messages"] {
                if let v = u.value(key).flatMap({ Int64($0) }), v < 10000 {
                    return hit(u, key, "\(key)=\(v) fsyncs every \(v) message(s)")
                }
            }
            return []
        },
        LintRule(
            "KA-PERF-007", .performance, .warning, title: "Very small segments",
            kinds: topicish, keys: ["segment.bytes", "log.segment.bytes"],
            rationale: "Segments under 100 MB multiply open files, index memory and log-cleaner work.",
            fix: "Keep segments at 256 MB–1 GiB (default 1 GiB); use segment.ms for time-based rolling.",
            fires: RuleExample(.topic, "segment.bytes=10485760\n"),
            passes: RuleExample(.topic, "segment.bytes=536870912\n")
        ) { u, _ in
            for key in ["segment.bytes", "log.segment.bytes"] {
                if let v = u.value(key).flatMap({ Int64($0) }), v < 100_000_000 {
                    return hit(u, key, "\(key)=\(v): many small segments and open files")
                }
            }
            return []
        },
        LintRule(
            "KA-PERF-008", .performance, .warning, title: "Segment larger than the size retention",
            kinds: [.topic], keys: ["segment.bytes", "retention.bytes"],
            rationale:
                "Retention deletes whole closed segments: with segment.bytes above retention.bytes a partition holds up to a segment beyond its limit, and the active segment is never deleted.",
            fix: "Keep segment.bytes well below retention.bytes (a tenth or less).",
            fires: RuleExample(.topic, "retention.bytes=104857600\nsegment.bytes=1073741824\n"),
            passes: RuleExample(.topic, "retention.bytes=10737418240\nsegment.bytes=536870912\n")
        ) { u, c in
            guard let r = c.int(u, "retention.bytes"), r > 0, let s = c.int(u, "segment.bytes"), s > r else {
                return []
            }
            return hit(
                u, "segment.bytes",
                "\(c.describe(u, "segment.bytes")) exceeds retention.bytes=\(r): the limit cannot be kept",
                also: ["retention.bytes"])
        },
        LintRule(
            "KA-PERF-009", .performance, .warning, title: "Segment rolls later than time retention",
            kinds: [.topic], keys: ["segment.ms", "retention.ms"],
            rationale:
                "A segment is deleted only after it closes; with segment.ms above retention.ms data outlives its retention by up to segment.ms.",
            fix: "Set segment.ms to a fraction of retention.ms (for example a tenth).",
            fires: RuleExample(.topic, "retention.ms=3600000\nsegment.ms=86400000\n"),
            passes: RuleExample(.topic, "retention.ms=86400000\nsegment.ms=3600000\n")
        ) { u, c in
            // Time retention does not apply to compact-only topics.
            guard c.value(u, "cleanup.policy")?.lowercased() != "compact",
                let r = c.int(u, "retention.ms"), r > 0, let s = c.int(u, "segment.ms"), s > r,
                u.has("retention.ms") || u.has("segment.ms")
            else { return [] }
            return [
                RuleHit(
                    line: u.line(u.has("segment.ms") ? "segment.ms" : "retention.ms"),
                    configs: ["segment.ms", "retention.ms"],
                    message:
                        "\(c.describe(u, "segment.ms")) is longer than \(c.describe(u, "retention.ms")): data outlives its retention"
                )
            ]
        },
        LintRule(
            "KA-PERF-010", .performance, .error, title: "Producer requests larger than the topic accepts",
            kinds: [.topic, .broker], keys: ["max.message.bytes", "message.max.bytes", "max.request.size"],
            rationale:
                "A producer batch over the topic's max.message.bytes (broker: message.max.bytes) is rejected with RecordTooLargeException.",
            fix:
                "Keep the producer's max.request.size at or below the topic's max.message.bytes, or raise the topic limit (and the consumer fetch sizes) together.",
            fires: RuleExample([(.producer, "max.request.size=5242880\n"), (.topic, "max.message.bytes=1048588\n")]),
            passes: RuleExample([(.producer, "max.request.size=1048576\n"), (.topic, "max.message.bytes=1048588\n")])
        ) { u, c in
            // Only a limit the configuration states (or inherits from its cluster): a topic left at the
            // default takes its broker's message.max.bytes, unknown here, and the broker is judged on its own.
            let key = u.kind == .topic ? "max.message.bytes" : "message.max.bytes"
            guard u.has(key) || u.inherited[key] != nil, let limit = c.int(u, key) else { return [] }
            let producers = c.units(.producer).lazy.filter { $0.has("max.request.size") }
            guard
                let found = producers.compactMap({ p in c.int(p, "max.request.size").map { (p, $0) } }).first(where: {
                    $0.1 > limit
                })
            else { return [] }
            let (p, request) = found
            return hit(
                u, key,
                "\(c.describe(u, key)) is below the producer's max.request.size=\(request) (\(p.file)): large batches are rejected",
                also: ["max.request.size"])
        },
        LintRule(
            "KA-PERF-011", .performance, .info, title: "Consumer fetch limits below the largest message",
            kinds: [.consumer], keys: ["fetch.max.bytes", "max.partition.fetch.bytes", "max.message.bytes"],
            rationale:
                "Since KIP-74 a consumer still receives a batch larger than its fetch limits, so nothing stalls; but each such fetch returns that one batch alone, and fetch sizing no longer does what it says.",
            fix: "Keep max.partition.fetch.bytes and fetch.max.bytes at or above the topic's max.message.bytes.",
            fires: RuleExample([
                (.topic, "max.message.bytes=10485760\n"),
                (.consumer, "group.id=g\nmax.partition.fetch.bytes=1048576\n"),
            ]),
            passes: RuleExample([
                (.topic, "max.message.bytes=1048588\n"), (.consumer, "group.id=g\nmax.partition.fetch.bytes=2097152\n"),
            ])
        ) { u, c in
            // Only limits raised above Kafka's default matter: the defaults are sized to work together.
            guard let limit = c.index.raisedMessageLimit else { return [] }
            for key in ["max.partition.fetch.bytes", "fetch.max.bytes"] {
                if let v = c.int(u, key), v < limit {
                    return hit(
                        u, key,
                        "\(c.describe(u, key)) is below the largest message a topic or broker in this review allows (\(limit) bytes)",
                        also: ["max.message.bytes"])
                }
            }
            return []
        },
        LintRule(
            "KA-PERF-012", .performance, .warning, title: "Consumer fetch.max.bytes below max.partition.fetch.bytes",
            kinds: [.consumer], keys: ["fetch.max.bytes", "max.partition.fetch.bytes"],
            rationale: "A fetch request is capped by fetch.max.bytes; a larger per-partition limit can never be used.",
            fix: "Set fetch.max.bytes at least max.partition.fetch.bytes (defaults 50 MiB and 1 MiB).",
            fires: RuleExample(.consumer, "group.id=g\nfetch.max.bytes=524288\nmax.partition.fetch.bytes=1048576\n"),
            passes: RuleExample(.consumer, "group.id=g\n")
        ) { u, c in
            guard let f = c.int(u, "fetch.max.bytes"), let p = c.int(u, "max.partition.fetch.bytes"), f < p else {
                return []
            }
            return hit(
                u, "fetch.max.bytes", "fetch.max.bytes=\(f) < max.partition.fetch.bytes=\(p)",
                also: ["max.partition.fetch.bytes"])
        },
        LintRule(
            "KA-PERF-013", .performance, .info, title: "Replica fetch size below the largest message",
            kinds: [.broker], keys: ["replica.fetch.max.bytes", "message.max.bytes"],
            rationale:
                "Since KIP-74 a follower still receives a batch larger than replica.fetch.max.bytes, so replication does not stall; but such batches replicate one per fetch, and followers fall behind sooner under load.",
            fix: "Keep replica.fetch.max.bytes ≥ message.max.bytes.",
            fires: RuleExample(.broker, "broker.id=1\nmessage.max.bytes=10485760\n"),
            passes: RuleExample(.broker, "broker.id=1\nmessage.max.bytes=10485760\nreplica.fetch.max.bytes=10485760\n")
        ) { u, c in
            guard u.has("message.max.bytes") || u.has("replica.fetch.max.bytes"), let m = c.int(u, "message.max.bytes"),
                let r = c.int(u, "replica.fetch.max.bytes"), r < m
            else { return [] }
            return hit(
                u, u.has("replica.fetch.max.bytes") ? "replica.fetch.max.bytes" : "message.max.bytes",
                "\(c.describe(u, "replica.fetch.max.bytes")) < \(c.describe(u, "message.max.bytes"))",
                also: ["message.max.bytes"])
        },
        LintRule(
            "KA-PERF-014", .performance, .info, title: "Consumer fetches without waiting for data",
            kinds: [.consumer], keys: ["fetch.min.bytes"],
            profiles: [.balanced: nil, .durability: nil, .latency: nil, .throughput: .info],
            rationale:
                "fetch.min.bytes=1 answers each fetch as soon as one byte is there: many small responses at high rates.",
            fix: "For throughput, set fetch.min.bytes to 64 KiB–1 MiB with fetch.max.wait.ms 100–500.",
            fires: RuleExample(.consumer, "group.id=g\nfetch.min.bytes=1\n"),
            passes: RuleExample(.consumer, "group.id=g\nfetch.min.bytes=65536\n")
        ) { u, c in
            c.int(u, "fetch.min.bytes") == 1
                ? hit(u, "fetch.min.bytes", "\(c.describe(u, "fetch.min.bytes")): many small fetch responses") : []
        },
        LintRule(
            "KA-PERF-015", .performance, .info, title: "Latency profile with batching delay",
            kinds: [.producer], keys: ["linger.ms"],
            profiles: [.balanced: nil, .durability: nil, .throughput: nil, .latency: .warning],
            rationale: "Every record waits up to linger.ms before it is sent.",
            fix: "For latency-critical producers set linger.ms=0–1.",
            fires: RuleExample(.producer, "linger.ms=50\n"), passes: RuleExample(.producer, "linger.ms=0\n")
        ) { u, c in
            guard let l = c.int(u, "linger.ms"), l > 5 else { return [] }
            return hit(u, "linger.ms", "linger.ms=\(l) adds up to \(l) ms to every send")
        },
        LintRule(
            "KA-PERF-016", .performance, .warning, title: "Very large poll batches",
            kinds: [.consumer, .streams], keys: ["max.poll.records"],
            rationale:
                "Thousands of records per poll make each poll loop long: the consumer risks max.poll.interval.ms and rebalances take longer.",
            fix: "Keep max.poll.records at 100–1000 and size it against processing time.",
            fires: RuleExample(.consumer, "group.id=g\nmax.poll.records=20000\n"),
            passes: RuleExample(.consumer, "group.id=g\nmax.poll.records=500\n")
        ) { u, c in
            guard u.kind == .consumer || u.has("max.poll.records"), let r = c.int(u, "max.poll.records"), r > 5000
            else { return [] }
            return hit(u, "max.poll.records", "max.poll.records=\(r) makes each poll loop long")
        },
    ]
}
