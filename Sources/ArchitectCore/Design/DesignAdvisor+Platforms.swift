// Kafka Streams applications and Kafka Connect worker clusters: their internal topics, groups, ACLs
// and configuration, beside what they read and write like any service.

extension DesignAdvisor {
    /// A Connect cluster's three compacted topics, as Connect's documentation sizes them: configs in one
    /// partition (its order is the cluster's order of changes), offsets in 25, status in 5.
    static func connectTopics(_ s: ServiceSpec, prefix: String, policy: Policy) -> [DesignedTopic] {
        let base = "\(prefix)\(s.name)"
        return [("configs", 1), ("offsets", 25), ("status", 5)].map { suffix, partitions in
            DesignedTopic(
                name: "\(base).\(suffix)", purpose: .internal, entity: "\(s.name).connect", partitions: partitions,
                replicationFactor: policy.replicationFactor,
                configs: [
                    (key: "cleanup.policy", value: "compact"),
                    (key: "min.insync.replicas", value: String(policy.minInsyncReplicas)),
                ],
                notes: ["the Connect cluster \(s.name)'s \(suffix) (compacted; Connect requires it)"], tenant: s.tenant)
        }
    }

    static func platformTopics(_ d: DesignModel, policy: Policy) -> [DesignedTopic] {
        d.services.filter { $0.kind == .connect }.flatMap { s in
            connectTopics(s, prefix: tenantPrefix(s, d), policy: policy)
        }
    }

    static func tenantPrefix(_ s: ServiceSpec, _ d: DesignModel) -> String {
        s.tenant.flatMap { t in d.tenants.first { $0.name == t }?.prefix } ?? ""
    }

    /// The ACLs a platform needs beyond its streams': Streams creates and manages topics and
    /// transactional ids under its `application.id`; Connect reads and writes its three topics and its
    /// worker group (its sink connector's group `connect-<name>` is the service's consumer group, literal:
    /// a `connect-` prefix would let it reset every other Connect cluster's sinks).
    static func platformAcls(_ s: ServiceSpec, prefix: String, exactlyOnce: Bool) -> [AclEntry] {
        let p = s.effectivePrincipal
        let id = "\(prefix)\(s.name)"
        func acl(_ type: AclEntry.ResourceType, _ name: String, _ pattern: AclEntry.PatternType, _ ops: [String])
            -> [AclEntry]
        {
            ops.map {
                AclEntry(principal: p, resourceType: type, resourceName: name, patternType: pattern, operation: $0)
            }
        }
        switch s.kind {
        case .client:
            return []
        case .streams:
            return acl(
                .topic, "\(id)-", .prefixed, ["Create", "Delete", "Read", "Write", "Describe", "DescribeConfigs"])
                + (exactlyOnce ? acl(.transactionalId, "\(id)-", .prefixed, ["Write", "Describe"]) : [])
        case .connect:
            return ["configs", "offsets", "status"].flatMap {
                acl(.topic, "\(id).\($0)", .literal, ["Read", "Write", "Describe", "DescribeConfigs"])
            } + acl(.group, id, .literal, ["Read"])
                + (exactlyOnce
                    ? acl(.transactionalId, "\(id)-", .prefixed, ["Write", "Describe"])
                        + acl(.transactionalId, "connect-cluster-\(id)", .literal, ["Write", "Describe"]) : [])
        }
    }

    /// How many stream threads the instances need in all: one per task to process them all at once;
    /// set per instance from the environment (threads in all ÷ instances).
    static func streamThreadsReason(_ s: ServiceSpec) -> String {
        let wanted = s.consumes.compactMap(\.consumers).max()
        return
            "per instance, from the environment: \(wanted.map { "the design plans \($0) threads in all" } ?? "one thread per input partition in all") (a thread runs one task at a time; a task is one partition of each input, of each co-partitioned input when they are joined), so set it to that ÷ the instances"
    }

    /// Confluent's Streams serde for a registry format (nil: schemaless, the application picks its serde).
    static func streamsSerde(_ f: SchemaFormat?) -> String? {
        switch f {
        case .avro: "io.confluent.kafka.streams.serdes.avro.GenericAvroSerde"
        case .protobuf: "io.confluent.kafka.streams.serdes.protobuf.KafkaProtobufSerde"
        case .jsonSchema: "io.confluent.kafka.streams.serdes.json.KafkaJsonSchemaSerde"
        case .json, nil: nil
        }
    }

