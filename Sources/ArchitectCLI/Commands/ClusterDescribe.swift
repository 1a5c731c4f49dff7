import ArchitectCore
import ArchitectReports
import ArgumentParser
import KafkaAdmin
import KafkaClient
import NIOCore

extension KafkaArchitect.Cluster {
    /// `kafka-architect cluster describe`: brokers, controller, topics and partitions.
    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "describe",
            abstract:
                "Brokers (id, host, port, rack), controller, and topics with partitions, leader, replicas, ISR and offline replicas.",
            discussion: """
                Brokers are listed with the leaders and replicas they hold (over the whole
                cluster, even when --topic or a partition filter narrows the topics).

                Examples:
                  kafka-architect cluster describe --bootstrap localhost:9092 --format json
                  kafka-architect cluster describe --bootstrap localhost:9092 --under-replicated
                  kafka-architect cluster describe --bootstrap localhost:9092 --topic orders --under-min-isr
                  kafka-architect cluster describe --bootstrap kafka:9093 \\
                    --command-config client.properties
                """
        )
        @OptionGroup var cluster: ClusterOptions
        @OptionGroup var listing: ListingOptions
        @Option(name: .customLong("topic"), help: "Only this topic (repeat for several).") var topics: [String] = []
        @Flag(help: "Only partitions whose ISR is smaller than their replica set.") var underReplicated = false
        @Flag(help: "Only partitions whose ISR is below the topic's min.insync.replicas (read with DescribeConfigs).")
        var underMinIsr = false
        @Flag(help: "Only partitions without a leader.") var unavailable = false

        func validate() throws { try cluster.requireBootstrap() }

        func run() async throws {
            let connection = try cluster.connection()
            // Every request, connection attempt and retry ends by --timeout.
            let deadline = NIODeadline.now() + TimeAmount.milliseconds(Int64(try cluster.seconds() * 1000))
            let pool = BrokerPool(bootstrap: connection.addresses, admin: connection.admin.bounded(by: deadline))
            let description: ClusterDescription
            var filter = ClusterTopology.Filter()
            filter.topics = Set(topics)
            filter.underReplicated = underReplicated
            filter.unavailable = unavailable
            do throws(ClusterError) {
                description = try await pool.metadata()
                if underMinIsr { filter.underMinIsr = try await Self.minIsr(description, pool) }
            } catch {
                await pool.close()
                throw ClusterFailure(message: error.description)
            }
            await pool.close()
            let missing = topics.filter { t in !description.topics.contains { $0.name == t } }
            if !missing.isEmpty {
                throw ClusterFailure(message: "no such topic: \(missing.joined(separator: ", "))")
            }
            let topology = description.topology.filtered(filter)
            let renderer = ClusterTopologyRenderer()
            try listing.emit(text: { renderer.text(topology) }, json: { try renderer.json(topology) })
        }
    }
}

extension KafkaArchitect.Cluster.Describe {
    /// Each topic's effective min.insync.replicas (1, Kafka's default, when the broker reports none).
    static func minIsr(_ d: ClusterDescription, _ pool: BrokerPool) async throws(ClusterError) -> [String: Int] {
        let configs = try await KafkaAdmin(pool: pool).topicConfigs(d.topics.map(\.name)).configs
        var out: [String: Int] = [:]
        for t in d.topics {
            out[t.name] = configs[t.name]?.first { $0.name == "min.insync.replicas" }?.value.flatMap { Int($0) } ?? 1
        }
        return out
    }
}

extension ClusterDescription {
    /// The pure value the reports render.
    var topology: ClusterTopology {
        ClusterTopology(
            clusterId: clusterId, controllerId: controllerId,
            brokers: brokers.map { .init(id: $0.id, host: $0.host, port: $0.port, rack: $0.rack) },
            topics: topics.map { t in
                .init(
                    name: t.name, isInternal: t.isInternal, errorCode: t.errorCode,
                    partitions: t.partitions.map {
                        .init(
                            partition: $0.partition, leader: $0.leader, replicas: $0.replicas, isr: $0.isr,
                            offline: $0.offline, errorCode: $0.errorCode)
                    })
            },
            metadataVersion: metadataVersion)
    }
}
