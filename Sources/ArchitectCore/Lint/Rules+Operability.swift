// Operability: settings that make a cluster hard to run, or files that say something other than intended.

extension LintRules {
    static let operability: [LintRule] = [
        LintRule(
            "KA-OPS-001", .operability, .warning, title: "Topics are created automatically",
            kinds: [.broker], keys: ["auto.create.topics.enable"],
            rationale:
                "A typo in a topic name creates a topic with default partitions and replication; nobody reviews it.",
            fix:
                "Set auto.create.topics.enable=false and create topics through reviewed definitions (Terraform, Strimzi KafkaTopic).",
            fires: RuleExample(.broker, "broker.id=1\n"),
            passes: RuleExample(.broker, "broker.id=1\nauto.create.topics.enable=false\n")
        ) { u, c in
            guard c.bool(u, "auto.create.topics.enable") == true else { return [] }
            let shape =
                "\(c.value(u, "num.partitions") ?? "1") partition(s), replication factor \(c.value(u, "default.replication.factor") ?? "1")"
            return hit(
                u, "auto.create.topics.enable",
                u.has("auto.create.topics.enable")
                    ? "topics are created on first use, with \(shape)"
                    : "auto.create.topics.enable not set (default true): topics are created on first use, with \(shape)"
            )
        },
        LintRule(
            "KA-OPS-002", .operability, .warning, title: "Key given more than once",
            kinds: Set(ConfigKind.allCases), keys: [],
            rationale:
                "java.util.Properties keeps the last value silently; the earlier line is dead and misleads readers.",
            fix: "Delete all but one occurrence.",
            fires: RuleExample(.producer, "acks=all\nacks=all\n"), passes: RuleExample(.producer, "acks=all\n")
        ) { u, _ in
            u.duplicates.sorted { $0.key < $1.key }.compactMap { key, lines in
                lines.last.map { last in
                    RuleHit(
                        line: last, configs: [key],
                        message:
                            "\(key) is set on lines \(lines.map(String.init).joined(separator: ", ")); the last one wins"
                    )
                }
            }
        },
        LintRule(
            "KA-OPS-003", .operability, .warning, title: "Unknown key that looks like a known one",
            kinds: Set(ConfigKind.allCases).subtracting([.user]), keys: [],
            rationale:
                "A misspelt key is ignored by Kafka with at most a log line; the intended setting never applies.",
            fix: "Correct the key's spelling.",
            fires: RuleExample(.producer, "acks=all\nenable.idempotance=true\n"),
            passes: RuleExample(.producer, "acks=all\nenable.idempotence=true\n")
        ) { u, _ in
            let aliases = KnownKeys.prefixes(u)
            return u.settings.sorted { ($0.value.line, $0.key) < ($1.value.line, $1.key) }.compactMap { name, s in
                guard name == s.key, !name.hasPrefix("strimzi."), !name.hasPrefix("listener.name."),
                    !name.hasPrefix("spec.")
                else { return nil }
                let bare = KnownKeys.strip(s.key, prefixes: aliases)
                guard !KnownKeys.all.contains(bare), !KnownKeys.all.contains(LibrdkafkaNames.javaName[bare] ?? ""),
                    !LibrdkafkaNames.only.contains(bare),
                    let near = KnownKeys.nearest(bare)
                else { return nil }
                return RuleHit(
                    line: s.line, configs: [s.key], message: "\(s.key) is not a Kafka setting; did you mean \(near)?")
            }
        },
        LintRule(
            "KA-OPS-004", .operability, .info, title: "Client without client.id",
            kinds: [.producer, .consumer], keys: ["client.id"], profiles: [.durability: nil],
            rationale:
                "Quotas, request logs and broker metrics identify clients by client.id; a generated one changes on every restart.",
            fix: "Set a stable client.id per application (and instance).",
            fires: RuleExample(.producer, "acks=all\n"),
            passes: RuleExample(.producer, "acks=all\nclient.id=orders-api\n")
        ) { u, _ in
            u.has("client.id")
                ? []
                : [
                    RuleHit(
                        line: u.anchorLine, configs: ["client.id"],
                        message: "no client.id: quotas and metrics cannot name this client")
                ]
        },
        LintRule(
            "KA-OPS-005", .operability, .error, title: "Compacted topics but the log cleaner is off",
            kinds: [.broker], keys: ["log.cleaner.enable"],
            rationale: "Without the cleaner, compacted topics (including __consumer_offsets) grow without bound.",
            fix: "Set log.cleaner.enable=true (the default).",
            fires: RuleExample(.broker, "broker.id=1\nlog.cleaner.enable=false\n"),
            passes: RuleExample(.broker, "broker.id=1\n")
        ) { u, c in
            c.bool(u, "log.cleaner.enable") == false
                ? hit(u, "log.cleaner.enable", "compacted topics and __consumer_offsets will never be compacted") : []
        },
        LintRule(
            "KA-OPS-006", .operability, .info, title: "Retention set in several units",
            kinds: [.broker], keys: ["log.retention.ms", "log.retention.minutes", "log.retention.hours"],
            rationale:
                "log.retention.ms wins over minutes, which wins over hours; setting several invites reading the wrong one.",
            fix: "Keep one of them (log.retention.ms).",
            fires: RuleExample(.broker, "broker.id=1\nlog.retention.hours=168\nlog.retention.ms=86400000\n"),
            passes: RuleExample(.broker, "broker.id=1\nlog.retention.ms=86400000\n")
        ) { u, _ in
            let set = ["log.retention.ms", "log.retention.minutes", "log.retention.hours"].filter { u.has($0) }
            guard set.count > 1 else { return [] }
            return hit(
                u, set[0], "retention is set as \(set.joined(separator: " and ")); \(set[0]) wins",
                also: Array(set.dropFirst()))
        },
        LintRule(
            "KA-OPS-007", .operability, .info, title: "Default partition count of one",
            kinds: [.broker], keys: ["num.partitions"],
            rationale:
                "num.partitions=1 gives every topic created without an explicit count (kafka-topics --create without --partitions, AdminClient with the default) no parallelism. Where auto-creation is on, KA-OPS-001 says so once.",
            fix: "Raise num.partitions to a sensible default (for example 6), or always give topics an explicit count.",
            fires: RuleExample(.broker, "broker.id=1\nauto.create.topics.enable=false\nnum.partitions=1\n"),
            passes: RuleExample(.broker, "broker.id=1\nauto.create.topics.enable=false\nnum.partitions=6\n")
        ) { u, c in
            c.bool(u, "auto.create.topics.enable") == false && u.has("num.partitions")
                && c.int(u, "num.partitions") == 1
                ? hit(u, "num.partitions", "num.partitions=1: topics created without a count get a single partition")
                : []
        },
    ]
}

