import Foundation
import Testing

/// `diff` (issue 17): the design's resources against Tansu, a snapshot of it, and the mock.
@Suite(.serialized) struct DiffPeerTests {
    static let shop = """
        version: 1
        name: shop
        domains:
          - name: shop
            entities:
              - name: orders
                kind: events
                key: orderId
                messagesPerSecond: 100
                messageSize: 1KB
        services:
          - name: checkout
            domain: shop
            produces: [shop.orders.events]
          - name: billing
            domain: shop
            consumes:
              - stream: shop.orders.events
                idempotent: true
        """

    static func write(_ text: String, _ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Tansu holds the orders topic at RF 1 (its only broker) and a stray topic: the RF cannot change without a
    /// reassignment, the five ACLs the design derives are creates, the configs cannot be confirmed (Tansu returns
    /// no DescribeConfigs entries), the stray topic is unmanaged. A snapshot of the same cluster gives the same plan.
    @Test(.requires(.tansu))
    func designAgainstTansuAndItsSnapshot() throws {
        guard let binary = Peers.tansu else { return Peers.missing("the Tansu broker") }
        let tansu = try TansuBroker(binary: binary)
        try tansu.createTopic("shop.orders.events", partitions: 3)
        try tansu.createTopic("stray", partitions: 2)
        let file = try Self.write(Self.shop, "shop.yaml")
        let snapshot = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString).json")
        defer {
            try? FileManager.default.removeItem(at: file)
            try? FileManager.default.removeItem(at: snapshot)
        }
        let live = try CLIRunner.run(["diff", file.path, "--bootstrap", tansu.bootstrap, "--format", "json"])
        #expect(live.status == 1, "\(live.stderr)")
        #expect(live.stderr.contains("DescribeConfigs (topics)"))
        let plan = try CLIRunner.json(live.stdout)
        let changes = try #require(plan["changes"] as? [[String: Any]])
        let rf = changes.first { $0["action"] as? String == "cannot" }
        #expect(rf?["name"] as? String == "shop.orders.events")
        #expect(rf?["before"] as? String == "RF 1")
        #expect(
            changes.filter { $0["resourceType"] as? String == "acl" && $0["action"] as? String == "create" }.count == 5)
        #expect(
            changes.filter { $0["resourceType"] as? String == "config" }.allSatisfy {
                ($0["reason"] as? String)?.contains("cannot be confirmed") == true
            })
        #expect(plan["unmanaged"] as? [String] == ["topic stray"])

        let taken = try CLIRunner.run(["cluster", "snapshot", "--bootstrap", tansu.bootstrap, "-o", snapshot.path])
        #expect(taken.status == 0, "\(taken.stderr)")
        let offline = try CLIRunner.run(["diff", file.path, "--snapshot", snapshot.path, "--format", "json"])
        #expect(offline.status == 1)
        let again = try CLIRunner.json(offline.stdout)
        #expect(again["fingerprint"] as? String == plan["fingerprint"] as? String)
        #expect((again["changes"] as? [[String: Any]])?.count == changes.count)

        let text = try CLIRunner.run(["diff", file.path, "--snapshot", snapshot.path])
        #expect(text.stdout.contains("! topic shop.orders.events: RF 1 → RF 3"))
        #expect(text.stdout.contains("+ acl Allow User:billing Read Group:billing (Literal) from *"))
        #expect(text.stdout.contains("Unmanaged (on the cluster, not in the file; deleted only with --prune): 1"))
    }

    /// The mock serves no admin APIs: diff names them, exits 3 and prints no plan.
    @Test(.requires(.mockCluster216))
    func theMockCannotBeDiffed() throws {
        guard let binary = MockCluster.binary216 else { return Peers.missing("librdkafka 2.16 mock cluster") }
        let mock = try MockCluster(binary: binary, arguments: ["--brokers", "1", "--topic", "shop.orders.events:3:1"])
        let file = try Self.write(Self.shop, "shop.yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try CLIRunner.run(["diff", file.path, "--bootstrap", mock.bootstrap])
        #expect(r.status == 3)
        #expect(r.stderr.contains("does not offer DescribeAcls, DescribeConfigs"))
        #expect(r.stdout.isEmpty)
    }

    /// A plan from a partial read is shown, marked, never saved (it could be applied as if whole), exit 3; a
    /// cluster without an authorizer cannot take ACLs.
    @Test func anIncompleteReadIsShownButNotSaved() throws {
        let file = try Self.write(
            "version: 1\ntopics:\n  - name: lab.x\n    partitions: 1\n    replicationFactor: 1\nacls:\n  - principal: User:a\n    operation: Read\n    topic: lab.x\n",
            "lab.yaml")
        let snapshot = try Self.write(
            """
            {"schemaVersion": 1, "takenAt": "2026-12-03T00:00:00Z", "clusterId": "c-9", "complete": false,
             "missing": ["DescribeConfigs for topic lab.y: timed out"],
             "unsupported": [{"api": "DescribeAcls", "brokers": [],
               "reason": "SECURITY_DISABLED: no authorizer is configured, so no ACLs apply"}],
             "brokers": [{"id": 1, "host": "a", "port": 9092, "rack": null}], "topics": []}
            """, "partial.json")
        let plan = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-plan.json")
        defer {
            for u in [file, snapshot, plan] { try? FileManager.default.removeItem(at: u) }
        }
        let r = try CLIRunner.run(["diff", file.path, "--snapshot", snapshot.path, "-o", plan.path])
        #expect(r.status == 3, "\(r.stderr)")
        #expect(r.stdout.contains("+ topic lab.x"))
        #expect(r.stdout.contains("! acl Allow User:a Read Topic:lab.x (Literal) from *"))
        #expect(r.stdout.contains("no authorizer"))
        #expect(r.stdout.contains("Incomplete:"))
        #expect(r.stderr.contains("plan not saved: DescribeConfigs for topic lab.y: timed out"))
        #expect(!FileManager.default.fileExists(atPath: plan.path))
    }

    @Test func badInputsExitTwo() throws {
        let noDesign = try Self.write(
            "version: 1\nname: x\ntopics:\n  - name: t\n    messagesPerSecond: 1\n    messageSize: 1KB\n", "plain.yaml")
        defer { try? FileManager.default.removeItem(at: noDesign) }
        for (args, words) in [
            (["diff", noDesign.path, "--snapshot", "/nonexistent.json"], "nothing to manage"),
            (["diff", "examples/ecommerce.yaml"], "--bootstrap"),
            (["diff", "examples/ecommerce.yaml", "--snapshot", "a.json", "--bootstrap", "127.0.0.1:1"], "give one"),
        ] {
            let r = try CLIRunner.run(args)
            #expect(r.status == 2, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(words), "\(args): \(r.stderr)")
        }
    }
}
