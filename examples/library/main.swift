// The Kafka client as a library: list log directories and consumer groups of a cluster.
// Compiled by Tests/ArchitectCLITests/LibraryExampleTests.swift against the KafkaAdmin, KafkaClient and
// KafkaProtocol products; run it with `swift run` in a package that depends on kafka-architect.

import KafkaAdmin
import KafkaClient
import KafkaProtocol

@main
struct ListCluster {
    static func main() async throws {
        let bootstrap = CommandLine.arguments.dropFirst().first ?? "localhost:9092"
        guard let address = BrokerAddress(bootstrap) else {
            print("usage: list-cluster host:port")
            return
        }
        let pool = BrokerPool(bootstrap: [address], admin: ClusterAdmin(timeout: 10))
        let admin = KafkaAdmin(pool: pool)
        let cluster = try await pool.metadata()
        print("cluster \(cluster.clusterId ?? "?"), \(cluster.brokers.count) brokers, \(cluster.topics.count) topics")
        for (broker, dirs) in await admin.logDirs(cluster.brokers.map(\.id)).sorted(by: { $0.key < $1.key }) {
            switch dirs {
            case .success(let list): print("broker \(broker):", list.map(\.path))
            case .failure(let error): print("broker \(broker): \(error.reason)")
            }
        }
        // Any request, typed: the pool picks the highest version both sides speak.
        let groups = try await pool.send(ListGroupsRequest(), to: .any)
        print("groups:", groups.groups.map(\.groupId))
        await pool.close()
    }
}
