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
