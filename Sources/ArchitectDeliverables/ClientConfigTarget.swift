import ArchitectCore

/// One properties file per service and role, in Java and librdkafka spellings.
enum ClientConfigTarget {
    /// Java names with a different librdkafka spelling; the rest are the same in both clients.
    static let librdkafkaName: [String: String] = [
        "sasl.mechanism": "sasl.mechanisms",
        "max.in.flight.requests.per.connection": "max.in.flight",
        "delivery.timeout.ms": "message.timeout.ms",
    ]
    /// Java-only settings librdkafka does not have.
    static let javaOnly: Set<String> = [
        "key.serializer", "value.serializer", "key.deserializer", "value.deserializer", "sasl.jaas.config",
        "partition.assignment.strategy", "max.poll.records", "batch.size",
    ]

    static func files(_ r: DesignResult) -> [GeneratedFile] {
        var files: [GeneratedFile] = []
        for c in r.clientConfigs {
            let base = "client-configs/\(c.service)-\(c.role.rawValue)"
            let header = ["# \(Deliverables.header)", "# \(c.service) \(c.role.rawValue), \(c.guarantee.rawValue)"]
            files.append(
                GeneratedFile(
                    path: base + ".properties",
                    contents: (header + c.properties.map { "\($0.key)=\($0.value)" }).joined(separator: "\n") + "\n"))
            var rd = header + ["# librdkafka spelling (confluent-kafka-python, -go, -dotnet, node-rdkafka)"]
            for p in c.properties where !javaOnly.contains(p.key) {
                rd.append("\(librdkafkaName[p.key] ?? p.key)=\(p.value)")
            }
            if c.properties.contains(where: { $0.key == "sasl.jaas.config" }) {
                // librdkafka has no config providers: the application substitutes the secret when it loads the file.
                rd += [
                    "# ${...} values (bootstrap servers, password): substitute them when loading this file; librdkafka has no config providers",
                    "sasl.username=\(c.service)", "sasl.password=${KAFKA_PASSWORD}",
                ]
            }
            if c.role == .consumer {
                // Commit after processing: store offsets explicitly, commit them manually.
                rd.append("enable.auto.offset.store=false")
            }
            files.append(GeneratedFile(path: base + ".librdkafka.conf", contents: rd.joined(separator: "\n") + "\n"))
        }
        return files
    }
}
