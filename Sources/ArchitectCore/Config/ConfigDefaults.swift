// Defaults by client, Kafka version and dialect: rules read effective values, so an absent key is
// its default for the declared version (e.g. producer acks=all and idempotence from 3.0, KIP-679).

public enum ConfigDefaults {
    /// The effective value of `key`: as written, else the default for this kind, dialect and version.
    public static func effective(_ unit: ConfigUnit, _ key: String, version: KafkaVersion) -> String? {
        unit.value(key) ?? unit.inherited[key]
            ?? defaultValue(key, kind: unit.kind, dialect: unit.dialect, version: unit.version ?? version)
    }

    public static func defaultValue(_ key: String, kind: ConfigKind, dialect: ConfigDialect, version: KafkaVersion)
        -> String?
    {
        if dialect == .librdkafka, let v = librdkafka[key] { return v }
        let v3 = version >= KafkaVersion(3, 0)
        let v4 = version >= KafkaVersion(4, 0)
        switch (kind, key) {
        case (.producer, "acks"): return v3 ? "all" : "1"
        case (.producer, "enable.idempotence"): return v3 ? "true" : "false"
        case (.producer, "linger.ms"): return v4 ? "5" : "0"
        case (.consumer, "session.timeout.ms"): return v3 ? "45000" : "10000"
        default: break
        }
        return common[key]
    }

    /// librdkafka's own defaults where they differ from the Java client's.
    static let librdkafka: [String: String] = [
        "acks": "all", "enable.idempotence": "false", "linger.ms": "5", "retries": "2147483647",
        "max.in.flight.requests.per.connection": "1000000", "isolation.level": "read_committed",
        "session.timeout.ms": "45000", "max.request.size": "1000000", "delivery.timeout.ms": "300000",
        "ssl.endpoint.identification.algorithm": "https", "enable.ssl.certificate.verification": "true",
    ]

    /// Java client, broker and topic defaults that did not change between 2.8 and 4.x.
    static let common: [String: String] = [
        // producer
        "retries": "2147483647", "max.in.flight.requests.per.connection": "5", "batch.size": "16384",
        "compression.type": "none", "max.request.size": "1048576", "delivery.timeout.ms": "120000",
        "request.timeout.ms": "30000", "buffer.memory": "33554432",
        // consumer
        "enable.auto.commit": "true", "auto.offset.reset": "latest", "heartbeat.interval.ms": "3000",
        "max.poll.interval.ms": "300000", "max.poll.records": "500", "isolation.level": "read_uncommitted",
        "fetch.max.bytes": "52428800", "max.partition.fetch.bytes": "1048576", "fetch.min.bytes": "1",
        // clients
        "security.protocol": "PLAINTEXT", "ssl.endpoint.identification.algorithm": "https",
        // broker
        "min.insync.replicas": "1", "default.replication.factor": "1", "unclean.leader.election.enable": "false",
        "auto.create.topics.enable": "true", "num.partitions": "1", "offsets.topic.replication.factor": "3",
        "transaction.state.log.replication.factor": "3", "transaction.state.log.min.isr": "2",
        "message.max.bytes": "1048588", "replica.fetch.max.bytes": "1048576", "log.segment.bytes": "1073741824",
        "allow.everyone.if.no.acl.found": "false", "controlled.shutdown.enable": "true",
        "replica.lag.time.max.ms": "30000",
        "log.cleaner.enable": "true", "delete.topic.enable": "true",
        // topic
        "cleanup.policy": "delete", "retention.ms": "604800000", "retention.bytes": "-1", "segment.bytes": "1073741824",
        "segment.ms": "604800000", "max.message.bytes": "1048588",
    ]
}
