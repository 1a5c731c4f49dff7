import ArchitectCore
import ArchitectReports
import ArgumentParser
import KafkaClient

extension KafkaArchitect.Cluster {
    /// `kafka-architect cluster describe`: brokers, controller, topics and partitions.
    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "describe",
            abstract:
                "Brokers (id, host, port, rack), controller, and topics with partitions, leader, replicas, ISR and offline replicas.",
            discussion: """
                Examples:
                  kafka-architect cluster describe --bootstrap localhost:9092 --format json
                  kafka-architect cluster describe --bootstrap kafka:9093 \\
                    --command-config client.properties
                """
        )
        @OptionGroup var cluster: ClusterOptions
        @OptionGroup var listing: ListingOptions

        func validate() throws { try cluster.requireBootstrap() }

        func run() async throws {
            let connection = try cluster.connection()
            let description: ClusterDescription
            do { description = try await connection.admin.describeAny(connection.addresses) } catch {
                throw ClusterFailure(message: error.description)
            }
            let topology = description.topology
            let renderer = ClusterTopologyRenderer()
            try listing.emit(text: { renderer.text(topology) }, json: { try renderer.json(topology) })
        }
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
