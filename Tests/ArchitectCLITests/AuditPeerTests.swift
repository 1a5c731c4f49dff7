import Foundation
import Testing

/// `cluster snapshot` and `audit` against brokers nobody here wrote, each field cross-checked with what
/// confluent-kafka's AdminClient (librdkafka 2.16) reads from the same cluster (Tests/Peers/admin_view.py).
@Suite struct AuditPeerTests {
    static func partitions(_ topics: Any?) -> [String] {
        ((topics as? [[String: Any]]) ?? []).filter { !(($0["name"] as? String) ?? "").hasPrefix("__") }.flatMap { t in
            ((t["partitions"] as? [[String: Any]]) ?? []).map {
                "\(t["name"] ?? "") \($0["partition"] ?? "") \($0["leader"] ?? "") \($0["replicas"] ?? "") \($0["isr"] ?? "")"
            }
        }.sorted()
    }

    static func brokers(_ list: Any?) -> [String] {
        ((list as? [[String: Any]]) ?? []).map { "\($0["id"] ?? "") \($0["host"] ?? "") \($0["port"] ?? "")" }.sorted()
    }

    static func peerView(_ bootstrap: String, _ extra: [String] = []) throws -> [String: Any] {
        let r = try Peers.run(
            "python3", [Peers.script.appendingPathComponent("admin_view.py").path, bootstrap] + extra)
        guard r.status == 0 else { throw PeerError("admin_view.py: \(r.stderr)") }
        return try CLIRunner.json(r.stdout)
    }

