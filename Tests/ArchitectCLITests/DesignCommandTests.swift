import Foundation
import Testing

@Suite(.serialized) struct DesignCommandTests {
    @Test func exampleDesignInEveryFormat() throws {
        for format in ["text", "json", "markdown"] {
            let r = try CLIRunner.run(["design", "examples/ecommerce.yaml", "--format", format])
            #expect(r.status == 0, "\(format): \(r.stderr)")
            #expect(r.stdout.contains("ecommerce.orders.events"))
        }
        let doc = try CLIRunner.json(
            try CLIRunner.run(["design", "examples/ecommerce.yaml", "--format", "json"]).stdout)
        let topics = try #require(doc["topics"] as? [[String: Any]])
        #expect(topics.contains { $0["name"] as? String == "partner.marketplace.listings.events" })
        #expect(topics.contains { $0["purpose"] as? String == "dead-letter" })
        let acls = try #require(doc["acls"] as? [[String: Any]])
        #expect(
            acls.contains {
                $0["resourceType"] as? String == "transactional-id"
                    && $0["principal"] as? String == "User:payment-service"
            })
        #expect(
            (doc["findings"] as? [[String: Any]])?.contains { $0["code"] as? String == "cross-tenant-access" } == true)
        #expect((doc["capacity"] as? [String: Any])?["brokers"] as? Int ?? 0 >= 3)
        let a = try CLIRunner.run(["design", "examples/ecommerce.yaml", "--format", "json"]).stdout
        #expect(a == (try CLIRunner.run(["design", "examples/ecommerce.yaml", "--format", "json"]).stdout))
    }

    @Test func aFileWithoutADesignIsAnInputError() throws {
        let r = try CLIRunner.run(["design", "examples/log-pipeline.yaml"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no design"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func badDesignNamesFileLineAndField() throws {
        let text = try String(
            contentsOfFile: CLIRunner.packageRoot.appendingPathComponent("examples/ecommerce.yaml").path,
            encoding: .utf8
        )
        .replacingOccurrences(
            of: "guarantee: exactly-once\n    consumes:", with: "guarantee: exactly-twice\n    consumes:")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ka-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run(["design", path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(path):"))
        #expect(r.stderr.contains("services[1].produces[0].guarantee"))
    }
}
