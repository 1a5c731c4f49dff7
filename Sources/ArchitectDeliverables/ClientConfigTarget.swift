import ArchitectCore

/// One properties file per service and role, in Java and librdkafka spellings.
enum ClientConfigTarget {
    /// Java names with a different librdkafka spelling; the rest are the same in both clients.
    static let librdkafkaName: [String: String] = [
        "sasl.mechanism": "sasl.mechanisms",
        "max.in.flight.requests.per.connection": "max.in.flight",
        "delivery.timeout.ms": "message.timeout.ms",
        "ssl.truststore.location": "ssl.ca.location",
        "max.request.size": "message.max.bytes",
    ]
    /// Java-only settings librdkafka does not have.
    static let javaOnly: Set<String> = [
        "key.serializer", "value.serializer", "key.deserializer", "value.deserializer", "sasl.jaas.config",
        "partition.assignment.strategy", "max.poll.records", "batch.size", "ssl.truststore.type",
        // librdkafka has no such setting: OpenSSL 1.1+ offers TLS 1.2 and 1.3 only by default on Debian and RHEL.
        "ssl.enabled.protocols",
        // Schema Registry serializer settings: librdkafka clients serialize in code (e.g. confluent-kafka's
        // AvroSerializer), with the same registry and registration rules.
        "schema.registry.url", "auto.register.schemas", "use.latest.version",
    ]

    static func files(_ r: DesignResult) -> [GeneratedFile] {
        // Streams and Connect are Java only: one properties file each.
        r.clientConfigs.flatMap { c in
            c.role == .producer || c.role == .consumer ? [javaFile(c), librdkafkaFile(c)] : [javaFile(c)]
        }
    }

    /// Why a property has its value, as a comment line above it (none when the design gives no reason).
    static func reason(_ c: ClientConfig, _ key: String) -> [String] {
        guard let why = c.reasons[key] else { return [] }
        let value = c.properties.first { $0.key == key }?.value
        // A deliberate choice a review rule would question carries its reason as the rule's suppression.
        if let rule = deliberate.first(where: { $0.key == key && $0.value == value })?.rule {
            return ["# kafka-architect:disable \(rule) \(key): \(why)"]
        }
        return ["# \(key): \(why)"]
    }

    /// Settings the design chooses on purpose that `lint` flags in general, with the rule each silences.
    static let deliberate: [(key: String, value: String, rule: String)] = [
        ("auto.offset.reset", "latest", "KA-DUR-017"), ("consumer.auto.offset.reset", "latest", "KA-DUR-017"),
        ("processing.guarantee", "at_least_once", "KA-DUR-018"),
    ]

    /// What a transactional producer's file says about its `transactional.id`.
    static func transactionalNote(_ c: ClientConfig) -> [String] {
        guard c.properties.contains(where: { $0.key == "transactional.id" }) else { return [] }
        return [
            "# transactional.id: one per instance, the same across the instance's restarts (a restarted instance then",
            "# fences its previous incarnation). Run the producers as a StatefulSet, whose pods' HOSTNAME is",
            "# <name>-<ordinal>; elsewhere set HOSTNAME to a stable instance name. ACLs allow the prefix.",
        ]
    }

    /// What a follower-fetching consumer's file says about `client.rack`.
    static func rackNote(_ c: ClientConfig) -> [String] {
        guard c.properties.contains(where: { $0.key.hasSuffix("client.rack") }) else { return [] }
        return [
            "# client.rack: the zone this instance runs in, spelled as the brokers' broker.rack (e.g. the AWS zone id",
            "# euc1-az1, or the node's topology.kubernetes.io/zone label): consumers then fetch from a replica in their zone.",
        ]
    }

    /// Java client properties, with the config providers its `${env:…}` and `${file:…}` values need.
    static func javaFile(_ c: ClientConfig) -> GeneratedFile {
        let header = ["# \(Deliverables.header)", "# \(c.service) \(c.role.rawValue), \(c.guarantee.rawValue)"]
        let providers = ConfigProviders.declarations(for: c.properties.map(\.value))
        let lines =
            header + transactionalNote(c) + rackNote(c) + providers
            + c.properties.flatMap { p in reason(c, p.key) + ["\(p.key)=\(p.value)"] }
        return GeneratedFile(
            path: "client-configs/\(c.service)-\(c.role.rawValue).properties",
            contents: lines.joined(separator: "\n") + "\n")
    }

    /// librdkafka has no config providers: the file is rendered at deploy time with `envsubst`,
    /// naming the variables to substitute so nothing else (and no secret) is expanded or written.
    static func librdkafkaFile(_ c: ClientConfig) -> GeneratedFile {
        var body: [String] = []
        for p in c.properties where !javaOnly.contains(p.key) {
            body += reason(c, p.key)
            // librdkafka spells the Java client's auto.offset.reset=none as error.
            let value = p.key == "auto.offset.reset" && p.value == "none" ? "error" : p.value
            body.append("\(librdkafkaName[p.key] ?? p.key)=\(ConfigProviders.shellStyle(value))")
        }
        if c.properties.contains(where: { $0.key == "sasl.jaas.config" }) { body.append("sasl.username=\(c.service)") }
        // Commit after processing: store offsets explicitly, commit them manually. Incremental
        // rebalances, as the Java twin's CooperativeStickyAssignor (librdkafka's default is eager).
        if c.role == .consumer {
            body += ["enable.auto.offset.store=false", "partition.assignment.strategy=cooperative-sticky"]
        }
        let variables = ConfigProviders.variables(in: body.joined(separator: "\n"))
        let name = "\(c.service)-\(c.role.rawValue).librdkafka.conf"
        var header = [
            "# \(Deliverables.header)", "# \(c.service) \(c.role.rawValue), \(c.guarantee.rawValue)",
            "# librdkafka spelling (confluent-kafka-python, -go, -dotnet, node-rdkafka)",
        ]
        if !variables.isEmpty {
            let list = variables.map { "${\($0)}" }.joined(separator: " ")
            header.append(
                "# Render at deploy time, expanding only these variables: envsubst '\(list)' < \(name) > client.conf")
        }
        if c.properties.contains(where: { $0.key == "sasl.jaas.config" }) {
            header.append(
                "# sasl.password is not in this file: set it in code from the KAFKA_PASSWORD environment variable (or a secret store)."
            )
        }
        header += transactionalNote(c) + rackNote(c)
        return GeneratedFile(path: "client-configs/" + name, contents: (header + body).joined(separator: "\n") + "\n")
    }
}
