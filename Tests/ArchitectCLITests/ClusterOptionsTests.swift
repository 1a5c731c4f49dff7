import Foundation
import Testing

/// The live commands' shared flags, checked before any connection is made.
@Suite struct ClusterOptionsTests {
    /// A --timeout of 10^23 s once trapped converting the deadline to Int64 milliseconds.
    @Test(arguments: [["cluster", "describe"], ["cluster", "api-versions"], ["keys", "--topic", "t"]])
    func aHugeTimeoutIsAUsageErrorNotACrash(command: [String]) throws {
        let r = try CLIRunner.run(command + ["--bootstrap", "127.0.0.1:1", "--timeout", "99999999999999999999999s"])
        #expect(r.status == 2)
        #expect(r.stderr == "kafka-architect: error: --timeout: at most 24h, e.g. 30s\n")
    }

    @Test func theClusterCommandsNeedABootstrap() throws {
        for command in [["cluster", "describe"], ["cluster", "api-versions"]] {
            let r = try CLIRunner.run(command)
            #expect(r.status == 2)
            #expect(r.stderr.contains("--bootstrap is required"))
        }
    }

    @Test func aBadBootstrapNamesTheFlag() throws {
        let r = try CLIRunner.run(["cluster", "describe", "--bootstrap", "no-port-here"])
        #expect(r.status == 2)
        #expect(r.stderr == "kafka-architect: error: --bootstrap: 'no-port-here' is not host:port[,host:port]\n")
    }

    func config(_ lines: [String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "client-\(UUID().uuidString).properties"
        ).path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A misspelt security setting would silently connect in plaintext: it is refused with a suggestion.
    @Test func aMisspeltSecuritySettingIsAnErrorWithDidYouMean() throws {
        let path = try config(["bootstrap.servers=k:9092", "security.protocl=SASL_SSL", "sasl.mechanism=PLAIN"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run(["cluster", "describe", "--bootstrap", "127.0.0.1:1", "--command-config", path])
        #expect(r.status == 2)
        #expect(
            r.stderr.hasSuffix(
                ":2: security.protocl is not a client setting; did you mean security.protocol? (a misspelt security setting would connect without it)\n"
            ))
    }

    /// Client settings the tool does not use are noted, and the command goes on (here to a refused port).
    @Test func unusedSettingsGetANote() throws {
        let path = try config(["security.protocol=PLAINTEXT", "metadata.max.age.ms=1000", "linger.ms=5"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run([
            "cluster", "describe", "--bootstrap", "127.0.0.1:1", "--command-config", path, "--timeout", "2s",
        ])
        #expect(r.status == 3)
        #expect(
            r.stderr.contains(
                "note: \(path):2: metadata.max.age.ms is a client setting kafka-architect does not use; ignored"))
        #expect(
            r.stderr.contains("note: \(path):3: linger.ms is a client setting kafka-architect does not use; ignored"))
    }

    @Test func aQuotedPasswordInABrokenJAASLineIsNeverShown() throws {
        let secret = "Tr0ub4dor&3-horse"
        let path = try config([
            "security.protocol=SASL_SSL", "sasl.mechanism=PLAIN",
            "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=\"\(secret)",
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run(["cluster", "describe", "--bootstrap", "127.0.0.1:1", "--command-config", path])
        #expect(r.status == 2)
        #expect(!(r.stdout + r.stderr).contains(secret))
        #expect(!(r.stdout + r.stderr).contains("Tr0ub"))
    }

    @Test(arguments: [
        (["cluster", "describe", "--bootstrap", "tcp://127.0.0.1:9092"], "has a URL scheme"),
        (["cluster", "describe", "--bootstrap", "127.0.0.1:1", "--command-config", "/tmp"], "is a directory"),
        (
            ["keys", "--bootstrap", "127.0.0.1:1", "--topic", "t", "--sample", "-5"],
            "--sample must be a whole number from 1 to 1e9"
        ),
        (
            ["keys", "--bootstrap", "127.0.0.1:1", "--topic", "t", "--sample", "0"],
            "--sample must be a whole number from 1 to 1e9"
        ),
        (
            ["keys", "--bootstrap", "127.0.0.1:1", "--topic", "t", "--sample", "9223372036854775807"],
            "--sample must be"
        ),
        (["keys", "--bootstrap", "127.0.0.1:1", "--topic", ""], "--topic: give the topic's name"),
        (
            ["keys", "--bootstrap", "127.0.0.1:1", "--topic", "t", "--window", "20s"],
            "--window 20s must be shorter than --timeout (10s)"
        ),
        (["keys", "--bootstrap", "127.0.0.1:1", "--topic", "t", "--window", "0s"], "--window: from 100ms to 1h"),
        (
            ["keys", "--bootstrap", "127.0.0.1:1", "--topic", "t", "--window", "1e300h", "--timeout", "24h"],
            "--window: from 100ms to 1h"
        ),
        (["keys", "--bootstrap", "127.0.0.1:1", "--topic", "t", "--window", "soon"], "is not a duration"),
        (["keys", "examples/keys/orders.txt", "--partitions", "3", "--window", "5s"], "give --bootstrap and --topic"),
    ])
    func badLiveFlagsAreOneLineExitTwo(arguments: [String], message: String) throws {
        let r = try CLIRunner.run(arguments)
        #expect(r.status == 2, "\(arguments)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func partitionsWithBootstrapGetANote() throws {
        let r = try CLIRunner.run([
            "keys", "--bootstrap", "127.0.0.1:1", "--topic", "t", "--partitions", "12", "--timeout", "2s",
        ])
        #expect(r.status == 3)
        #expect(r.stderr.contains("note: --partitions is ignored with --bootstrap: the topic's own count is used"))
    }
}
