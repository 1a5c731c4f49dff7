import Foundation
import Testing

@Suite(.serialized) struct PlanCommandTests {
    static let examples = ["log-pipeline", "ecommerce", "dev-cluster", "petabyte-tiered", "ride-hailing-msk"]

    @Test(arguments: examples)
    func everyExamplePlansInEveryFormat(name: String) throws {
        for format in ["text", "json", "markdown"] {
            let r = try CLIRunner.run(["plan", "examples/\(name).yaml", "--format", format])
            #expect(r.status == 0, "\(name) \(format): \(r.stderr)")
            #expect(r.stderr.isEmpty)
            let marker = format == "json" ? "\"formula\" : \"dailyIngressBytes" : "= "
            #expect(r.stdout.contains(marker) || r.stdout.contains("Σ topics"), "formulas missing from \(format)")
            if format == "json" { #expect(r.stdout.contains("\"inputs\"")) }
        }
    }

    @Test func handCheckThroughJSON() throws {
        let r = try CLIRunner.run(["plan", "examples/log-pipeline.yaml", "--format", "json"])
        #expect(r.status == 0)
        let doc = try CLIRunner.json(r.stdout)
        let throughput = try #require(doc["throughput"] as? [String: Any])
        let storage = try #require(doc["storage"] as? [String: Any])
        let cost = try #require(doc["cost"] as? [String: Any])
        #expect(throughput["ingressBytesPerSecond"] as? Double == 50e6)
        #expect(throughput["ingressWireBytesPerSecond"] as? Double == 50e6)
        #expect(throughput["replicationBytesPerSecond"] as? Double == 100e6)
        #expect(throughput["egressBytesPerSecond"] as? Double == 150e6)
        #expect(storage["dailyIngressBytes"] as? Double == 4.32e12)
        #expect(storage["retainedBytes"] as? Double == 90.72e12)
        #expect(storage["totalBytes"] as? Double == 117.936e12)
        #expect((cost["monthlyUSD"] as? Double ?? 0) > 0)
        #expect((doc["brokers"] as? Int ?? 0) >= 3)
        #expect(
            [
                "availability", "networkIn", "networkOut", "diskCapacity", "diskThroughput", "replicaDensity", "cpu",
                "recovery", "brokerFailure", "zoneFailure",
            ].contains(doc["bindingConstraint"] as? String ?? ""))
        let figures = try #require(doc["figures"] as? [[String: Any]])
        let retained = try #require(figures.first { $0["id"] as? String == "storage.retainedBytes" })
        #expect(retained["formula"] as? String == "dailyIngressBytes × retentionDays × replicationFactor")
        #expect((retained["inputs"] as? [[String: Any]])?.count == 3)
    }

