import Foundation
import Testing

/// The README's library example (examples/library/main.swift) compiles against the KafkaAdmin, KafkaClient
/// and KafkaProtocol modules this build produced: the products are usable on their own.
@Suite struct LibraryExampleTests {
    @Test func libraryExampleTypechecks() throws {
        let root = CLIRunner.packageRoot
        // The test binary lives in the build's products directory, beside the modules.
        let products = CLIRunner.executable.deletingLastPathComponent()
        let modules = products.appendingPathComponent("Modules")
        var args = [
            "-frontend", "-typecheck", "-parse-as-library", "-swift-version", "6",
            root.appendingPathComponent("examples/library/main.swift").path, "-I", modules.path,
        ]
        // C modules (CKafkaCRC32C, NIO's C shims, swift-atomics' shims) need their module maps: those the build
        // generated beside the products, and those the dependencies ship in their include folders.
        let fm = FileManager.default
        let generated = ((try? fm.contentsOfDirectory(atPath: products.path)) ?? []).map {
            products.appendingPathComponent($0).appendingPathComponent("module.modulemap")
        }
        let checkouts = root.appendingPathComponent(".build/checkouts")
        let shipped = (fm.enumerator(atPath: checkouts.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix("include/module.modulemap") }.map { checkouts.appendingPathComponent($0) }
        for m in generated + shipped where fm.fileExists(atPath: m.path) {
            args += ["-Xcc", "-fmodule-map-file=\(m.path)"]
        }
        let r = try Peers.run("swiftc", args)
        #expect(r.status == 0, "\(r.stderr)")
    }
}