    /// A Streams application's configuration: its producer, consumer and admin settings in one file.
    static func streamsConfig(
        _ s: ServiceSpec, applicationId: String, exactlyOnce: Bool, policy: Policy, settings: ClientSettings
    ) -> ClientConfig {
        var p = security(s, tls: settings.tls)
        p += [
            ("application.id", applicationId),
            ("processing.guarantee", exactlyOnce ? "exactly_once_v2" : "at_least_once"),
            ("replication.factor", String(policy.replicationFactor)),
            ("topic.min.insync.replicas", String(policy.minInsyncReplicas)),
            ("num.standby.replicas", "1"),
            ("num.stream.threads", "${env:NUM_STREAM_THREADS}"),
            ("state.dir", "/var/lib/kafka-streams/\(s.name)"),
            ("producer.compression.type", "zstd"),
            // Streams' exactly-once default is 10 s; 60 s as every transactional producer of the design,
            // which the hanging-transaction alerts and runbook count on.
            ("producer.transaction.timeout.ms", "60000"),
            ("producer.linger.ms", String(linger(exactlyOnce ? .exactlyOnce : .atLeastOnce, settings).ms)),
            ("consumer.auto.offset.reset", offsetReset(s, downstream: settings.effectsDownstream).value.rawValue),
            ("default.key.serde", "org.apache.kafka.common.serialization.Serdes$StringSerde"),
        ]
        if settings.followerFetching { p.append(("consumer.client.rack", "${env:CLIENT_RACK}")) }
        if let serde = streamsSerde(settings.producedFormat ?? settings.consumedFormat) {
            // Streams hands its configuration to the default serdes: they use the registry as producers do.
            // Streams registers the subjects of its own changelog and repartition topics
            // (<application.id>-…-value), which no script can know in advance: its serdes register. Its
            // input and output subjects exist first (register-schemas.sh), with their compatibility, so
            // an incompatible schema is refused there.
            p += [
                ("default.value.serde", serde), ("schema.registry.url", "${env:SCHEMA_REGISTRY_URL}"),
                ("auto.register.schemas", "true"),
            ]
        }
        var c = ClientConfig(
            service: s.name, role: .streams, guarantee: exactlyOnce ? .exactlyOnce : .atLeastOnce,
            properties: p.map { (key: $0.0, value: $0.1) })
        c.reasons["application.id"] =
            "the group id and the prefix of its internal topics (changelogs, repartitions) and transactional ids, which its ACLs allow"
        c.reasons["num.stream.threads"] = streamThreadsReason(s)
        c.reasons["default.value.serde"] =
            "for the value format of what it writes; pass serdes for other formats in code (Consumed.with / Produced.with)"
        c.reasons["auto.register.schemas"] =
            "true for a Streams application only: it must register the subjects of its changelog and repartition topics (<application.id>-…), unknown before it runs; its input and output subjects are registered first by register-schemas.sh with their compatibility, so an incompatible schema is refused"
        c.reasons["num.standby.replicas"] =
            "a warm copy of each state store: a failed instance's tasks resume without a full restore"
        c.reasons["consumer.auto.offset.reset"] = offsetReset(s, downstream: settings.effectsDownstream).reason
        if !exactlyOnce {
            c.reasons["processing.guarantee"] =
                s.consumes.allSatisfy(\.idempotent)
                ? "at_least_once: its processing is idempotent, so records processed again after a failure change nothing; exactly_once_v2 would add a transaction per commit"
                : "at_least_once, as the design asks: records may be processed again after a failure"
        }
        return c
    }

    // Long because: one line per worker setting, with the security settings repeated for its clients.
    /// A Connect worker's configuration: the cluster's topics and group, converters for the design's
    /// formats, and the worker's security repeated for the producers, consumers and admin clients it
    /// runs for connectors.
    static func connectConfig(
        _ s: ServiceSpec, groupId: String, exactlyOnce: Bool, policy: Policy, settings: ClientSettings
    ) -> ClientConfig {
        let security = security(s, tls: settings.tls)
        var p = security
        let rf = String(policy.replicationFactor)
        p += [
            ("group.id", groupId),
            ("config.storage.topic", "\(groupId).configs"), ("config.storage.replication.factor", rf),
            ("offset.storage.topic", "\(groupId).offsets"), ("offset.storage.replication.factor", rf),
            ("offset.storage.partitions", "25"),
            ("status.storage.topic", "\(groupId).status"), ("status.storage.replication.factor", rf),
            ("status.storage.partitions", "5"),
            ("key.converter", "org.apache.kafka.connect.storage.StringConverter"),
        ]
        let format = settings.producedFormat ?? settings.consumedFormat
        switch format {
        case .avro: p.append(("value.converter", "io.confluent.connect.avro.AvroConverter"))
        case .protobuf: p.append(("value.converter", "io.confluent.connect.protobuf.ProtobufConverter"))
        case .jsonSchema: p.append(("value.converter", "io.confluent.connect.json.JsonSchemaConverter"))
        case .json, nil:
            p += [
                ("value.converter", "org.apache.kafka.connect.json.JsonConverter"),
                ("value.converter.schemas.enable", "false"),
            ]
        }
        if let format, format != .json {
            p.append(("value.converter.schema.registry.url", "${env:SCHEMA_REGISTRY_URL}"))
            if settings.stage != .development { p.append(("value.converter.auto.register.schemas", "false")) }
        }
        if exactlyOnce { p.append(("exactly.once.source.support", "enabled")) }
        // Connectors' clients take the worker's own settings only when repeated under these prefixes.
        for prefix in ["producer.", "consumer.", "admin."] {
            p += security.filter { $0.0 != "bootstrap.servers" && $0.0 != "client.id" }.map { (prefix + $0.0, $0.1) }
        }
        if settings.followerFetching { p.append(("consumer.client.rack", "${env:CLIENT_RACK}")) }
        p.append(("connector.client.config.override.policy", "None"))
        var c = ClientConfig(
            service: s.name, role: .connectWorker, guarantee: exactlyOnce ? .exactlyOnce : .atLeastOnce,
            properties: p.map { (key: $0.0, value: $0.1) })
        c.reasons["connector.client.config.override.policy"] =
            "None: connectors cannot override the workers' client settings, so they run with the workers' principal and limits"
        return c
    }
}
