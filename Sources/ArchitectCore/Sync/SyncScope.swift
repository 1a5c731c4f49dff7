// What the architecture file can state, in one rule that `import` and `diff --prune` share: a resource import
// leaves out (Kafka's internal topics, a sensitive or unknown config, an ACL the file format cannot state, a
// quota key it does not name) is never deleted or reset by --prune, since no file could have kept it.

public enum SyncScope {
    /// Why the file cannot manage this topic, or nil: Kafka's internal topics and the `__`-prefixed ones
    /// clusters and their tools keep for themselves (`__consumer_offsets`, `__transaction_state`,
    /// `__cluster_metadata`, `__confluent…`).
    public static func topicExcluded(_ t: ClusterSnapshot.Topic) -> String? {
        if t.internal { return "internal to Kafka" }
        if t.name.hasPrefix("__") { return "a `__` topic Kafka or its tools keep for themselves" }
        if t.partitions.isEmpty { return "Metadata gave it no partitions (a read error?)" }
        return nil
    }

    /// Why `--prune` keeps a topic the file does not mention, or nil: topics other systems own by convention —
    /// `_`-prefixed (Schema Registry's `_schemas`, `_confluent-*`), Kafka Streams' `-changelog` and
    /// `-repartition` topics, Kafka Connect's `connect-configs`/`connect-offsets`/`connect-status` — whose loss
    /// breaks those systems. Name them in the file to manage them.
    public static func pruneProtected(_ name: String) -> String? {
        if name.hasPrefix("_") { return "a `_` topic (Schema Registry, Confluent)" }
        if name.hasSuffix("-changelog") || name.hasSuffix("-repartition") { return "a Kafka Streams internal topic" }
        if ["connect-configs", "connect-offsets", "connect-status"].contains(name) {
            return "a Kafka Connect internal topic"
        }
        return nil
    }

    /// Why the file cannot state this topic config set on the cluster, or nil.
    public static func configExcluded(_ key: String, _ entry: ClusterSnapshot.ConfigEntry) -> String? {
        guard let value = entry.value, !entry.sensitive else {
            return "\(key) is set on the topic but sensitive: its value is not shown; add it by hand"
        }
        if !KafkaNames.topicConfigs.contains(key) && !key.hasPrefix("confluent.") {
            return "\(key) = \(value) is not a topic config this build knows: left out"
        }
        if let problem = KafkaNames.topicConfigProblem(key, value) { return "\(key) = \(value) left out: \(problem)" }
        return nil
    }

    /// Why the file cannot state this ACL binding, or nil.
    public static func aclExcluded(_ a: ClusterSnapshot.Acl) -> String? {
        if let ok = KafkaNames.aclSupported[a.resourceType], a.operation != "All", !ok.contains(a.operation) {
            return "\(SyncPlanner.aclName(a)): \(a.operation) does not apply to a \(a.resourceType), it grants nothing"
        }
        if a.resourceType == "Cluster" && a.resourceName != "kafka-cluster" {
            return "\(SyncPlanner.aclName(a)): a Cluster binding names kafka-cluster; this one grants nothing"
        }
        if KafkaNames.aclSupported[a.resourceType] == nil || !KafkaNames.aclOperations.contains(a.operation)
            || !["Literal", "Prefixed"].contains(a.patternType) || !["Allow", "Deny"].contains(a.permission)
        {
            return "\(SyncPlanner.aclName(a)): not a binding this file format can state"
        }
        return nil
    }

    /// The file's name for a Kafka quota key, or nil when the file format does not name it.
    public static func quotaFileName(_ kafkaKey: String) -> String? {
        KafkaNames.quotaKeys.first { $0.kafka == kafkaKey }?.file
    }
}
