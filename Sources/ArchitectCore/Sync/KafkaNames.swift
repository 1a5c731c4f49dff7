// What Kafka accepts for the resources a file manages: topic names, topic configs, ACL operations and resource
// types, quota keys. Checked when the file is read, so `apply` never sends a request Kafka would refuse for a
// reason the file could have shown.

public enum KafkaNames {
    /// Why Kafka would reject `name` as a topic name, or nil (Kafka's Topic.validate: 1 to 249 characters of
    /// ASCII letters, digits, '.', '_' and '-', and not "." or "..").
    public static func topicNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "a topic name cannot be empty" }
        if name == "." || name == ".." { return "'\(name)' is not a valid topic name" }
        if name.utf8.count > 249 { return "a topic name has at most 249 characters (this one has \(name.utf8.count))" }
        let legal = name.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "." || c == "_"
                || c == "-"
        }
        if !legal {
            return
                "'\(name)' has a character Kafka does not allow in topic names: use letters, digits, '.', '_' and '-'"
        }
        return nil
    }

    /// Two topic names Kafka refuses side by side: they differ only in '.' and '_', and their metric names
    /// collide (Topic.hasCollision).
    public static func collisionKey(_ name: String) -> String {
        String(name.map { $0 == "." ? "_" : $0 })
    }

    /// Topic-level configs (Kafka 4.x TopicConfig and LogConfig); `confluent.` ones pass through.
    public static let topicConfigs: Set<String> = [
        "cleanup.policy", "compression.type", "compression.gzip.level", "compression.lz4.level",
        "compression.zstd.level", "delete.retention.ms", "file.delete.delay.ms", "flush.messages", "flush.ms",
        "follower.replication.throttled.replicas", "index.interval.bytes", "leader.replication.throttled.replicas",
        "local.retention.bytes", "local.retention.ms", "max.compaction.lag.ms", "max.message.bytes",
        "message.downconversion.enable", "message.format.version", "message.timestamp.after.max.ms",
        "message.timestamp.before.max.ms", "message.timestamp.difference.max.ms", "message.timestamp.type",
        "min.cleanable.dirty.ratio", "min.compaction.lag.ms", "min.insync.replicas", "preallocate",
        "remote.storage.enable", "remote.log.copy.disable", "remote.log.delete.on.disable", "retention.bytes",
        "retention.ms", "segment.bytes", "segment.index.bytes", "segment.jitter.ms", "segment.ms",
        "unclean.leader.election.enable",
    ]

    /// Why Kafka would reject `value` for topic config `key`, or nil. Numbers are Kafka's raw units
    /// (milliseconds, bytes), as kafka-configs.sh takes them.
    public static func topicConfigProblem(_ key: String, _ value: String) -> String? {
        let wholeNumber =
            key.hasSuffix(".ms") || key.hasSuffix(".bytes") || key.hasSuffix(".messages")
            || key == "min.insync.replicas" || key.hasSuffix(".level")
        if wholeNumber {
            guard let n = Int64(value) else {
                let unit = key.hasSuffix(".ms") ? "milliseconds, e.g. 604800000 for 7 days" : "a whole number"
                return "'\(value)' is not a whole number: Kafka takes \(unit)"
            }
            if let problem = rangeProblem(key, n) { return "'\(value)' is out of range: \(problem)" }
        }
        if let allowed = enumValues[key], !allowed.contains(value) {
            let near = allowed.first { $0.lowercased() == value.lowercased() }
            return "'\(value)' is not one of \(allowed.joined(separator: ", "))"
                + (near.map { " (Kafka compares exactly: write \($0))" } ?? "")
        }
        if key.hasSuffix(".enable") || key.hasSuffix(".disable") || key == "preallocate" {
            if !["true", "false"].contains(value.lowercased()) { return "'\(value)' is not true or false" }
        }
        if key == "cleanup.policy" {
            let parts = value.split(separator: ",").map { String($0).trimmingSpaces() }
            if parts.isEmpty || !parts.allSatisfy({ ["delete", "compact"].contains($0) }) {
                return "'\(value)' is not delete, compact or compact,delete (lower case)"
            }
        }
        if key == "min.cleanable.dirty.ratio", Double(value).map({ (0...1).contains($0) }) != true {
            return "'\(value)' is not a ratio between 0 and 1"
        }
        return nil
    }

    /// Configs whose values are one of a list, compared exactly as Kafka's ValidString does.
    static let enumValues: [String: [String]] = [
        "compression.type": ["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"],
        "message.timestamp.type": ["CreateTime", "LogAppendTime"],
    ]

    /// Kafka's lower bounds (LogConfig's validators) and, for the configs Kafka types as INT, the 32-bit limit.
    static func rangeProblem(_ key: String, _ n: Int64) -> String? {
        let int32 = [
            "min.insync.replicas", "max.message.bytes", "segment.bytes", "segment.index.bytes", "index.interval.bytes",
            "compression.gzip.level", "compression.lz4.level", "compression.zstd.level",
        ]
        if int32.contains(key) && n > Int64(Int32.max) { return "Kafka takes at most \(Int32.max) for \(key)" }
        let least: Int64
        switch key {
        case "retention.ms": least = -1
        case "local.retention.ms", "local.retention.bytes": least = -2
        case "min.insync.replicas", "segment.ms", "max.compaction.lag.ms": least = 1
        // 1 MiB since Kafka 4.0 (KIP-1030; earlier versions took 14 bytes).
        case "segment.bytes": least = 1_048_576
        // Kafka's GzipCompression (1–9, or -1 for the default), Lz4Compression (1–17), ZstdCompression (-131072–22).
        case "compression.gzip.level":
            return n == -1 || (1...9).contains(n) ? nil : "gzip levels are 1 to 9, or -1 for the default"
        case "compression.lz4.level": return (1...17).contains(n) ? nil : "lz4 levels are 1 to 17"
        case "compression.zstd.level": return (-131_072...22).contains(n) ? nil : "zstd levels are -131072 to 22"
        // retention.bytes takes any value (negative: no limit).
        case "retention.bytes": return nil
        default: least = 0
        }
        guard n < least else { return nil }
        return least == -1
            ? "at least -1 (-1 means no limit)"
            : least == -2 ? "at least -2 (-2 means the same as retention)" : "at least \(least)"
    }

    /// ACL operations by Kafka's names (AclOperation), and the ones each resource type supports
    /// (Kafka's AclEntry.supportedOperations); All is valid everywhere.
    public static let aclOperations = [
        "All", "Read", "Write", "Create", "Delete", "Alter", "Describe", "ClusterAction", "DescribeConfigs",
        "AlterConfigs", "IdempotentWrite", "CreateTokens", "DescribeTokens",
    ]
    public static let aclSupported: [String: Set<String>] = [
        "Topic": ["Read", "Write", "Create", "Describe", "Delete", "Alter", "DescribeConfigs", "AlterConfigs"],
        // DescribeConfigs and AlterConfigs on a group are Kafka 4.0's (KIP-848 group configs).
        "Group": ["Read", "Describe", "Delete", "DescribeConfigs", "AlterConfigs"],
        "Cluster": [
            "Create", "ClusterAction", "DescribeConfigs", "AlterConfigs", "IdempotentWrite", "Alter", "Describe",
        ],
        "TransactionalId": ["Describe", "Write"],
        "DelegationToken": ["Describe"],
        "User": ["CreateTokens", "DescribeTokens"],
    ]

    /// Quota keys (Kafka's QuotaConfig) by the file's names.
    public static let quotaKeys: [(file: String, kafka: String)] = [
        ("producerByteRate", "producer_byte_rate"), ("consumerByteRate", "consumer_byte_rate"),
        ("requestPercentage", "request_percentage"), ("controllerMutationRate", "controller_mutation_rate"),
        ("connectionCreationRate", "connection_creation_rate"),
    ]

    /// An IPv4 address in dotted decimal or an IPv6 address (what Kafka's ip quota entity takes).
    public static func isIPAddress(_ s: String) -> Bool {
        let v4 = s.split(separator: ".", omittingEmptySubsequences: false)
        if v4.count == 4 {
            return v4.allSatisfy { (p: Substring) in
                p.count <= 3 && !p.isEmpty && p.allSatisfy(\.isASCIIDigit) && (Int(p) ?? 256) <= 255
            }
        }
        guard s.contains(":"), s.count <= 45 else { return false }
        // Groups of 1–4 hex digits between colons; one `::` may stand for a run of zero groups.
        let pieces = s.split(separator: ":", omittingEmptySubsequences: false)
        let empties = pieces.indices.filter { pieces[$0].isEmpty }
        let compressed = !empties.isEmpty
        if compressed {
            // `::` is two adjacent colons: empty pieces only there (and at the ends it touches).
            guard let first = empties.first, let last = empties.last, last - first == empties.count - 1,
                empties.count <= 3, first != 0 || empties.contains(1),
                last != pieces.count - 1 || empties.contains(pieces.count - 2)
            else { return false }
        }
        let parts = pieces.filter { !$0.isEmpty }
        let hex = parts.allSatisfy { (p: Substring) in (1...4).contains(p.count) && p.allSatisfy(\.isHexDigit) }
        return hex && (compressed ? parts.count < 8 : parts.count == 8)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