    @Test func deploymentsAreListedAndTheFlagSwitchesThem() throws {
        let msk = try CLIRunner.json(
            try CLIRunner.run(["plan", "examples/ride-hailing-msk.yaml", "--format", "json"]).stdout)
        #expect(msk["deployment"] as? String == "msk")
        let alternatives = try #require(msk["alternatives"] as? [[String: Any]])
        #expect(
            alternatives.map { "\($0["deployment"] ?? "")/\($0["pricing"] ?? "")" } == [
                "ec2/on-demand", "ec2/reserved-3y", "msk/on-demand",
            ])
        #expect(alternatives.filter { $0["chosen"] as? Bool == true }.map { $0["deployment"] as? String } == ["msk"])
        let prices = alternatives.compactMap { $0["monthlyUSD"] as? Double }
        let cheapest = try #require(alternatives.first { $0["cheapest"] as? Bool == true })
        #expect(cheapest["monthlyUSD"] as? Double == prices.min())
        // --deployment ec2 plans the EC2 alternative itself: the same brokers and cost as listed.
        let ec2 = try CLIRunner.json(
            try CLIRunner.run(["plan", "examples/ride-hailing-msk.yaml", "--deployment", "ec2", "--format", "json"])
                .stdout)
        #expect(ec2["deployment"] as? String == "ec2")
        #expect(ec2["brokers"] as? Int == alternatives[0]["brokers"] as? Int)
        #expect((ec2["cost"] as? [String: Any])?["monthlyUSD"] as? Double == alternatives[0]["monthlyUSD"] as? Double)
        let text = try CLIRunner.run(["plan", "examples/ride-hailing-msk.yaml"]).stdout
        #expect(text.contains("Deployments") && text.contains("← this plan") && text.contains("cheapest"))
    }

    /// docs/plan.md's worked MSK example quotes the plan: the figures it prints must be the plan's.
    @Test func theDocumentedMSKExampleIsThePlan() throws {
        let doc = try CLIRunner.json(
            try CLIRunner.run(["plan", "examples/ride-hailing-msk.yaml", "--format", "json"]).stdout)
        let docs = try String(
            contentsOf: CLIRunner.packageRoot.appendingPathComponent("docs/plan.md"), encoding: .utf8)
        let brokers = try #require(doc["brokers"] as? Int)
        let instance = try #require((doc["instance"] as? [String: Any])?["type"] as? String)
        #expect(docs.contains("\(brokers) × \(instance), bound by the recovery target"))
        let alternatives = try #require(doc["alternatives"] as? [[String: Any]])
        for a in alternatives {
            let usd = try #require(a["monthlyUSD"] as? Double)
            let text =
                "$"
                + String(format: "%.2f", usd).replacingOccurrences(
                    of: #"(\d)(?=(\d{3})+\.)"#, with: "$1,", options: .regularExpression)
            #expect(docs.contains(text), "docs/plan.md lacks \(text)")
        }
    }

    @Test func flagsGiveTheSameAnswerAsTheFile() throws {
        let flags = try CLIRunner.run([
            "plan", "--messages-per-second", "50k", "--message-size", "1KB", "--retention", "7d",
            "--replication-factor", "3",
            "--consumer-groups", "3", "--compression-ratio", "1", "--availability-zones", "3", "--storage-overhead",
            "0.3",
            "--growth", "2", "--format", "json",
        ])
        #expect(flags.status == 0, "\(flags.stderr)")
        let doc = try CLIRunner.json(flags.stdout)
        let storage = try #require(doc["storage"] as? [String: Any])
        #expect(storage["totalBytes"] as? Double == 117.936e12)
        let file = try CLIRunner.json(
            try CLIRunner.run(["plan", "examples/log-pipeline.yaml", "--format", "json"]).stdout)
        #expect(doc["brokers"] as? Int == file["brokers"] as? Int)
        #expect(
            (doc["cost"] as? [String: Any])?["monthlyUSD"] as? Double == (file["cost"] as? [String: Any])?["monthlyUSD"]
                as? Double)
    }

    @Test func instanceFlagOverridesTheFile() throws {
        let r = try CLIRunner.run([
            "plan", "examples/log-pipeline.yaml", "--instance", "i3en.3xlarge", "--storage", "local-nvme", "--format",
            "json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        #expect((doc["instance"] as? [String: Any])?["type"] as? String == "i3en.3xlarge")
    }

    @Test func outputIsByteIdenticalAcrossRuns() throws {
        for format in ["text", "json", "markdown"] {
            let a = try CLIRunner.run(["plan", "examples/ecommerce.yaml", "--format", format])
            let b = try CLIRunner.run(["plan", "examples/ecommerce.yaml", "--format", format])
            #expect(a.stdout == b.stdout)
        }
    }

    @Test func writesOutputFileAtomically() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ka-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("plan.md").path
        let r = try CLIRunner.run(["plan", "examples/log-pipeline.yaml", "--format", "markdown", "-o", path])
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.hasPrefix("# Capacity plan: log-pipeline"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["plan.md"])
    }

    /// Regression: `-o /dev/null` once renamed a temporary file over /dev/null (as root, replacing
    /// the device with a regular file). Non-regular paths are now written in place.
    @Test func writingToDevNullKeepsTheDevice() throws {
        let r = try CLIRunner.run(["plan", "examples/dev-cluster.yaml", "-o", "/dev/null"])
        #expect(r.status == 0)
        let type = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType
        #expect(type == .typeCharacterSpecial)
    }

    @Test func readsStandardInput() throws {
        let text = try String(
            contentsOf: CLIRunner.packageRoot.appendingPathComponent("examples/dev-cluster.yaml"), encoding: .utf8)
        let r = try CLIRunner.run(["plan", "-"], stdin: text)
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("Capacity plan: dev"))
    }

    @Test func helpHasAnExample() throws {
        let r = try CLIRunner.run(["plan", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("kafka-architect plan examples/log-pipeline.yaml"))
        #expect(r.stdout.contains("--messages-per-second"))
        let root = try CLIRunner.run(["--help"])
        #expect(root.status == 0)
        #expect(root.stdout.contains("Exit codes"))
    }
}

