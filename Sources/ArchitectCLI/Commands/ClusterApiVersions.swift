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

        /// Every broker on its own: one that is down is reported, the others still answered.
        static func read(_ connection: ClusterConnection) async throws -> ([BrokerAPIVersions], [String]) {
            let admin = connection.admin
            let description: ClusterDescription
            do { description = try await admin.describeAny(connection.addresses) } catch {
                throw ClusterFailure(message: error.description)
            }
            var brokers: [BrokerAPIVersions] = []
            var failures: [String] = []
            for b in description.brokers {
                let address = BrokerAddress(host: b.host, port: Int(b.port))
                var shownAddress = address.description
                let answer: Result<[ApiSupport], ClusterError>
                do {
                    let c = try await admin.connect(address)
                    shownAddress = c.address
                    do { answer = .success(try await admin.apiVersions(c)) } catch { answer = .failure(error) }
                    await c.close()
                } catch {
                    answer = .failure(error)
                }
                if case .failure(let e) = answer { failures.append("broker \(b.id): \(e.description)") }
                brokers.append(
                    BrokerAPIVersions(
                        brokerId: b.id, rack: b.rack, address: shownAddress,
                        apis: answer.map { $0.map(api) }.mapError { .init(reason: $0.reason) }))
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
