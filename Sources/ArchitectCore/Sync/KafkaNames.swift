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
        if wholeNumber && Int64(value) == nil {
            let unit = key.hasSuffix(".ms") ? "milliseconds, e.g. 604800000 for 7 days" : "a whole number"
            return "'\(value)' is not a whole number: Kafka takes \(unit)"
        }
        if key.hasSuffix(".enable") || key.hasSuffix(".disable") || key == "preallocate" {
            if !["true", "false"].contains(value.lowercased()) { return "'\(value)' is not true or false" }
        }
        if key == "cleanup.policy" {
            let parts = value.split(separator: ",").map { String($0).trimmingSpaces() }
            if parts.isEmpty || !parts.allSatisfy({ ["delete", "compact"].contains($0) }) {
                return "'\(value)' is not delete, compact or compact,delete"
            }
        }
        if key == "min.cleanable.dirty.ratio", Double(value).map({ (0...1).contains($0) }) != true {
            return "'\(value)' is not a ratio between 0 and 1"
        }
        return nil
    }

    /// ACL operations by Kafka's names (AclOperation), and the ones each resource type supports
    /// (Kafka's AclEntry.supportedOperations); All is valid everywhere.
    public static let aclOperations = [
        "All", "Read", "Write", "Create", "Delete", "Alter", "Describe", "ClusterAction", "DescribeConfigs",
        "AlterConfigs", "IdempotentWrite", "CreateTokens", "DescribeTokens",
    ]
    public static let aclSupported: [String: Set<String>] = [
        "Topic": ["Read", "Write", "Create", "Describe", "Delete", "Alter", "DescribeConfigs", "AlterConfigs"],
        "Group": ["Read", "Describe", "Delete"],
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
}
