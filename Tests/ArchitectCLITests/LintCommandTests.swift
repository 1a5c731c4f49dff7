import Foundation
import Testing

@Suite(.serialized) struct LintCommandTests {
    func temp(_ contents: String, suffix: String = ".properties") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ka-lint-\(UUID().uuidString)\(suffix)"
        ).path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let exampleFiles = [
        "payments-producer.properties", "orders-consumer.properties", "broker.properties",
        "orders-topic.properties", "metrics-producer.conf", "strimzi.yaml",
    ].map { "examples/configs/\($0)" }

    @Test func examplesPassTheDurabilityProfileWithNoErrors() throws {
        let r = try CLIRunner.run(["lint"] + Self.exampleFiles + ["--profile", "durability", "--format", "json"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        let findings = try #require(doc["findings"] as? [[String: Any]])
        #expect(!findings.contains { $0["severity"] as? String == "error" }, "\(findings)")
    }

    @Test func textFormatIsFileLineSeverityIdMessage() throws {
        let path = try temp("client.id=x\nacks=1\nretries=0\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run(["lint", path])
        #expect(r.status == 1)
        #expect(r.stdout.contains("\(path):3: error [KA-DUR-003] retries=0"))
        #expect(r.stdout.contains("\(path):2: warning [KA-DUR-001]"))
        #expect(r.stdout.contains("    fix: "))
        #expect(!r.stdout.contains("\u{1B}["), "no colour when piped")
    }

    @Test func jsonHasTheDocumentedFields() throws {
        let path = try temp("client.id=x\nacks=1\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run(["lint", path, "--format", "json", "--fail-on", "never"])
        #expect(r.status == 0)
        let f = try #require(
            (try CLIRunner.json(r.stdout)["findings"] as? [[String: Any]])?.first {
                $0["ruleId"] as? String == "KA-DUR-001"
            })
        #expect(f["severity"] as? String == "warning")
        #expect(f["file"] as? String == path)
        #expect(f["line"] as? Int == 2)
        #expect(f["configs"] as? [String] == ["acks"])
        #expect(!(f["message"] as? String ?? "").isEmpty)
        #expect(!(f["fix"] as? String ?? "").isEmpty)
    }

    @Test func failOnControlsTheExitCode() throws {
        // One warning, no error.
        let path = try temp("client.id=x\nsecurity.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nacks=1\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try CLIRunner.run(["lint", path]).status == 0)
        #expect(try CLIRunner.run(["lint", path, "--fail-on", "warning"]).status == 1)
        #expect(try CLIRunner.run(["lint", path, "--profile", "durability"]).status == 1)
        #expect(try CLIRunner.run(["lint", path, "--disable", "KA-DUR-001", "--fail-on", "warning"]).status == 0)
    }

    @Test(.requires(.python("jsonschema"))) func sarifValidatesAgainstTheSchema() throws {
        guard Peers.pythonHas("jsonschema") else { return Peers.missing("python module jsonschema") }
        let bad = try temp("acks=0\nretries=0\nssl.key.password=x\n")
        defer { try? FileManager.default.removeItem(atPath: bad) }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ka-\(UUID().uuidString).sarif").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try CLIRunner.run(["lint", bad, "examples/configs/strimzi.yaml", "--format", "sarif", "-o", out])
        #expect(r.status == 1)
        let v = try Peers.run(
            "python3",
            [
                Peers.script.appendingPathComponent("validate_sarif.py").path,
                CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/sarif-schema-2.1.0.json").path, out,
            ])
        #expect(v.stdout.hasPrefix("valid"), "\(v.stdout)\(v.stderr)")
        let log = try CLIRunner.json(try String(contentsOfFile: out, encoding: .utf8))
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let rules = try #require(
            ((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        #expect(rules.count >= 60)
        #expect(
            rules.allSatisfy {
                let uri = $0["helpUri"] as? String ?? ""
                return uri.hasPrefix("https://kafka.apache.org/") || uri.hasPrefix("https://strimzi.io/")
            })
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.contains { $0["ruleId"] as? String == "KA-DUR-003" && $0["level"] as? String == "error" })
        #expect(!(try String(contentsOfFile: out, encoding: .utf8)).contains("\"x\""))
    }

    @Test func unreadableFilesExitTwoAndTheOthersAreStillReported() throws {
        let binary = FileManager.default.temporaryDirectory.appendingPathComponent("ka-\(UUID().uuidString).properties")
            .path
        try Data([0x00, 0x01, 0x02, 0xFF]).write(to: URL(fileURLWithPath: binary))
        let malformed = try temp("a=\\u12G4\n")
        let good = try temp("client.id=x\nretries=0\n")
        defer { for p in [binary, malformed, good] { try? FileManager.default.removeItem(atPath: p) } }
        let r = try CLIRunner.run(["lint", binary, malformed, good, "missing.properties"])
        #expect(r.status == 2)
        #expect(r.stdout.contains("\(binary): binary file"))
        #expect(r.stdout.contains("\(malformed):1: malformed \\uxxxx encoding"))
        #expect(r.stdout.contains("missing.properties: no such file"))
        #expect(r.stdout.contains("\(good):2: error [KA-DUR-003]"))
    }

    @Test func strimziAndArchitectureFilesPointAtTheirLines() throws {
        let strimzi = try temp(
            """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: KafkaTopic
            metadata:
              name: t
            spec:
              partitions: 6
              replicas: 3
              config:
                min.insync.replicas: 3
            """, suffix: ".yaml")
        defer { try? FileManager.default.removeItem(atPath: strimzi) }
        let r = try CLIRunner.run(["lint", strimzi, "examples/dev-cluster.yaml"])
        #expect(r.stdout.contains("\(strimzi):9: error [KA-AVL-001]"), "\(r.stdout)")
        #expect(r.stdout.contains("(t)"))
        #expect(r.stdout.contains("examples/dev-cluster.yaml:"), "\(r.stdout)")
    }

    @Test func strimziUsersAndListenersAreReviewed() throws {
        let path = try temp(
            """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: Kafka
            metadata:
              name: c
            spec:
              kafka:
                listeners:
                  - name: plain
                    port: 9092
                    type: internal
                    tls: false
                config:
                  default.replication.factor: 3
            ---
            apiVersion: kafka.strimzi.io/v1beta2
            kind: KafkaUser
            metadata:
              name: greedy
            spec:
              authorization:
                type: simple
                acls:
                  - resource:
                      type: topic
                      name: "*"
                    operations: [All]
            """, suffix: ".yaml")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run(["lint", path, "--format", "json", "--fail-on", "never"])
        let findings = try #require(try CLIRunner.json(r.stdout)["findings"] as? [[String: Any]])
        func line(_ id: String) -> Int? { findings.first { $0["ruleId"] as? String == id }?["line"] as? Int }
        #expect(line("KA-SEC-001") == 8)
        #expect(line("KA-SEC-011") != nil)
        #expect(line("KA-SEC-012") == 23)
        #expect(findings.first { $0["ruleId"] as? String == "KA-SEC-012" }?["name"] as? String == "greedy")
    }

    @Test func versionAwareness() throws {
        let path = try temp("broker.id=1\nlog.message.format.version=2.8\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let old = try CLIRunner.run(["lint", path, "--kafka-version", "3.7", "--format", "json", "--fail-on", "never"])
        let new = try CLIRunner.run(["lint", path, "--kafka-version", "4.0", "--format", "json", "--fail-on", "never"])
        func ids(_ r: CLIRunner.Result) throws -> [String] {
            (try CLIRunner.json(r.stdout)["findings"] as? [[String: Any]] ?? []).compactMap { $0["ruleId"] as? String }
        }
        #expect(try ids(old).contains("KA-UPG-003"))
        #expect(try ids(new).contains("KA-UPG-002"))
        #expect(try CLIRunner.run(["lint", path, "--kafka-version", "9.9"]).status == 2)
    }

    @Test func outputIsByteIdenticalAcrossRuns() throws {
        for format in ["text", "json", "sarif"] {
            let args =
                ["lint"] + Self.exampleFiles + ["examples/ecommerce.yaml", "--format", format, "--fail-on", "never"]
            #expect(try CLIRunner.run(args).stdout == CLIRunner.run(args).stdout, "\(format)")
        }
        let keys = ["keys", "examples/keys/tenants.txt", "--partitions", "12", "--what-if", "6,24", "--format", "json"]
        #expect(try CLIRunner.run(keys).stdout == CLIRunner.run(keys).stdout)
    }

    @Test func rulesListsAndExplains() throws {
        let list = try CLIRunner.run(["rules"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("KA-DUR-001"))
        let one = try CLIRunner.run(["rules", "KA-DUR-001"])
        #expect(
            one.stdout.contains("Why:") && one.stdout.contains("Fix:")
                && one.stdout.contains("https://kafka.apache.org/documentation/#producerconfigs_acks"))
        #expect(try CLIRunner.run(["rules", "KA-NOPE-1"]).status == 2)
        let json = try CLIRunner.run(["rules", "--format", "json"])
        let rules = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect((rules?.count ?? 0) >= 60)
    }
}
