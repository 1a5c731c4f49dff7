import Foundation
import Testing

/// Generated Swift stays what its generator writes, and what the formatter accepts.
@Suite struct GeneratedCodeTests {
    @Test func messageDefinitionsAreUpToDate() throws {
        let fresh = FileManager.default.temporaryDirectory.appendingPathComponent("messages-\(UUID().uuidString).swift")
        defer { try? FileManager.default.removeItem(at: fresh) }
        let root = CLIRunner.packageRoot
        let r = try Peers.run(
            "python3", [root.appendingPathComponent("scripts/gen-messages.py").path, "--output", fresh.path])
        #expect(r.status == 0, "\(r.stderr)")
        let committed = try String(
            contentsOf: root.appendingPathComponent("Sources/KafkaProtocol/Messages/Messages.generated.swift"),
            encoding: .utf8)
        let regenerated = try String(contentsOf: fresh, encoding: .utf8)
        #expect(regenerated == committed, "run python3 scripts/gen-messages.py and commit the result")
        #expect(committed.hasPrefix("// DO NOT EDIT."))
    }
}
