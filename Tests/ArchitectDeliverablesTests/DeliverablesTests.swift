import ArchitectCore
import ArchitectDeliverables
import ArchitectFile
import Foundation
import Testing

/// What `generate` hands over, checked against the design it came from (counts and names taken from
/// the DesignResult, never from the generated text itself).
@Suite struct DeliverablesTests {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    func design() throws -> (Architecture, DesignResult) {
        let path = Self.root.appendingPathComponent("examples/ecommerce.yaml").path
        let architecture = try ArchitectureFile.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
        return (architecture, try DesignAdvisor.derive(architecture))
    }

    /// The shared test every target must pass: files, relative unique paths, a newline at the end,
    /// and the same bytes every time.
    @Test(arguments: DeliverableTarget.allCases)
    func everyTargetWritesDeterministicFiles(target: DeliverableTarget) throws {
        let (a, r) = try design()
        let files = Deliverables.generate(r, architecture: a, targets: [target])
        #expect(!files.isEmpty)
        #expect(Set(files.map(\.path)).count == files.count, "duplicate paths")
        for f in files {
            #expect(f.path.hasPrefix(target.rawValue + "/"), "\(f.path) is outside \(target.rawValue)/")
            #expect(!f.path.contains(".."))
            #expect(f.contents.hasSuffix("\n"), "\(f.path) does not end with a newline")
        }
        #expect(Deliverables.generate(r, architecture: a, targets: [target]) == files)
    }

    @Test func terraformHasOneTopicResourcePerDesignedTopic() throws {
        let (a, r) = try design()
        let main = try #require(
            Deliverables.generate(r, architecture: a, targets: [.terraform]).first { $0.path.hasSuffix(".tf") })
        let topicBlocks = main.contents.components(separatedBy: "resource \"kafka_topic\"").count - 1
        #expect(topicBlocks == r.topics.count)
        for t in r.topics {
            #expect(main.contents.contains("name               = \"\(t.name)\""), "\(t.name) missing")
        }
    }

    @Test func strimziHasATopicPerTopicAndAUserPerPrincipal() throws {
        let (a, r) = try design()
        let files = Deliverables.generate(r, architecture: a, targets: [.strimzi])
        let text = files.map(\.contents).joined(separator: "\n")
        #expect(text.components(separatedBy: "kind: KafkaTopic\n").count - 1 == r.topics.count)
        let principals = Set(r.acls.map(\.principal))
        #expect(text.components(separatedBy: "kind: KafkaUser\n").count - 1 == principals.count)
    }

    @Test func onlyTheAskedTargetsAreWritten() throws {
        let (a, r) = try design()
        let files = Deliverables.generate(r, architecture: a, targets: [.scripts, .grafana])
        #expect(Set(files.map { String($0.path.split(separator: "/")[0]) }) == ["scripts", "grafana"])
    }
}

/// Placeholders a Java client or broker resolves only through declared config providers, and
/// transactional ids that differ between instances (issue 12, defect 2).
@Suite struct ClientIdentityTests {
    func files() throws -> [GeneratedFile] {
        let (a, r) = try DeliverablesTests().design()
        return Deliverables.generate(r, architecture: a, targets: [.clientConfigs, .brokerConfig])
    }

    static func properties(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            out[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return out
    }

    /// Kafka's two built-in providers, by the alias a value names (`${env:…}`, `${file:…}`).
    static let providerClass = [
        "env": "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
        "file": "org.apache.kafka.common.config.provider.FileConfigProvider",
    ]

    @Test func everyJavaPlaceholderHasItsProvider() throws {
        let java = try files().filter { $0.path.hasSuffix(".properties") }
        #expect(java.count >= 12)
        for f in java {
            let p = Self.properties(f.contents)
            let declared = Set((p["config.providers"] ?? "").split(separator: ",").map(String.init))
            for (alias, className) in Self.providerClass where p.values.contains(where: { $0.contains("${\(alias):") })
            {
                #expect(declared.contains(alias), "\(f.path) uses ${\(alias):…} without declaring it")
                #expect(p["config.providers.\(alias).class"] == className, "\(f.path)")
            }
        }
    }

    /// Resolving `${env:HOSTNAME}` the way EnvVarConfigProvider does, two instances get two ids, each
    /// under a prefix the service's transactional-id ACL allows.
    @Test func eachInstanceHasItsOwnTransactionalId() throws {
        let (_, r) = try DeliverablesTests().design()
        let producers = r.clientConfigs.filter { c in c.properties.contains { $0.key == "transactional.id" } }
        #expect(!producers.isEmpty, "the example has an exactly-once producer")
        for c in producers {
            let id = try #require(c.properties.first { $0.key == "transactional.id" }?.value)
            let a = id.replacingOccurrences(of: "${env:HOSTNAME}", with: "\(c.service)-0")
            let b = id.replacingOccurrences(of: "${env:HOSTNAME}", with: "\(c.service)-1")
            #expect(a != b, "\(c.service): every instance has \(id)")
            let allowed = r.acls.filter { $0.resourceType == .transactionalId && $0.patternType == .prefixed }
            #expect(allowed.contains { a.hasPrefix($0.resourceName) && b.hasPrefix($0.resourceName) })
        }
    }

    /// librdkafka files name the variables envsubst must expand, and carry no password.
    @Test func librdkafkaFilesAreRenderedWithoutSecrets() throws {
        for f in try files().filter({ $0.path.hasSuffix(".librdkafka.conf") }) {
            #expect(!f.contents.contains("${env:"), "\(f.path): librdkafka does not expand ${env:…}")
            #expect(!f.contents.contains("sasl.password="), "\(f.path)")
            if f.contents.contains("${") { #expect(f.contents.contains("envsubst '"), "\(f.path)") }
        }
    }
}