/// Configuration names the tool knows (its rules, defaults and kind markers), for typo checks outside lint.
public enum ConfigNames {
    /// Whether `key` is a setting the catalog knows (Java or librdkafka name).
    public static func isKnown(_ key: String) -> Bool { KnownKeys.all.contains(key) }

    /// The name within two edits of `key` among `names` (default: every known name), closest first.
    public static func nearest(_ key: String, in names: Set<String>? = nil) -> String? {
        guard let names else { return KnownKeys.nearest(key) }
        return names.filter { abs($0.count - key.count) <= 2 }
            .map { ($0, editDistance(key, $0)) }
            .filter { $0.1 > 0 && $0.1 <= 2 }
            .min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }
}

/// Keys the rule catalog and defaults know, for typo detection.
enum KnownKeys {
    static let all: Set<String> = {
        var keys = Set(ConfigDefaults.common.keys).union(ConfigDefaults.librdkafka.keys)
        for r in LintRules.all { keys.formUnion(r.keys) }
        for (_, markers) in KindDetector.markers { keys.formUnion(markers) }
        keys.formUnion([
            "bootstrap.servers", "client.id", "group.id", "security.protocol", "sasl.mechanism", "sasl.jaas.config",
            "ssl.truststore.location",
            "ssl.truststore.password", "ssl.keystore.location", "ssl.keystore.password", "ssl.key.password",
            "auto.commit.interval.ms",
            "fetch.max.wait.ms", "retry.backoff.ms", "request.timeout.ms", "transaction.timeout.ms", "log.retention.ms",
            "log.retention.minutes",
            "log.retention.bytes", "log.roll.hours", "log.cleanup.policy", "compression.type", "flush.ms",
            "log.flush.interval.ms",
            "num.io.threads", "num.replica.fetchers", "socket.send.buffer.bytes", "socket.receive.buffer.bytes",
            "group.initial.rebalance.delay.ms",
            "partition.assignment.strategy", "interceptor.classes", "metrics.recording.level",
            "connections.max.idle.ms", "metadata.max.age.ms",
            "replication.factor", "message.timestamp.type", "min.cleanable.dirty.ratio", "delete.retention.ms",
            "file.delete.delay.ms",
        ])
        return keys
    }()

