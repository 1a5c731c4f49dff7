import Foundation
import Testing

/// The generated shell scripts: shellcheck on every one of every example, and the SCRAM scripts run
/// against stand-ins for kafka-configs.sh and kafka-storage.sh that record what they were given.
@Suite(.serialized) struct ScriptPeerTests {
    static let examples = ["examples/ecommerce.yaml", "examples/vehicle-telemetry.yaml", "examples/payments.yaml"]

    static func generated(_ example: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ka-sh-\(UUID().uuidString)")
        let r = try CLIRunner.run(
            ["generate", example, "--target", "scripts", "--target", "schemas", "--out", dir.path])
        try #require(r.status == 0, "\(r.stderr)")
        return dir.appendingPathComponent("scripts")
    }

    @Test(.requires(.shellcheck), arguments: examples) func everyScriptPassesShellcheck(example: String) throws {
        guard Peer.shellcheck.isAvailable else { return Peers.missing("shellcheck (apt-get install shellcheck)") }
        let dir = try Self.generated(example)
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let schemas = dir.deletingLastPathComponent().appendingPathComponent("schemas")
        var scripts = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".sh") }
            .map { dir.appendingPathComponent($0).path }
        scripts.append(schemas.appendingPathComponent("register-schemas.sh").path)
        #expect(scripts.count >= 6)
        let r = try Peers.run("shellcheck", ["--severity=style"] + scripts)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }

    /// A stand-in for a Kafka tool on PATH: appends its arguments (one per line) to a log, and copies
    /// the file after --add-config-file, as it was at the call, to FILE.N.
    static func stub(_ name: String, in bin: URL, log: URL) throws {
        let script = """
            #!/usr/bin/env bash
            printf '%s\\n' "$@" >> '\(log.path)'
            echo '--end--' >> '\(log.path)'
            while [ $# -gt 0 ]; do
              if [ "$1" = --add-config-file ]; then
                n=$(grep -c . '\(log.path)'.paths 2>/dev/null || true)
                cp "$2" '\(log.path)'."${n:-0}"
                echo "$2" >> '\(log.path)'.paths
              fi
              shift
            done
            """
        let url = bin.appendingPathComponent(name)
        try script.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }

    @Test(.requires(.java)) func clientPasswordsReachKafkaIntactAndNeverTheCommandLine() throws {
        guard Peer.java.isAvailable else { return Peers.missing("java (a JDK)") }
        let dir = try Self.generated("examples/ecommerce.yaml")
        let work = dir.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: work) }
        let bin = work.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let log = work.appendingPathComponent("calls.log")
        try Self.stub("kafka-configs.sh", in: bin, log: log)
        let script = try String(contentsOf: dir.appendingPathComponent("create-scram-users.sh"), encoding: .utf8)
        let variables = script.matches(of: /add_user '([^']+)' (SCRAM_PASSWORD_[A-Z0-9_]+)/).map {
            (user: String($0.1), variable: String($0.2))
        }
        try #require(variables.count >= 5)
        // Passwords with what breaks naive quoting: backslashes, quotes, =, :, #, commas, spaces, $ and &.
        var environment = ["PATH": bin.path + ":/usr/bin:/bin", "BOOTSTRAP": "b:9093", "COMMAND_CONFIG": "/dev/null"]
        var expected: [String: String] = [:]
        for (i, v) in variables.enumerated() {
            let password = "p\\a\\\\s\(i) w\"o'r=d:#,!$HOME&\\u0041"
            environment[v.variable] = password
            expected[v.user] = password
        }
        let r = try CLIRunner.run(
            URL(fileURLWithPath: "/bin/bash"), [dir.appendingPathComponent("create-scram-users.sh").path],
            environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
        let calls = try String(contentsOf: log, encoding: .utf8).components(separatedBy: "--end--\n").dropLast()
        #expect(calls.count == variables.count)
        for password in expected.values { #expect(!calls.joined().contains(password), "a password on a command line") }
        // Each call's file, read by java.util.Properties as Kafka's ConfigCommand reads it, holds the password,
        // in the form ConfigCommand parses: (iterations=N,)password=…
        let copies = (0..<calls.count).map { log.path + ".\($0)" }
        let dump = try Peers.run("java", [Peers.script.appendingPathComponent("PropsDump.java").path] + copies)
        try #require(dump.status == 0, "\(dump.stderr)")
        let values = dump.stdout.split(separator: "\n").filter { !$0.hasPrefix("file ") }.map {
            PropertiesPeerTests.unhex($0.split(separator: " ")[1])
        }
        for (call, value) in zip(calls, values) {
            let user = try #require(call.split(separator: "\n").drop { $0 != "--entity-name" }.dropFirst().first)
            let m = try #require(value.wholeMatch(of: /(?:iterations=(-?[0-9]*),)?password=(.*)/), "\(value)")
            #expect(String(m.2) == expected[String(user)], "\(user)")
            #expect(Int(m.1 ?? "") ?? 0 >= 4096)
        }
        // The credentials file is gone when the script ends.
        for path in try String(contentsOf: URL(fileURLWithPath: log.path + ".paths"), encoding: .utf8).split(
            separator: "\n")
        {
            #expect(!FileManager.default.fileExists(atPath: String(path)))
        }
        // A missing password: one clear line naming the variable, exit 2, nothing half done.
        var missing = environment
        missing[variables[2].variable] = nil
        let bad = try CLIRunner.run(
            URL(fileURLWithPath: "/bin/bash"), [dir.appendingPathComponent("create-scram-users.sh").path],
            environment: missing)
        #expect(bad.status == 2 && bad.stderr.contains(variables[2].variable))
    }
}