/// Bad input: one line naming the file, line and field; exit code 2; never a stack trace.
@Suite(.serialized) struct BadInputTests {
    func writeTemp(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ka-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func expectOneLineError(
        _ r: CLIRunner.Result, contains parts: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(r.status == 2, sourceLocation: sourceLocation)
        #expect(r.stdout.isEmpty, sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "expected one line, got: \(r.stderr)", sourceLocation: sourceLocation)
        for part in parts {
            #expect(r.stderr.contains(part), "missing '\(part)' in: \(r.stderr)", sourceLocation: sourceLocation)
        }
        #expect(!r.stderr.contains("Fatal error"), sourceLocation: sourceLocation)
    }

    static let base = """
        name: bad
        policy:
          replicationFactor: 3
          minInsyncReplicas: 2
        topics:
          - name: t
            messagesPerSecond: 1000
            messageSize: 1KB
        """

    @Test func unknownField() throws {
        let path = try writeTemp(Self.base + "\n    retentionTime: 7d\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        expectOneLineError(
            try CLIRunner.run(["plan", path]), contains: ["\(path):9:", "topics[0].retentionTime", "unknown field"])
    }

    @Test func negativeRate() throws {
        let path = try writeTemp(
            Self.base.replacingOccurrences(of: "messagesPerSecond: 1000", with: "messagesPerSecond: -1000"))
        defer { try? FileManager.default.removeItem(atPath: path) }
        expectOneLineError(
            try CLIRunner.run(["plan", path]), contains: ["\(path):7:", "topics[0].messagesPerSecond", "positive"])
    }

    @Test func minISRAboveRF() throws {
        let path = try writeTemp(
            Self.base.replacingOccurrences(of: "minInsyncReplicas: 2", with: "minInsyncReplicas: 5"))
        defer { try? FileManager.default.removeItem(atPath: path) }
        expectOneLineError(try CLIRunner.run(["plan", path]), contains: ["\(path):4:", "policy.minInsyncReplicas"])
    }

    @Test func unknownInstance() throws {
        let path = try writeTemp(
            "environment:\n  instance: x9.tiny\n" + Self.base.replacingOccurrences(of: "name: bad\n", with: ""))
        defer { try? FileManager.default.removeItem(atPath: path) }
        expectOneLineError(
            try CLIRunner.run(["plan", path]), contains: ["\(path):2:", "environment.instance", "x9.tiny"])
    }

    @Test func unparseableUnit() throws {
        let path = try writeTemp(
            Self.base.replacingOccurrences(of: "messageSize: 1KB", with: "messageSize: 1 kilobyte"))
        defer { try? FileManager.default.removeItem(atPath: path) }
        expectOneLineError(
            try CLIRunner.run(["plan", path]), contains: ["\(path):8:", "topics[0].messageSize", "1KiB"])
    }

    @Test func brokenYAML() throws {
        let path = try writeTemp("topics: [\n  - {name: x\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        expectOneLineError(try CLIRunner.run(["plan", path]), contains: [path, "not valid YAML"])
    }

    @Test func missingFile() throws {
        expectOneLineError(
            try CLIRunner.run(["plan", "no/such/file.yaml"]), contains: ["no/such/file.yaml", "no such file"])
    }

    @Test func notUTF8() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ka-\(UUID().uuidString).yaml").path
        try Data([0xFF, 0xFE, 0x00, 0x41]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        expectOneLineError(try CLIRunner.run(["plan", path]), contains: [path, "UTF-8"])
    }

    @Test func badFlagValue() throws {
        expectOneLineError(
            try CLIRunner.run(["plan", "--messages-per-second", "lots", "--message-size", "1KB"]),
            contains: ["--messages-per-second", "'lots'"])
        expectOneLineError(
            try CLIRunner.run([
                "plan", "--messages-per-second", "5k", "--message-size", "1KB", "--min-insync-replicas", "4",
            ]), contains: ["--min-insync-replicas"])
        expectOneLineError(
            try CLIRunner.run(["plan", "--messages-per-second", "5k", "--message-size", "1KB", "--instance", "nope"]),
            contains: ["--instance", "nope"])
    }

    @Test func hugeAndImpossibleInputsAreOneLineErrors() throws {
        let base = ["plan", "--message-size", "1KB"]
        for (args, parts) in [
            (["--messages-per-second", "1e30"], ["--messages-per-second", "1 billion"]),
            (["--messages-per-second", "1e12"], ["--messages-per-second"]),
            (["--messages-per-second", "5k", "--replication-factor", "5", "--brokers", "3"], ["--brokers", "5"]),
            (["--messages-per-second", "5k", "--retention", "1d", "--tiered-local-retention", "3d"], ["local"]),
            (
                ["--messages-per-second", "5k", "--consumer-groups", "99999999999999999999"],
                ["--consumer-groups", "100000"]
            ),
            (["--messages-per-second", "5k", "--retention", "1e30d"], ["--retention"]),
        ] {
            expectOneLineError(try CLIRunner.run(base + args), contains: parts)
        }
    }

    @Test func aFlagReplacesWhatTheFileGetsWrong() throws {
        let path = try writeTemp(
            """
            version: 1
            environment:
              brokers: 3
            policy:
              replicationFactor: 5
              minInsyncReplicas: 2
            topics:
              - name: t
                messagesPerSecond: 1k
                messageSize: 1KB
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        expectOneLineError(try CLIRunner.run(["plan", path]), contains: [path + ":3:", "environment.brokers"])
        let fixed = try CLIRunner.run(["plan", path, "--replication-factor", "3"])
        #expect(fixed.status == 0, "\(fixed.stderr)")
        expectOneLineError(
            try CLIRunner.run(["plan", path, "--replication-factor", "3", "--brokers", "2"]),
            contains: ["--brokers (overriding", "2 brokers"])
    }

    @Test func usageErrorsExitTwo() throws {
        let none = try CLIRunner.run(["plan"])
        #expect(none.status == 2)
        #expect(none.stderr.contains("--messages-per-second"))
        let unknown = try CLIRunner.run(["plan", "examples/log-pipeline.yaml", "--frobnicate"])
        #expect(unknown.status == 2)
        let mixed = try CLIRunner.run(["plan", "examples/log-pipeline.yaml", "--message-size", "2KB"])
        #expect(mixed.status == 2)
        #expect(mixed.stderr.contains("change the file's topics"))
    }

    @Test func unwritableOutputKeepsNothingHalfWritten() throws {
        let r = try CLIRunner.run(["plan", "examples/log-pipeline.yaml", "-o", "/nonexistent-dir/plan.txt"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("/nonexistent-dir/plan.txt"))
    }
}

@Suite struct InstancesCommandTests {
    @Test func listsTheCatalogWithDatedPrices() throws {
        let r = try CLIRunner.run(["instances"])
        #expect(r.status == 0)
        for family in ["m5.", "m6i.", "m7g.", "r6i.", "i3en.", "i4i."] { #expect(r.stdout.contains(family)) }
        #expect(r.stdout.contains("as of 2026-"))
        let json = try CLIRunner.json(try CLIRunner.run(["instances", "--family", "i4i", "--format", "json"]).stdout)
        let instances = try #require(json["instances"] as? [[String: Any]])
        #expect(instances.allSatisfy { ($0["name"] as? String ?? "").hasPrefix("i4i.") })
        let bad = try CLIRunner.run(["instances", "--family", "zz9"])
        #expect(bad.status == 2)
    }
}
