import Foundation
import Testing

/// `generate`: every target checked by a real tool or schema, the committed example output kept in
/// step, and the output directory's write rules.
@Suite(.serialized) struct GenerateCommandTests {
    static func generate(_ extra: [String] = []) throws -> (dir: URL, result: CLIRunner.Result) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ka-gen-\(UUID().uuidString)")
        let r = try CLIRunner.run(
            ["generate", "examples/ecommerce.yaml", "--target", "all", "--out", dir.path] + extra)
        return (dir, r)
    }

    static func files(under dir: URL) throws -> [String: String] {
        var out: [String: String] = [:]
        let e = FileManager.default.enumerator(atPath: dir.path)
        while let path = e?.nextObject() as? String {
            var isDir: ObjCBool = false
            let full = dir.appendingPathComponent(path).path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue {
                out[path] = try String(contentsOfFile: full, encoding: .utf8)
            }
        }
        return out
    }

    /// CI fails if regenerating the example changes its committed output.
    @Test func committedExampleOutputIsUpToDate() throws {
        let (dir, r) = try Self.generate()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(r.status == 0, "\(r.stderr)")
        let fresh = try Self.files(under: dir)
        let committed = try Self.files(under: CLIRunner.packageRoot.appendingPathComponent("examples/generated"))
        #expect(
            fresh.keys.sorted() == committed.keys.sorted(),
            "run: kafka-architect generate examples/ecommerce.yaml --target all --out examples/generated --force")
        for (path, text) in fresh {
            #expect(committed[path] == text, "\(path) differs from examples/generated; regenerate it")
        }
    }

    @Test(.requires(.promtool)) func prometheusRulesPassPromtool() throws {
        guard (try? Peers.run("promtool", ["--version"]).status) == 0 else {
            return Peers.missing("promtool (apt-get install prometheus)")
        }
        let r = try Peers.run(
            "promtool",
            [
                "check", "rules",
                CLIRunner.packageRoot.appendingPathComponent("examples/generated/prometheus/alerts.yml").path,
            ])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("SUCCESS"))
    }

    @Test(.requires(.python("hcl2"))) func terraformParsesWithARealHCLParser() throws {
        guard Peers.pythonHas("hcl2") else { return Peers.missing("python module hcl2 (python-hcl2)") }
        let path = CLIRunner.packageRoot.appendingPathComponent("examples/generated/terraform/main.tf").path
        let r = try Peers.run(
            "python3",
            [
                "-c",
                """
                import hcl2, sys
                d = hcl2.load(open(sys.argv[1]))
                kinds = {}
                for block in d["resource"]:
                    for kind in block: kinds[kind.strip('"')] = kinds.get(kind.strip('"'), 0) + 1
                print(kinds.get("kafka_topic", 0), kinds.get("kafka_acl", 0), kinds.get("kafka_quota", 0))
                """, path,
            ])
        #expect(r.status == 0, "\(r.stderr)")
        let counts = r.stdout.split(separator: " ").compactMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let design = try CLIRunner.json(
            try CLIRunner.run(["design", "examples/ecommerce.yaml", "--format", "json"]).stdout)
        #expect(
            counts == [
                (design["topics"] as? [Any])?.count ?? -1, (design["acls"] as? [Any])?.count ?? -1,
                (design["quotas"] as? [Any])?.count ?? -1,
            ])
    }

    @Test(.requires(.python("jsonschema"), .python("yaml"))) func strimziResourcesValidateAgainstTheCRDs() throws {
        guard Peers.pythonHas("jsonschema"), Peers.pythonHas("yaml") else {
            return Peers.missing("python modules jsonschema and pyyaml")
        }
        let crds = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/strimzi-crds").path
        let dir = CLIRunner.packageRoot.appendingPathComponent("examples/generated/strimzi")
        let files = ["kafka.yaml", "topics.yaml", "users.yaml"].map { dir.appendingPathComponent($0).path }
        let r = try Peers.run(
            "python3", [Peers.script.appendingPathComponent("validate_strimzi.py").path, crds] + files)
        #expect(r.stdout.hasPrefix("valid"), "\(r.stdout)\(r.stderr)")
        // The validator is not a rubber stamp: a listener without `tls` is refused.
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("ka-\(UUID().uuidString).yaml")
        try (try String(contentsOfFile: files[0], encoding: .utf8)).replacingOccurrences(
            of: "        tls: true\n", with: ""
        ).write(to: broken, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: broken) }
        let bad = try Peers.run(
            "python3", [Peers.script.appendingPathComponent("validate_strimzi.py").path, crds, broken.path])
        #expect(bad.stdout.hasPrefix("invalid"))
    }

    @Test func clientAndBrokerConfigsPassLintUnderTheirProfile() throws {
        let dir = CLIRunner.packageRoot.appendingPathComponent("examples/generated")
        let configs = try FileManager.default.contentsOfDirectory(
            atPath: dir.appendingPathComponent("client-configs").path
        ).sorted()
        #expect(configs.count >= 10)
        for file in configs {
            // Every service in the example is at-least-once or exactly-once: the durability profile.
            let r = try CLIRunner.run([
                "lint", "examples/generated/client-configs/\(file)", "--profile", "durability", "--format", "json",
            ])
            #expect(r.status == 0, "\(file): \(r.stdout)")
        }
        let broker = try CLIRunner.run([
            "lint", "examples/generated/broker-config/server.properties",
            "examples/generated/broker-config/controller.properties", "--profile", "durability",
        ])
        #expect(broker.status == 0, "\(broker.stdout)")
    }

    /// Every librdkafka file, rendered as its header says (`envsubst` with the variables it names), is
    /// accepted by librdkafka 2.16 itself; two instances of an exactly-once producer get two ids.
    @Test(
        .requires(.python("confluent_kafka"), .openssl),
        arguments: ["examples/ecommerce.yaml", "examples/vehicle-telemetry.yaml", "examples/payments.yaml"])
    func librdkafkaConfigsRenderAndLoad(example: String) throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ka-gen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let g = try CLIRunner.run(["generate", example, "--target", "client-configs", "--out", out.path])
        try #require(g.status == 0, "\(g.stderr)")
        let dir = out.appendingPathComponent("client-configs")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter {
            $0.hasSuffix(".librdkafka.conf")
        }.sorted()
        #expect(files.count >= 4)
        // The CA the deployment mounts at ssl.ca.location: librdkafka reads it when the client is created.
        let ca = out.appendingPathComponent("ca.crt").path
        let made = try Peers.run(
            "openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", out.appendingPathComponent("ca.key").path,
                "-out", ca, "-days", "1", "-subj", "/CN=test-ca",
            ])
        try #require(made.status == 0, "\(made.stderr)")
        var transactional = 0
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            let command = try #require(
                text.split(separator: "\n").first { $0.contains("envsubst '") }.flatMap { line in
                    line.range(of: "envsubst '").map { line[$0.upperBound...].prefix { $0 != "'" } }
                }, "\(file) names no variables to render")
            var ids: [String] = []
            for host in ["\(file)-0", "\(file)-1"] {
                let rendered = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "\(UUID().uuidString).conf")
                defer { try? FileManager.default.removeItem(at: rendered) }
                let sh =
                    "HOSTNAME=\"$2\" CLIENT_RACK=zone-a KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1 envsubst \"$3\" < \"$0\" > \"$1\""
                let r = try Peers.run(
                    "sh", ["-c", sh, dir.appendingPathComponent(file).path, rendered.path, host, String(command)])
                try #require(r.status == 0, "\(file): \(r.stderr)")
                let role = file.contains("-consumer.") ? "consumer" : "producer"
                let script = Peers.script.appendingPathComponent("load_librdkafka_conf.py").path
                #expect(text.contains("ssl.ca.location=/etc/kafka/secrets/ca.crt"), "\(file)")
                let loaded = try Peers.run("python3", [script, rendered.path, role, ca])
                #expect(loaded.status == 0, "\(file): \(loaded.stdout) \(loaded.stderr)")
                if let id = try CLIRunner.json(loaded.stdout)["transactional.id"] as? String { ids.append(id) }
            }
            if !ids.isEmpty {
                transactional += 1
                #expect(Set(ids).count == 2, "\(file): \(ids)")
                #expect(ids.allSatisfy { !$0.contains("$") }, "\(file): \(ids)")
            }
        }
        if example.hasSuffix("ecommerce.yaml") { #expect(transactional >= 1) }
    }

    /// Everything generated for both example domains, topics included (Strimzi KafkaTopic and Kafka
    /// resources), passes the tool's own review with no finding at all (issue 12, defect 13: a 3-day
    /// topic kept Kafka's 7-day segment.ms, KA-PERF-009).
    @Test(arguments: ["examples/ecommerce.yaml", "examples/vehicle-telemetry.yaml", "examples/payments.yaml"])
    func everyGeneratedConfigPassesLint(example: String) throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ka-gen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let g = try CLIRunner.run(["generate", example, "--target", "all", "--out", out.path])
        try #require(g.status == 0, "\(g.stderr)")
        var files: [String] = []
        for dir in ["client-configs", "broker-config", "strimzi"] {
            let path = out.appendingPathComponent(dir).path
            files += try FileManager.default.contentsOfDirectory(atPath: path).sorted()
                .filter { $0.hasSuffix(".properties") || $0.hasSuffix(".yaml") }.map { "\(path)/\($0)" }
        }
        // The JMX exporter's ConfigMap (kafka-metrics.yaml) is reviewed too: lint skips it with a notice.
        #expect(files.contains { $0.hasSuffix("/kafka-metrics.yaml") })
        #expect(files.count >= 10)
        let r = try CLIRunner.run(["lint"] + files + ["--profile", "durability", "--format", "json"])
        #expect(r.status == 0, "\(example): \(r.stdout)")
        let findings = try CLIRunner.json(r.stdout)["findings"] as? [Any]
        #expect(findings?.isEmpty == true, "\(example): \(findings ?? [])")
    }

    /// Every example domain's deliverables through the real validators: the Strimzi CRDs, promtool and
    /// python-hcl2 (the committed ecommerce output is checked in detail above).
    @Test(
        .requires(.promtool, .python("hcl2"), .python("jsonschema"), .python("yaml")),
        arguments: ["examples/ecommerce.yaml", "examples/vehicle-telemetry.yaml", "examples/payments.yaml"])
    func everyExamplesDeliverablesPassTheValidators(example: String) throws {
        guard Peer.promtool.isAvailable, Peers.pythonHas("hcl2") else {
            return Peers.missing("promtool and python-hcl2")
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ka-gen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let g = try CLIRunner.run(["generate", example, "--target", "all", "--out", out.path])
        try #require(g.status == 0, "\(g.stderr)")
        let crds = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/strimzi-crds").path
        let strimzi = ["kafka.yaml", "topics.yaml", "users.yaml"].map {
            out.appendingPathComponent("strimzi/\($0)").path
        }
        let v = try Peers.run(
            "python3", [Peers.script.appendingPathComponent("validate_strimzi.py").path, crds] + strimzi)
        #expect(v.stdout.hasPrefix("valid"), "\(example): \(v.stdout)\(v.stderr)")
        let rules = try Peers.run(
            "promtool", ["check", "rules", out.appendingPathComponent("prometheus/alerts.yml").path])
        #expect(rules.status == 0, "\(example): \(rules.stdout)\(rules.stderr)")
        for tf in ["terraform/main.tf", "terraform/moved.tf"] {
            let h = try Peers.run(
                "python3",
                ["-c", "import hcl2, sys; hcl2.load(open(sys.argv[1]))", out.appendingPathComponent(tf).path])
            #expect(h.status == 0, "\(example) \(tf): \(h.stderr)")
        }
    }

    /// On MSK the Terraform module parses, declares its providers once (Terraform refuses a second
    /// required_providers block), and every resource main.tf's provider or msk.tf refers to is declared.
    @Test(.requires(.python("hcl2"))) func mskTerraformIsOneValidModule() throws {
        guard Peers.pythonHas("hcl2") else { return Peers.missing("python module hcl2 (python-hcl2)") }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ka-gen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let g = try CLIRunner.run([
            "generate", "examples/ride-hailing-msk.yaml", "--target", "terraform", "--out", out.path,
        ])
        try #require(g.status == 0, "\(g.stderr)")
        let script = """
            import hcl2, json, sys
            blocks, resources, refs = 0, set(), set()
            import re
            for path in sys.argv[1:]:
                text = open(path).read()
                d = hcl2.loads(text)
                blocks += len(d.get("terraform", []))
                for r in d.get("resource", []):
                    for kind, named in r.items():
                        for name in named:
                            resources.add(kind.strip('"') + "." + name.strip('"'))
                refs |= set(re.findall(r"(aws_[a-z_]+\\.[a-z0-9_]+)\\.", text))
            print(json.dumps({"blocks": blocks, "missing": sorted(refs - resources)}))
            """
        let paths = ["main.tf", "moved.tf", "msk.tf"].map { out.appendingPathComponent("terraform/\($0)").path }
        let h = try Peers.run("python3", ["-c", script] + paths)
        try #require(h.status == 0, "\(h.stderr)")
        let doc = try CLIRunner.json(h.stdout)
        #expect(doc["blocks"] as? Int == 1, "one terraform block in the module")
        #expect((doc["missing"] as? [String])?.isEmpty == true, "\(h.stdout)")
    }

    /// The capacity report is the plan `plan --format markdown` prints for the same file, word for word.
    @Test(arguments: ["examples/ecommerce.yaml", "examples/vehicle-telemetry.yaml", "examples/payments.yaml"])
    func theCapacityReportIsThePlan(example: String) throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ka-gen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let g = try CLIRunner.run(["generate", example, "--target", "reports", "--out", out.path])
        try #require(g.status == 0, "\(g.stderr)")
        let report = try String(contentsOf: out.appendingPathComponent("reports/capacity.md"), encoding: .utf8)
        let plan = try CLIRunner.run(["plan", example, "--format", "markdown"])
        #expect(plan.status == 0)
        let body = report.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).joined(separator: "\n")
        #expect(body == plan.stdout)
    }

    @Test func scriptsAreValidBashAndJSONParses() throws {
        let dir = CLIRunner.packageRoot.appendingPathComponent("examples/generated")
        for script in [
            "create-topics.sh", "create-acls.sh", "set-quotas.sh", "create-scram-users.sh", "format-storage.sh",
        ] {
            let r = try Peers.run("bash", ["-n", dir.appendingPathComponent("scripts/\(script)").path])
            #expect(r.status == 0, "\(script): \(r.stderr)")
        }
        let dashboard =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: dir.appendingPathComponent("grafana/dashboard.json"))) as? [String: Any]
        #expect((dashboard?["panels"] as? [Any])?.count ?? 0 >= 8)
        let runbooks = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("runbooks").path)
            .sorted()
        #expect(
            runbooks == [
                "broker-replacement.md", "broker-saturation.md", "compaction-stalls.md",
                "consumer-group-offset-reset.md",
                "consumer-lag.md", "controller-quorum.md", "disk-usage.md", "dlq-replay.md", "hanging-transactions.md",
                "partition-rebalancing.md", "quota-throttling.md", "rolling-upgrade.md",
            ])
        let replay = try String(contentsOf: dir.appendingPathComponent("runbooks/dlq-replay.md"), encoding: .utf8)
        #expect(replay.contains("notification-service.ecommerce.orders.events.dlq"))
    }

    @Test func nonEmptyDirectoryNeedsForce() throws {
        let (dir, first) = try Self.generate()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(first.status == 0)
        let second = try CLIRunner.run([
            "generate", "examples/ecommerce.yaml", "--target", "terraform", "--out", dir.path,
        ])
        #expect(second.status == 2)
        #expect(second.stderr.contains("--force"))
        let forced = try CLIRunner.run([
            "generate", "examples/ecommerce.yaml", "--target", "terraform", "--out", dir.path, "--force",
        ])
        #expect(forced.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["terraform"])
        let siblings = try FileManager.default.contentsOfDirectory(atPath: dir.deletingLastPathComponent().path)
        #expect(!siblings.contains { $0.hasPrefix(".\(dir.lastPathComponent).") }, "no temporary directory left behind")
    }

    @Test func badTargetAndMissingDesignExitTwo() throws {
        #expect(
            try CLIRunner.run(["generate", "examples/ecommerce.yaml", "--target", "helm", "--out", "/tmp/x"]).status
                == 2)
        let r = try CLIRunner.run([
            "generate", "examples/log-pipeline.yaml", "--target", "all", "--out",
            FileManager.default.temporaryDirectory.appendingPathComponent("ka-\(UUID().uuidString)").path,
        ])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no design"))
    }
}