    /// Tansu: the snapshot says what it lacks (no DescribeLogDirs, no configuration entries) and completes;
    /// brokers, partitions and a group's committed offsets match confluent-kafka's.
    @Test(.requires(.tansu, .python("confluent_kafka")))
    func tansuSnapshotMatchesConfluentKafka() throws {
        guard let binary = Peers.tansu else { return Peers.missing("Tansu broker (.build-peers/tansu)") }
        let broker = try TansuBroker(binary: binary)
        try broker.createTopic("orders", partitions: 6)
        try broker.createTopic("payments", partitions: 3)
        let theirs = try Self.peerView(
            broker.bootstrap, ["--group", "billing", "--commit", "orders:0:5", "--commit", "orders:3:7"])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("snap-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try CLIRunner.run(["cluster", "snapshot", "--bootstrap", broker.bootstrap, "-o", file.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("DescribeLogDirs"))
        let ours = try CLIRunner.json(try String(contentsOf: file, encoding: .utf8))
        #expect(ours["schemaVersion"] as? Int == 1)
        #expect(ours["complete"] as? Bool == true)
        #expect(ours["clusterId"] as? String == theirs["clusterId"] as? String)
        #expect(ours["controllerId"] as? Int == theirs["controllerId"] as? Int)
        #expect(Self.brokers(ours["brokers"]) == Self.brokers(theirs["brokers"]))
        #expect(Self.partitions(ours["topics"]) == Self.partitions(theirs["topics"]))
        #expect(Self.partitions(ours["topics"]).count == 9)
        let unsupported = (ours["unsupported"] as? [[String: Any]] ?? []).compactMap { $0["api"] as? String }
        #expect(unsupported.contains("DescribeLogDirs"))
        #expect(unsupported.contains { $0.hasPrefix("DescribeConfigs") })
        // Log dirs unknown: sizes are null, not zero.
        let first = ((ours["topics"] as? [[String: Any]])?.first?["partitions"] as? [[String: Any]])?.first
        #expect(first?["sizeBytes"] is NSNull)
        let group = (ours["groups"] as? [[String: Any]])?.first { $0["groupId"] as? String == "billing" }
        let offsets = (group?["offsets"] as? [[String: Any]] ?? []).map {
            "\($0["topic"] ?? "") \($0["partition"] ?? "") \($0["offset"] ?? "")"
        }
        let peerOffsets = (theirs["offsets"] as? [[String: Any]] ?? []).map {
            "\($0["topic"] ?? "") \($0["partition"] ?? "") \($0["offset"] ?? "")"
        }
        #expect(offsets == peerOffsets)
        #expect(offsets == ["orders 0 5", "orders 3 7"])
        // The audit of that snapshot runs offline with the same exit code rules; an inactive group is info.
        let audit = try CLIRunner.run(["audit", "--snapshot", file.path, "--format", "json"])
        #expect(audit.status == 0, "\(audit.stderr)")
        let report = try CLIRunner.json(audit.stdout)
        let ids = (report["findings"] as? [[String: Any]] ?? []).compactMap { $0["ruleId"] as? String }
        #expect(ids.contains("KA-HLT-018"))
    }

    /// librdkafka 2.0.2's mock puts every replica on brokers 1–3 of six: replica skew, brokers 4–6 named idle.
    @Test(.requires(.mockCluster, .python("confluent_kafka")))
    func mockClusterSkewIsReported() throws {
        guard let binary = MockCluster.binary else { return Peers.missing("librdkafka mock cluster") }
        let mock = try MockCluster(
            binary: binary,
            arguments: [
                "--brokers", "6", "--rack", "1=a", "--rack", "2=a", "--rack", "3=b", "--rack", "4=b", "--rack", "5=c",
                "--rack", "6=c", "--topic", "skewed:12:3",
            ])
        let theirs = try Self.peerView(mock.bootstrap, ["--metadata-only"])
        let r = try CLIRunner.run([
            "audit", "--bootstrap", mock.bootstrap, "--format", "json", "--fail-on", "never", "--timeout", "20s",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try CLIRunner.json(r.stdout)
        let findings = report["findings"] as? [[String: Any]] ?? []
        let idle = findings.first { $0["ruleId"] as? String == "KA-HLT-021" }
        #expect((idle?["location"] as? [String: Any])?["brokers"] as? [Int] == [4, 5, 6])
        let skew = findings.first { $0["ruleId"] as? String == "KA-HLT-008" }
        #expect((skew?["message"] as? String)?.contains("idle: broker 4, 5, 6") == true)
        // Our replica counts are confluent-kafka's.
        var counts: [Int: Int] = [:]
        for t in theirs["topics"] as? [[String: Any]] ?? [] {
            for p in t["partitions"] as? [[String: Any]] ?? [] {
                for b in p["replicas"] as? [Int] ?? [] { counts[b, default: 0] += 1 }
            }
        }
        let load = ((report["summary"] as? [String: Any])?["brokerLoad"] as? [[String: Any]] ?? []).map {
            "\($0["broker"] ?? ""):\($0["replicas"] ?? "")"
        }
        #expect(load == (1...6).map { "\($0):\(counts[$0] ?? 0)" })
        // The mock serves client APIs only: what it lacks is named, the audit still completes.
        let unsupported = (report["unsupported"] as? [[String: Any]] ?? []).compactMap { $0["api"] as? String }
        #expect(unsupported.contains("DescribeConfigs") && unsupported.contains("DescribeAcls"))
        #expect(report["complete"] as? Bool == true)
    }

    /// librdkafka 2.16's mock (newer API versions): the snapshot's partitions and racks are confluent-kafka's.
    @Test(.requires(.mockCluster216, .python("confluent_kafka")))
    func newerMockSnapshotMatchesConfluentKafka() throws {
        guard let binary = MockCluster.binary216 else { return Peers.missing("librdkafka 2.16 mock cluster") }
        let mock = try MockCluster(
            binary: binary,
            arguments: ["--brokers", "3", "--rack", "1=a", "--rack", "2=b", "--rack", "3=c", "--topic", "t:6:3"])
        let theirs = try Self.peerView(mock.bootstrap, ["--metadata-only"])
        let r = try CLIRunner.run(["cluster", "snapshot", "--bootstrap", mock.bootstrap, "--timeout", "20s"])
        #expect(r.status == 0, "\(r.stderr)")
        let ours = try CLIRunner.json(r.stdout)
        #expect(Self.partitions(ours["topics"]) == Self.partitions(theirs["topics"]))
        #expect(Self.brokers(ours["brokers"]) == Self.brokers(theirs["brokers"]))
        let racks = (ours["brokers"] as? [[String: Any]] ?? []).compactMap { $0["rack"] as? String }
        #expect(racks == ["a", "b", "c"])
        // Log-end offsets are real (the mock's watermarks are right): 0 on a fresh topic.
        let ends = (ours["topics"] as? [[String: Any]] ?? []).flatMap { ($0["partitions"] as? [[String: Any]]) ?? [] }
            .compactMap { $0["logEndOffset"] as? Int }
        #expect(ends == Array(repeating: 0, count: 6))
    }

    /// The hand-written degraded snapshot through the command: exit 1 on its errors, SARIF valid against the
    /// schema with a logical location per finding, the same findings in every format.
    @Test(.requires(.python("jsonschema"))) func auditFormatsOfASnapshot() throws {
        guard Peers.pythonHas("jsonschema") else { return Peers.missing("python module jsonschema") }
        let snapshot = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/snapshots/degraded.json").path
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).sarif").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let sarif = try CLIRunner.run(["audit", "--snapshot", snapshot, "--format", "sarif", "-o", out])
        #expect(sarif.status == 1, "\(sarif.stderr)")
        let v = try Peers.run(
            "python3",
            [
                Peers.script.appendingPathComponent("validate_sarif.py").path,
                CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/sarif-schema-2.1.0.json").path, out,
            ])
        #expect(v.stdout.hasPrefix("valid"), "\(v.stdout)\(v.stderr)")
        let log = try CLIRunner.json(try String(contentsOfFile: out, encoding: .utf8))
        let results = ((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
        let json = try CLIRunner.json(try CLIRunner.run(["audit", "--snapshot", snapshot, "--format", "json"]).stdout)
        let findings = json["findings"] as? [[String: Any]] ?? []
        #expect(results.count == findings.count && !findings.isEmpty)
        #expect(
            results.compactMap { $0["ruleId"] as? String } == findings.compactMap { $0["ruleId"] as? String })
        let markdown = try CLIRunner.run(["audit", "--snapshot", snapshot, "--format", "markdown"])
        #expect(markdown.stdout.contains("| error | KA-HLT-001 | topic orders partition 3 |"))
        let text = try CLIRunner.run(["audit", "--snapshot", snapshot, "--fail-on", "never"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("partitions: 1 offline, 3 under-replicated, 2 under min ISR, 1 at min ISR"))
    }

    /// --rate-window reads log-end offsets twice: 120 records produced to partition 0 inside a 3 s window are
    /// 40 messages/s there and 0 elsewhere (the mock's watermarks are exact).
    @Test(.requires(.mockCluster216))
    func rateWindowMeasuresAppendsBetweenTwoReads() throws {
        guard let binary = MockCluster.binary216 else { return Peers.missing("librdkafka 2.16 mock cluster") }
        let mock = try MockCluster(binary: binary, arguments: ["--brokers", "1", "--topic", "rates:3:1"])
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("rates-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: out) }
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = [
            "cluster", "snapshot", "--bootstrap", mock.bootstrap, "--rate-window", "3s", "--timeout", "20s", "-o",
            out.path,
        ]
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 1.0)
        try mock.command("produce rates 0 120")
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let doc = try CLIRunner.json(try String(contentsOf: out, encoding: .utf8))
        #expect(doc["rateWindowSeconds"] as? Double == 3)
        let partitions = (doc["topics"] as? [[String: Any]])?.first?["partitions"] as? [[String: Any]] ?? []
        #expect(partitions.map { $0["messagesInPerSecond"] as? Double } == [40, 0, 0])
        #expect(partitions.first?["logEndOffset"] as? Int == 120)
    }

    @Test func badSnapshotsAndFlagsExitTwoWithOneLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let truncated = dir.appendingPathComponent("truncated.json")
        try "{\"schemaVersion\": 1, \"topics\": [{\"na".write(to: truncated, atomically: true, encoding: .utf8)
        let newer = dir.appendingPathComponent("newer.json")
        try "{\"schemaVersion\": 7}".write(to: newer, atomically: true, encoding: .utf8)
        for (args, words) in [
            (["audit", "--snapshot", truncated.path], "truncated.json: $: not valid JSON"),
            (["audit", "--snapshot", newer.path], "newer.json: $.schemaVersion: is 7"),
            (["audit", "--snapshot", dir.appendingPathComponent("absent.json").path], "absent.json: cannot read"),
            (["audit"], "--bootstrap"),
            (["audit", "--snapshot", newer.path, "--bootstrap", "localhost:9092"], "give one"),
            (["cluster", "snapshot", "--bootstrap", "localhost:9092", "--rate-window", "99999h"], "--rate-window"),
        ] {
            let r = try CLIRunner.run(args)
            #expect(r.status == 2, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(words), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count <= 2, "\(args): \(r.stderr)")
            #expect(!r.stderr.contains("Fatal error"))
        }
        // Nothing listening: exit 3 within the timeout, one line.
        let port = try TansuBroker.freePort()
        let down = try CLIRunner.run(["audit", "--bootstrap", "127.0.0.1:\(port)", "--timeout", "2s"])
        #expect(down.status == 3, "\(down.stderr)")
    }
}
