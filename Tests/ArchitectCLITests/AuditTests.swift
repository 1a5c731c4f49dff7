import ArchitectCore
import ArchitectFile
import ArchitectReports
import Foundation
import KafkaAdmin
import Testing

@testable import ArchitectCLI

/// The audit on small hand-written snapshots (docs/snapshot.md): the health states no peer can produce
/// (a shrunk ISR, offline replicas, a full disk, a hanging transaction) and the access rules. Each expected
/// finding is worked out by hand from the fixture, in the comments.
@Suite struct AuditTests {
    static func fixture(_ name: String) throws -> ClusterSnapshot {
        let url = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/snapshots/\(name)")
        return try SnapshotFile.decode(try Data(contentsOf: url), file: name)
    }

    static func keys(_ r: AuditReport, _ area: AuditArea) -> Set<String> {
        Set(r.findings.filter { $0.area == area }.map { "\($0.ruleId) \($0.location.description)" })
    }

    @Test func degradedClusterHealth() throws {
        let r = Auditor().audit(try Self.fixture("degraded.json"))
        #expect(
            Self.keys(r, .health) == [
                // orders (min ISR 2): p3 has no leader and offline replicas; p1 has ISR 1 < 2; p2 has ISR 2 = min.
                "KA-HLT-001 topic orders partition 3", "KA-HLT-005 topic orders partition 3",
                "KA-HLT-003 topic orders partition 1", "KA-HLT-004 topic orders partition 2",
                // p1, p2 and p3 have fewer in-sync replicas than replicas.
                "KA-HLT-002 topic orders",
                // No KA-HLT-006: broker 1 is the first replica of orders 3 too, but that partition has no leader and no
                // ISR, which a preferred election cannot fix; it leads the other three it is preferred for.
                // pairs 0 sits on brokers 1 and 2, both rack a, while rack b exists; pairs has RF 2 < 3.
                "KA-HLT-011 topic pairs partition 0", "KA-HLT-012 topic pairs",
                // __consumer_offsets has RF 1 on a three-broker cluster, and inherits the brokers' min ISR 2: its one
                // in-sync replica is below it, so offset commits (acks=all) fail.
                "KA-HLT-014 topic __consumer_offsets", "KA-HLT-003 topic __consumer_offsets partition 0",
                // broker 1's /data: 5 GiB free of 100 GiB (95% used); broker 3's log dir is offline.
                "KA-HLT-010 broker 1", "KA-HLT-010 broker 3",
                // 90 GB on broker 1 against a mean of 36.7 GB (110 GB / 3 brokers): above 1.25×.
                "KA-HLT-009 brokers 1",
                // billing has offsets and no members; payments-tx-0 opened 2 h before the snapshot (limit 15 min).
                "KA-HLT-018 group billing", "KA-HLT-019 topic orders",
            ])
        #expect(r.summary.underReplicated == 3)
        #expect(r.summary.underMinIsr == 2)
        #expect(r.summary.atMinIsr == 1)
        #expect(r.summary.offline == 1)
        #expect(r.summary.partitions == 10)
        // Replicas: orders 18 (6 each), pairs 6 (2 each), __consumer_offsets 1 on broker 1.
        #expect(r.summary.leadersByBroker.map(\.replicas) == [9, 8, 8])
        #expect(r.findings.first { $0.ruleId == "KA-HLT-019" }?.message.contains("payments-tx-0") == true)
        #expect(!r.findings.contains { $0.message.contains("payments-tx-1") })
        #expect(r.findings.first?.severity == .error)
    }

    /// Live configuration goes through the lint rules: only broker 1 set unclean leader election (dynamically);
    /// brokers 2 and 3 report Kafka's default, which is not a setting.
    @Test func liveConfigurationIsLintedWithItsSource() throws {
        let r = Auditor().audit(try Self.fixture("degraded.json"))
        let unclean = r.findings.filter { $0.area == .configuration && $0.message.contains("unclean.leader.election") }
        #expect(!unclean.isEmpty)
        #expect(unclean.allSatisfy { $0.location == AuditLocation(broker: 1) })
    }

    @Test func accessRules() throws {
        let r = Auditor().audit(try Self.fixture("access.json"))
        #expect(
            Self.keys(r, .access) == [
                "KA-ACC-001 ACL Allow User:* All Topic:* (Literal) from *",
                "KA-ACC-002 ACL Allow User:* Write Topic:orders (Literal) from *",
                "KA-ACC-006 ACL Allow User:ops All Cluster:kafka-cluster (Literal) from *",
                // Nothing allows mallory on groups; billing's DENY on payments.card narrows its prefixed ALLOW.
                "KA-ACC-005 ACL Deny User:mallory Read Group:reports (Literal) from *",
            ])
        #expect(r.findings.first { $0.ruleId == "KA-ACC-006" }?.severity == .error)
    }

    @Test func quotasReadWithTheirEntities() throws {
        let s = try Self.fixture("access.json")
        #expect(s.quotas.count == 2)
        #expect(s.quotas[0].entity == .init(user: "billing"))
        #expect(s.quotas[0].values == ["producer_byte_rate": 1_048_576, "request_percentage": 25.5])
        #expect(s.quotas[1].entity.ip == "10.0.0.7")
        let again = try SnapshotFile.decode(Data(try SnapshotFile.encode(s).utf8), file: "again")
        #expect(again.quotas == s.quotas)
    }

    /// Reviewer's cases: implied operations, a Prefixed `*`, replicas on a broker metadata does not list,
    /// broker-inherited values not reported per topic, hostile names, and hostile JSON.
    @Test func reviewCases() throws {
        var s = ClusterSnapshot(takenAt: "t", takenAtMs: Int64.max)
        s.brokers = [.init(id: 1, host: "a", port: 1, rack: "x"), .init(id: 2, host: "b", port: 1, rack: "y")]
        s.acls = [
            .init(
                resourceType: "Topic", resourceName: "video.", patternType: "Prefixed", principal: "User:an", host: "*",
                operation: "Read", permission: "Allow"),
            .init(
                resourceType: "Topic", resourceName: "video.raw", patternType: "Literal", principal: "User:an",
                host: "*", operation: "Describe", permission: "Deny"),
            .init(
                resourceType: "Topic", resourceName: "*", patternType: "Prefixed", principal: "User:ops", host: "*",
                operation: "All", permission: "Allow"),
            .init(
                resourceType: "Topic", resourceName: "*", patternType: "Literal", principal: "User:*", host: "*",
                operation: "Read", permission: "Allow"),
        ]
        s.topics = [
            .init(
                name: "video.raw",
                configs: ["unclean.leader.election.enable": .init(value: "true", source: .dynamicBroker)],
                partitions: [.init(partition: 0, leader: 1, replicas: [1, 2, 9], isr: [1, 2])])
        ]
        s.brokerConfigs = ["1": ["unclean.leader.election.enable": .init(value: "true", source: .dynamicBroker)]]
        s.groups = [
            .init(
                groupId: "evil\u{1B}[2J\nline", state: "Empty", protocolType: "consumer",
                offsets: [.init(topic: "video.raw", partition: 0, offset: 1)])
        ]
        s.transactions = [
            .init(transactionalId: "t", state: "Ongoing", producerId: 1, startTimeMs: Int64.min, timeoutMs: Int32.max)
        ]
        s.logDirs = [.init(broker: 1, path: "/d", totalBytes: 10, usableBytes: Int64.min, partitionBytes: Int64.max)]
        let r = Auditor().audit(s)
        let ids = r.findings.map(\.ruleId)
        // Read implies Describe, so the DENY matters; a Prefixed * is not the wildcard (no error-level KA-ACC-006).
        #expect(!ids.contains("KA-ACC-005"))
        #expect(r.findings.first { $0.ruleId == "KA-ACC-006" }?.severity == .warning)
        #expect(ids.contains("KA-ACC-007"))
        #expect(r.findings.contains { $0.ruleId == "KA-HLT-023" && $0.location.brokers == [9] })
        // The unclean setting is the broker's: reported for broker 1, not again for the topic.
        #expect(
            !r.findings.contains {
                $0.area == .configuration && $0.location.topic == "video.raw" && $0.message.contains("unclean")
            })
        #expect(
            r.findings.contains {
                $0.area == .configuration && $0.location.broker == 1 && $0.message.contains("unclean")
            })
        let text = AuditRenderer().text(r)
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("evil\\u{1b}[2J\\u{a}line"))
        for bad in [
            String(repeating: "[", count: 6000), "{\"schemaVersion\": 1, \"clusterId\": \"\\uD800\\u0041\"}",
            "{\"schemaVersion\": 1, \"controllerId\": -}", "{\"schemaVersion\": 1, \"x\": 1-2-3}",
            "{\"schemaVersion\": 1, \"topics\": [{\"name\": \"a\", \"partitions\": [{\"partition\": 0}]}]}",
            "{\"schemaVersion\": 0}",
        ] {
            do {
                let decoded = try SnapshotFile.decode(Data(bad.utf8), file: "bad.json")
                #expect(decoded.clusterId == "\u{FFFD}A", "accepted \(bad.prefix(40))")
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
    }

    @Test func allowEveryoneIsAnError() throws {
        var s = try Self.fixture("access.json")
        s.brokerConfigs["1"]?["allow.everyone.if.no.acl.found"] = .init(value: "true", source: .static)
        let r = Auditor().audit(s)
        #expect(r.findings.contains { $0.ruleId == "KA-ACC-004" && $0.severity == .error })
        // With everyone allowed, a DENY does change decisions: it is no longer reported as dead.
        #expect(!r.findings.contains { $0.ruleId == "KA-ACC-005" })
    }

    /// Sensitive values never reach the file, flagged by Kafka or named like a secret.
    @Test func secretsAreNeverWritten() throws {
        let map = SnapshotCollector.configMap([
            .init(
                name: "ssl.keystore.password", value: "hunter2", source: 4, isSensitive: false, readOnly: true,
                isDefault: false),
            .init(
                name: "custom.secret", value: "s3cr3t", source: 2, isSensitive: true, readOnly: false, isDefault: false),
            .init(
                name: "log.retention.hours", value: "168", source: 5, isSensitive: false, readOnly: false,
                isDefault: true),
        ])
        var s = ClusterSnapshot(takenAt: "2026-12-01T00:00:00Z")
        s.brokerConfigs["1"] = map
        let text = try SnapshotFile.encode(s)
        #expect(!text.contains("hunter2") && !text.contains("s3cr3t"))
        #expect(map["log.retention.hours"] == .init(value: "168", source: .default))
        #expect(map["ssl.keystore.password"]?.sensitive == true)
        #expect(map["custom.secret"]?.source == .dynamicBroker)
    }

    /// During a move Metadata lists the target and the leaving replicas; the joining ones are still catching up.
    /// Kafka counts a partition under-replicated only when its ISR is smaller than the set it moves to.
    @Test func aReassignmentInProgressIsNotUnderReplication() throws {
        var s = try Self.fixture("degraded.json")
        let i = try #require(s.topics.firstIndex { $0.name == "pairs" })
        // Moving pairs 0 from [1, 2] to [2, 3]: replicas [1, 2, 3], 3 joining, 1 leaving, ISR [1, 2].
        s.topics[i].partitions[0].replicas = [1, 2, 3]
        s.topics[i].partitions[0].isr = [1, 2]
        s.topics[i].partitions[0].addingReplicas = [3]
        s.topics[i].partitions[0].removingReplicas = [1]
        let under = Self.keys(Auditor().audit(s), .health).filter { $0.hasPrefix("KA-HLT-002 topic pairs") }
        #expect(under.isEmpty, "\(under)")
        // The same ISR without the move is under-replicated.
        s.topics[i].partitions[0].addingReplicas = []
        s.topics[i].partitions[0].removingReplicas = []
        #expect(Self.keys(Auditor().audit(s), .health).contains("KA-HLT-002 topic pairs partition 0"))
        // The move survives a trip through the snapshot file.
        s.topics[i].partitions[0].addingReplicas = [3]
        let again = try SnapshotFile.decode(Data(try SnapshotFile.encode(s).utf8), file: "again")
        #expect(again.topics[i].partitions[0].addingReplicas == [3])
    }

    @Test func snapshotRoundTripsThroughItsFile() throws {
        let s = try Self.fixture("degraded.json")
        let again = try SnapshotFile.decode(Data(try SnapshotFile.encode(s).utf8), file: "again")
        #expect(again == s)
        // Unknown values are written as null, not left out or invented.
        let text = try SnapshotFile.encode(s)
        #expect(text.contains("\"totalBytes\" : null"))
        #expect(text.contains("\"logStartOffset\" : null"))
    }

    @Test(arguments: [
        ("{\"schemaVersion\": 2, \"takenAt\": \"x\"}", "$.schemaVersion", "reads version 1"),
        (
            "{\"schemaVersion\": 1, \"topics\": [{\"name\": \"a\", \"partitions\": [{\"partition\": \"zero\"}]}]}",
            "$.topics[0].partitions[0].partition", "expected an integer"
        ),
        ("{\"schemaVersion\": 1, \"topics\": [{\"name\": \"a\", \"partit", "$", "not valid JSON"),
        ("{\"takenAt\": \"x\"}", "$.schemaVersion", "missing"),
        ("{\"schemaVersion\": 1, \"brokers\": [{\"id\": 1, \"port\": 9092}]}", "$.brokers[0].host", "missing"),
        (
            "{\"schemaVersion\": 1, \"topics\": [{\"name\": \"a\", \"partitions\": [{\"partition\": 0, \"leader\": 1, \"replicas\": [1, 2], \"isr\": [1, 2], \"addingReplicas\": [3]}]}]}",
            "$.topics[0].partitions[0].addingReplicas", "not in replicas"
        ),
        (
            "{\"schemaVersion\": 1, \"topics\": [{\"name\": \"a\", \"partitions\": [{\"partition\": 0, \"leader\": 1, \"replicas\": [1, 2], \"isr\": [1, 2], \"addingReplicas\": [2], \"removingReplicas\": [2]}]}]}",
            "$.topics[0].partitions[0].removingReplicas", "both joining and leaving"
        ),
    ])
    func badSnapshotsNameThePath(text: String, path: String, words: String) {
        #expect(throws: SnapshotFileError.self) { try SnapshotFile.decode(Data(text.utf8), file: "s.json") }
        do {
            _ = try SnapshotFile.decode(Data(text.utf8), file: "s.json")
        } catch {
            #expect(error.path == path, "\(error)")
            #expect(error.message.contains(words), "\(error)")
            #expect(error.description.hasPrefix("s.json: "))
        }
    }
}
