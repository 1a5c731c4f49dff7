import ArchitectCore
import ArgumentParser
import Foundation
import KafkaClient

/// Options every live-cluster command shares.
struct ClusterOptions: ParsableArguments {
    @Option(help: "Bootstrap brokers, host:port[,host:port].") var bootstrap: String
    @Option(help: "Give up after this long, e.g. 10s (default 10s).") var timeout: String = "10s"
    @Option(help: ArgumentHelp("Client properties for TLS/SASL, with the Java client's names (security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.location, ...).",
                               valueName: "file")) var commandConfig: String?

    /// TLS and SASL from --command-config (plaintext without it). Bad files are input errors (exit 2).
    func settings() throws(InputFailure) -> ConnectionSettings {
        guard let commandConfig else { return .plaintext }
        let text: String
        do {
            text = PropertiesParser.latin1(try Data(contentsOf: URL(fileURLWithPath: commandConfig)))
        } catch {
            throw InputFailure(message: "\(commandConfig): cannot read (\((error as NSError).localizedDescription)); give a client properties file")
        }
        let document: PropertiesDocument
        do { document = try PropertiesParser.parse(text) } catch {
            throw InputFailure(message: "\(commandConfig):\(error.line): \(error.message)")
        }
        var properties: [String: (value: String, line: Int)] = [:]
        for (key, entry) in document.effective { properties[key] = (entry.value, entry.line) }
        do {
            return try ConnectionSettings.make(try ClientSecurity.from(properties: properties, file: commandConfig), file: commandConfig)
        } catch {
            throw InputFailure(message: error.description)
        }
    }

    func admin() throws(InputFailure) -> ClusterAdmin {
        ClusterAdmin(timeout: try seconds(), settings: try settings())
    }

    func addresses() throws(InputFailure) -> [BrokerAddress] {
        let list = bootstrap.split(separator: ",").map { BrokerAddress(String($0).trimmingCharacters(in: .whitespaces)) }
        guard !list.isEmpty, list.allSatisfy({ $0 != nil }) else {
            throw InputFailure(message: "--bootstrap: '\(bootstrap)' is not host:port[,host:port]")
        }
        return list.compactMap { $0 }
    }

    func seconds() throws(InputFailure) -> Double {
        let s = try parseUnit(timeout, "--timeout", UnitParser.duration)
        guard s > 0 else { throw InputFailure(message: "--timeout: must be positive, e.g. 10s") }
        return s
    }
}

/// A cluster or connection problem: one line, exit code 3.
struct ClusterFailure: Error {
    let message: String
}

extension KafkaArchitect {
    struct Cluster: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
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
            subcommands: [ApiVersions.self, Describe.self]
        )
    }
}

extension KafkaArchitect.Cluster {
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
        @Option(help: "Output: text or json.") var format: ListingFormat = .text

        func run() async throws {
            let admin = try cluster.admin()
            let addresses = try cluster.addresses()
            var perBroker: [(ClusterDescription.Broker?, String, Result<[ApiSupport], ClusterError>)] = []
            do {
                let description = try await admin.describeAny(addresses)
                // Every broker on its own: one that is down is reported, the others still answered.
                for b in description.brokers {
                    let address = BrokerAddress(host: b.host, port: Int(b.port))
                    do {
                        let c = try await admin.connect(address)
                        do {
                            perBroker.append((b, c.address, .success(try await admin.apiVersions(c))))
                        } catch {
                            perBroker.append((b, c.address, .failure(error)))
                        }
                        await c.close()
                    } catch {
                        perBroker.append((b, address.description, .failure(error)))
                    }
                }
            } catch {
                throw ClusterFailure(message: error.description)
            }
            try emit(perBroker)
            let failed = perBroker.compactMap { b, _, r -> String? in
                if case .failure(let e) = r { return "broker \(b.map { String($0.id) } ?? "?"): \(e.description)" } else { return nil }
            }
            if !failed.isEmpty {
                throw ClusterFailure(message: "\(failed.count) of \(perBroker.count) brokers did not answer; " + failed.joined(separator: "; "))
            }
        }

