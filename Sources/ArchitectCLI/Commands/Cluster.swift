import ArgumentParser

extension KafkaArchitect {
    /// `kafka-architect cluster`: read a live cluster.
    struct Cluster: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cluster",
            abstract: "Read a live cluster: API versions, brokers, topics and partitions.",
            discussion: """
                Speaks Kafka's protocol natively (no librdkafka). Connection problems
                print one line and exit with code 3 within --timeout.

                Secured clusters: --command-config FILE with the Java client's properties
                (security.protocol SSL/SASL_SSL/SASL_PLAINTEXT; sasl.mechanism PLAIN,
                SCRAM-SHA-256 or SCRAM-SHA-512; sasl.jaas.config; PEM trust and key stores).

                Examples:
                  kafka-architect cluster api-versions --bootstrap localhost:9092
                  kafka-architect cluster describe --bootstrap localhost:9092 --format json
                  kafka-architect cluster describe --bootstrap kafka:9093 --command-config client.properties

                Exit codes: 0 ok, 2 usage or input error (including a bad
                --command-config), 3 cluster or connection error (api-versions:
                also when any broker did not answer; the others are still listed).
                Docs: docs/protocol.md.
                """,
            subcommands: [ApiVersions.self, Describe.self, Snapshot.self]
        )
    }
}