    /// A known key within two edits (same number of dots) of `key`.
    /// Known keys as bytes, by length, so a lookup compares only names within two characters.
    static let byLength: [Int: [(String, [UInt8])]] = Dictionary(grouping: all.map { ($0, Array($0.utf8)) }) {
        $0.1.count
    }

    static func nearest(_ key: String) -> String? {
        let a = Array(key.utf8)
        var best: (String, Int)? = nil
        for length in Swift.max(0, a.count - 2)...(a.count + 2) {
            for (k, b) in byLength[length] ?? [] {
                guard let d = boundedDistance(a, b, limit: 2), d > 0 else { continue }
                if let current = best, (current.1, current.0) <= (d, k) { continue }
                best = (k, d)
            }
        }
        return best?.0
    }

    /// Levenshtein distance when it is at most `limit` (a band of width 2·limit+1), else nil.
    static func boundedDistance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int? {
        let n = a.count
        let m = b.count
        guard abs(n - m) <= limit else { return nil }
        if n == 0 || m == 0 { return Swift.max(n, m) }
        let big = limit + 1
        var previous = [Int](repeating: big, count: m + 1)
        var row = [Int](repeating: big, count: m + 1)
        for j in 0...Swift.min(m, limit) { previous[j] = j }
        for i in 1...n {
            for j in 0...m { row[j] = big }
            if i <= limit { row[0] = i }
            var rowMin = row[0]
            let low = Swift.max(1, i - limit)
            let high = Swift.min(m, i + limit)
            if low <= high {
                for j in low...high {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    row[j] = Swift.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost, big)
                    rowMin = Swift.min(rowMin, row[j])
                }
            }
            if rowMin > limit { return nil }
            swap(&previous, &row)
        }
        return previous[m] <= limit ? previous[m] : nil
    }

    /// Prefixes a key may carry before a known name: MirrorMaker 2 cluster aliases (`A.`) and flows
    /// (`A->B.`), Connect's and Streams' client prefixes (`producer.`, `consumer.override.`, …).
    static func prefixes(_ u: ConfigUnit) -> [String] {
        var out = [
            "producer.override.", "consumer.override.", "admin.override.", "producer.", "consumer.", "admin.",
            "main.consumer.", "restore.consumer.", "global.consumer.", "topic.", "source.cluster.", "target.cluster.",
            "source.", "target.",
        ]
        if let clusters = u.value("clusters") {
            out += clusters.split(separator: ",").map { "\($0.trimmingSpaces())." }
        }
        out += u.settings.keys.sorted().compactMap { k -> String? in
            guard let arrow = k.firstIndex(of: ">"), let dot = k[arrow...].firstIndex(of: ".") else { return nil }
            return String(k[...dot])
        }
        return out
    }

    /// `key` without the first prefix it starts with.
    static func strip(_ key: String, prefixes: [String]) -> String {
        for p in prefixes where key.hasPrefix(p) && key.count > p.count { return String(key.dropFirst(p.count)) }
        return key
    }

}

/// Levenshtein distance over UTF-8 bytes: how many edits turn `a` into `b`.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8)
    let b = Array(b.utf8)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var row = Array(0...b.count)
    for i in 1...a.count {
        var previous = row[0]
        row[0] = i
        for j in 1...b.count {
            let current = row[j]
            row[j] = Swift.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
            previous = current
        }
    }
    return row[b.count]
}
