import Foundation
import Testing

/// Generated Swift stays what its generator writes, and what the formatter accepts.
@Suite struct GeneratedCodeTests {
    @Test func messageCodeIsUpToDate() throws {
        let fresh = FileManager.default.temporaryDirectory.appendingPathComponent("messages-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: fresh) }
        let root = CLIRunner.packageRoot
        let r = try Peers.run(
            "python3", [root.appendingPathComponent("scripts/gen-messages.py").path, "--output-dir", fresh.path])
        #expect(r.status == 0, "\(r.stderr)")
        let committedDir = root.appendingPathComponent("Sources/KafkaProtocol/Messages")
        let files =
            ["Messages.generated.swift"]
            + (try FileManager.default.contentsOfDirectory(atPath: committedDir.appendingPathComponent("Typed").path))
            .filter { $0.hasSuffix(".generated.swift") }.sorted().map { "Typed/\($0)" }
        let regeneratedTyped = try FileManager.default.contentsOfDirectory(
            atPath: fresh.appendingPathComponent("Typed").path)
        #expect(Set(regeneratedTyped) == Set(files.dropFirst().map { String($0.dropFirst(6)) }), "stale typed files")
        #expect(files.count > 30)
        for file in files {
            let committed = try String(contentsOf: committedDir.appendingPathComponent(file), encoding: .utf8)
            let regenerated = try String(contentsOf: fresh.appendingPathComponent(file), encoding: .utf8)
            #expect(regenerated == committed, "\(file): run python3 scripts/gen-messages.py and commit the result")
            #expect(committed.hasPrefix("// DO NOT EDIT."))
        }
    }
}
