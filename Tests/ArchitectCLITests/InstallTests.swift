import Foundation
import Testing

/// `scripts/install` into a temporary prefix, reusing the binary this test run built (a release
/// build with the static Swift runtime is what users get; it is built the same way, only slower).
@Suite struct InstallTests {
    @Test func installsABinaryCompletionsAndAManPageThatWork() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("ka-prefix-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: prefix) }
        let script = CLIRunner.packageRoot.appendingPathComponent("scripts/install")
        let install = try Peers.run(script.path, ["--binary", CLIRunner.executable.path, prefix.path], timeout: 600)
        try #require(install.status == 0, "scripts/install failed: \(install.stderr)")

        // The installed binary does the README's first job, byte for byte like the built one.
        let installed = prefix.appendingPathComponent("bin/kafka-architect")
        let fromPrefix = try CLIRunner.run(installed, ["plan", "examples/log-pipeline.yaml"])
        let fromBuild = try CLIRunner.run(["plan", "examples/log-pipeline.yaml"])
        #expect(fromPrefix.status == 0)
        #expect(fromPrefix.stdout == fromBuild.stdout)
        #expect(fromPrefix.stdout.contains("Capacity plan: log-pipeline"))

        // Completions know the nested subcommands, and bash accepts its script.
        let share = prefix.appendingPathComponent("share")
        let bash = share.appendingPathComponent("bash-completion/completions/kafka-architect")
        let zsh = share.appendingPathComponent("zsh/site-functions/_kafka-architect")
        let fish = share.appendingPathComponent("fish/vendor_completions.d/kafka-architect.fish")
        for file in [bash, zsh, fish] {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(text.contains("api-versions"), "\(file.lastPathComponent) lacks cluster's subcommands")
            #expect(text.contains("--bootstrap"), "\(file.lastPathComponent) lacks --bootstrap")
        }
        #expect(try Peers.run("bash", ["-n", bash.path]).status == 0)

        // The man page is mdoc for section 1 and documents the commands and their options.
        let man = try String(contentsOf: share.appendingPathComponent("man/man1/kafka-architect.1"), encoding: .utf8)
        #expect(man.contains(".Dt KAFKA-ARCHITECT 1"))
        for text in ["plan", "lint", "api-versions", "--command-config", "Exit codes"] {
            #expect(man.contains(text), "man page lacks \(text)")
        }
    }

    @Test func aBadOptionIsAUsageError() throws {
        let script = CLIRunner.packageRoot.appendingPathComponent("scripts/install")
        let r = try Peers.run(script.path, ["--binary"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--binary needs a path"))
    }
}
