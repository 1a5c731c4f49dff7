import ArchitectCore
import ArchitectReports
import ArgumentParser
import KafkaClient

extension KafkaArchitect.Cluster {
    /// `kafka-architect cluster api-versions`: like kafka-broker-api-versions.sh.
    struct ApiVersions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "api-versions",
            abstract: "Per broker, the API versions it supports and the version this client would use.",
            discussion: """
                Like kafka-broker-api-versions.sh. A broker that does not answer is
                listed as UNREACHABLE (exit code 3); the others are still shown.

                Examples:
                  kafka-architect cluster api-versions --bootstrap localhost:9092
                  kafka-architect cluster api-versions --bootstrap kafka:9093 \\
                    --command-config client.properties --format json
                """
        )
        @OptionGroup var cluster: ClusterOptions
        @OptionGroup var listing: ListingOptions

        func validate() throws { try cluster.requireBootstrap() }

        func run() async throws {
            let connection = try cluster.connection()
            let (brokers, failures) = try await Self.read(connection)
            let renderer = APIVersionsRenderer()
            try listing.emit(text: { renderer.text(brokers) }, json: { try renderer.json(brokers) })
            if !failures.isEmpty {
                throw ClusterFailure(
                    message: "\(failures.count) of \(brokers.count) brokers did not answer; "
                        + failures.joined(separator: "; "))
            }
        }

        /// Every broker's answer as the reports' value, and a line per broker that did not answer.
        static func read(_ connection: ClusterConnection) async throws -> ([BrokerAPIVersions], [String]) {
            let answers: [BrokerAPIAnswer]
            do { answers = try await connection.admin.apiVersionsByBroker(connection.addresses) } catch {
                throw ClusterFailure(message: error.description)
            }
            let brokers = answers.map { a in
                BrokerAPIVersions(
                    brokerId: a.broker.id, rack: a.broker.rack, address: a.address,
                    apis: a.result.map { $0.map(api) }.mapError { .init(reason: $0.reason) })
            }
            let failures = answers.compactMap { a -> String? in
                guard case .failure(let e) = a.result else { return nil }
                return "broker \(a.broker.id): \(e.description)"
            }
            return (brokers, failures)
        }

        static func api(_ a: ApiSupport) -> BrokerAPIVersions.API {
            let usability: BrokerAPIVersions.API.Usability
            if let chosen = a.chosen {
                usability = .usable(chosen)
            } else {
                usability = ClusterAdmin.implemented[a.apiKey] == nil ? .notImplemented : .unusable
            }
            return .init(
                apiKey: a.apiKey, name: a.name, minVersion: a.brokerMin, maxVersion: a.brokerMax, usability: usability)
        }
    }
}