        func emit(_ brokers: [(ClusterDescription.Broker?, String, Result<[ApiSupport], ClusterError>)]) throws {
            if format == .json {
                struct Api: Encodable { let apiKey: Int16; let name: String?; let minVersion, maxVersion: Int16; let usable: Int16? }
                struct Broker: Encodable { let id: Int32?; let address: String; let rack: String?; let apis: [Api]; let error: String? }
                let doc = brokers.map { b, address, result in
                    let apis = (try? result.get()) ?? []
                    var error: String? = nil
                    if case .failure(let e) = result { error = e.reason }
                    return Broker(id: b?.id, address: address, rack: b?.rack ?? nil, apis: apis.map { Api(apiKey: $0.apiKey, name: $0.name, minVersion: $0.brokerMin, maxVersion: $0.brokerMax, usable: $0.chosen) },
                                  error: error)
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                Terminal.writeOut(String(decoding: try encoder.encode(["brokers": doc]), as: UTF8.self) + "\n")
                return
            }
            var out: [String] = []
            for (b, address, result) in brokers {
                out.append("\(address) (id: \(b.map { String($0.id) } ?? "?")\(b?.rack.map { " rack: \($0)" } ?? ""))")
                guard case .success(let apis) = result else {
                    if case .failure(let e) = result { out.append("  UNREACHABLE: \(e.reason)") }
                    continue
                }
                for a in apis {
                    let usable = a.chosen.map { "usable: \($0)" } ?? (ClusterAdmin.implemented[a.apiKey] == nil ? "not implemented here" : "UNUSABLE")
                    out.append("  \((a.name ?? "Unknown").padded(22))(\(a.apiKey)): \(a.brokerMin) to \(a.brokerMax) [\(usable)]")
                }
            }
            Terminal.writeOut(out.joined(separator: "\n") + "\n")
        }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Brokers (id, host, port, rack), controller, and topics with partitions, leader, replicas, ISR and offline replicas.",
            discussion: """
                Examples:
                  kafka-architect cluster describe --bootstrap localhost:9092 --format json
                  kafka-architect cluster describe --bootstrap kafka:9093 \\
                    --command-config client.properties
                """
        )
        @OptionGroup var cluster: ClusterOptions
        @Option(help: "Output: text or json.") var format: ListingFormat = .text

        func run() async throws {
            let admin = try cluster.admin()
            let d: ClusterDescription
            do {
                d = try await admin.describeAny(try cluster.addresses())
            } catch let e as ClusterError {
                throw ClusterFailure(message: e.description)
            }
            if format == .json {
                struct Broker: Encodable { let id: Int32; let host: String; let port: Int32; let rack: String? }
                struct Partition: Encodable { let partition, leader: Int32; let replicas, isr, offlineReplicas: [Int32]; let errorCode: Int16 }
                struct Topic: Encodable { let name: String; let isInternal: Bool; let errorCode: Int16; let partitions: [Partition] }
                struct Doc: Encodable { let clusterId: String?; let controllerId: Int32?; let brokers: [Broker]; let topics: [Topic]; let metadataVersion: Int16 }
                let doc = Doc(clusterId: d.clusterId, controllerId: d.controllerId,
                              brokers: d.brokers.map { Broker(id: $0.id, host: $0.host, port: $0.port, rack: $0.rack) },
                              topics: d.topics.map { t in Topic(name: t.name, isInternal: t.isInternal, errorCode: t.errorCode, partitions: t.partitions.map {
                                  Partition(partition: $0.partition, leader: $0.leader, replicas: $0.replicas, isr: $0.isr, offlineReplicas: $0.offline, errorCode: $0.errorCode) }) },
                              metadataVersion: d.metadataVersion)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                Terminal.writeOut(String(decoding: try encoder.encode(doc), as: UTF8.self) + "\n")
                return
            }
            var out = ["Cluster \(d.clusterId ?? "(no id)"), controller \(d.controllerId.map(String.init) ?? "unknown") (Metadata v\(d.metadataVersion))", "", "Brokers"]
            for b in d.brokers { out.append("  \(b.id)  \(b.host):\(b.port)\(b.rack.map { "  rack \($0)" } ?? "")") }
            out += ["", "Topics"]
            for t in d.topics {
                out.append("  \(t.name)\(t.isInternal ? " (internal)" : ""): \(t.partitions.count) partition\(t.partitions.count == 1 ? "" : "s")\(t.errorCode != 0 ? " error \(t.errorCode)" : "")")
                for p in t.partitions {
                    let offline = p.offline.isEmpty ? "" : "  offline \(p.offline.map(String.init).joined(separator: ","))"
                    let flag = p.leader < 0 ? "  NO LEADER" : (p.isr.count < p.replicas.count ? "  UNDER-REPLICATED" : "")
                    out.append("    \(p.partition): leader \(p.leader)  replicas \(p.replicas.map(String.init).joined(separator: ","))  isr \(p.isr.map(String.init).joined(separator: ","))\(offline)\(flag)")
                }
            }
            Terminal.writeOut(out.joined(separator: "\n") + "\n")
        }
    }
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
