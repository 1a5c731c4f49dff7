import ArchitectCore
import Testing

@testable import ArchitectFile

/// `import` writes a file that reads back as exactly the cluster's resources, so `diff` reports it in sync.
@Suite struct ImportRoundTripTests {
    func cluster() -> ClusterSnapshot {
        func parts(_ n: Int, rf: Int) -> [ClusterSnapshot.Partition] {
            (0..<n).map { p in
                let r = (0..<rf).map { Int32(($0 + p) % 3 + 1) }
                return .init(partition: Int32(p), leader: r[0], replicas: r, isr: r)
            }
        }
        return ClusterSnapshot(
            takenAt: "2026-12-03T00:00:00Z", clusterId: "lab-1",
            topics: [
                .init(
                    name: "lab.results",
                    configs: [
                        "retention.ms": .init(value: "172800000", source: .topic),
                        "cleanup.policy": .init(value: "compact,delete", source: .topic),
                        "segment.bytes": .init(value: "1073741824", source: .default),
                        "min.insync.replicas": .init(value: "2", source: .static),
                        "x.future.config": .init(value: "1", source: .topic),
                    ], partitions: parts(6, rf: 3)),
                .init(name: "lab_odd-1", partitions: parts(1, rf: 2)),
                .init(name: "__consumer_offsets", internal: true, partitions: parts(50, rf: 3)),
            ],
            acls: [
                .init(
                    resourceType: "Topic", resourceName: "lab.", patternType: "Prefixed", principal: "User:lims",
                    host: "*", operation: "Read", permission: "Allow"),
                .init(
                    resourceType: "Cluster", resourceName: "kafka-cluster", patternType: "Literal",
                    principal: "User:ops", host: "10.1.2.3", operation: "Alter", permission: "Deny"),
                .init(
                    resourceType: "Group", resourceName: "g", patternType: "Literal", principal: "User:x", host: "*",
                    operation: "Write", permission: "Allow"),
            ],
            quotas: [
                .init(
                    entity: .init(user: "lims"), values: ["producer_byte_rate": 1_048_576, "request_percentage": 12.5]),
                .init(entity: .init(user: "<default>", clientId: "batch"), values: ["consumer_byte_rate": 2_000_000]),
            ])
    }

    @Test func anImportedFileIsInSyncWithItsCluster() throws {
        let s = cluster()
        let r = ImportWriter().write(s)
        let a = try ArchitectureFile.parse(r.yaml, file: "imported.yaml")
        // Internal topics left out; only the configs set on the topic, and only ones Kafka's file format knows.
        #expect(a.managed.topics.map(\.name) == ["lab.results", "lab_odd-1"])
        #expect(
            a.managed.topics[0].configs == ["retention.ms": "172800000", "cleanup.policy": "compact,delete"])
        #expect(r.yaml.contains("# x.future.config = 1 is not a topic config this build knows: left out"))
        // The Write-on-Group binding grants nothing and cannot be stated: left out, and said.
        #expect(r.notes.contains { $0.contains("Write does not apply to a Group") })
        let plan = SyncPlanner().diff(DesiredState(architecture: a, design: nil), s)
        #expect(plan.changes.isEmpty, "\(plan.changes)")
        #expect(
            plan.unmanaged == [
                "config lab.results x.future.config (the file format cannot state it: never reset)",
                "acl Allow User:x Write Group:g (Literal) from * (the file format cannot state it: never pruned)",
            ])
        // Same snapshot, same bytes.
        #expect(ImportWriter().write(s).yaml == r.yaml)
    }

    /// What import leaves out, --prune never deletes: no file could have kept it.
    @Test func pruneNeverDeletesWhatImportLeftOut() throws {
        var s = cluster()
        s.topics.append(.init(name: "__confluent.support.metrics", partitions: s.topics[1].partitions))
        s.topics[0].configs["leader.replication.throttled.replicas"] = .init(
            value: nil, source: .topic, sensitive: true)
        s.quotas.append(.init(entity: .init(clientId: "loader"), values: ["x_other_quota": 10]))
        s.quotas[0].values["controller_mutation_rate"] = 5
        s.quotas[0].values["x_future_quota"] = 3
        let r = ImportWriter().write(s)
        let a = try ArchitectureFile.parse(r.yaml, file: "imported.yaml")
        #expect(!a.managed.topics.contains { $0.name.hasPrefix("__") })
        // An entity whose every key is unnamed is left out whole: no empty entry in the file.
        #expect(!a.managed.quotas.contains { $0.entity.clientId == "loader" })
        #expect(r.quotas == 2 && r.acls == 2, "\(r.quotas) quotas, \(r.acls) ACLs")
        let plan = SyncPlanner(prune: true).diff(DesiredState(architecture: a, design: nil), s)
        #expect(plan.changes.isEmpty, "\(plan.changes.map(\.name))")
        #expect(plan.unmanaged.contains { $0.hasPrefix("topic __confluent.support.metrics (") })
        #expect(
            plan.unmanaged.contains("quota user=lims x_future_quota (the file format does not name it: never removed)"))
        #expect(
            plan.unmanaged.contains(
                "quota client-id=loader x_other_quota (the file format does not name it: never removed)"))
    }

    /// A key the file drops is shown as set on the cluster; with --prune it goes back to the default.
    @Test func aKeyTheFileDropsIsShownAndResetOnlyWithPrune() throws {
        let s = cluster()
        var a = try ArchitectureFile.parse(ImportWriter().write(s).yaml, file: "imported.yaml")
        a.managed.topics[0].configs["retention.ms"] = nil
        let lims = try #require(a.managed.quotas.firstIndex { $0.entity.user == "lims" })
        a.managed.quotas[lims].values["request_percentage"] = nil
        let plain = SyncPlanner().diff(DesiredState(architecture: a, design: nil), s)
        #expect(plain.changes.isEmpty)
        #expect(
            plain.unmanaged.contains("config lab.results retention.ms=172800000 (set on the topic, not in the file)"))
        #expect(
            plain.unmanaged.contains("quota user=lims request_percentage=12.5 (set on the cluster, not in the file)"))
        let pruned = SyncPlanner(prune: true).diff(DesiredState(architecture: a, design: nil), s)
        #expect(pruned.changes.map(\.name) == ["lab.results retention.ms", "user=lims request_percentage"])
        #expect(pruned.changes.map(\.operation?.kind) == [.resetConfig, .removeQuota])
        #expect(pruned.changes.allSatisfy { $0.action == .delete })
        // The reset key is in the fingerprint: a change to it makes the plan stale.
        #expect(pruned.resources.first { $0.name == "lab.results" }?.keys.contains("retention.ms") == true)
        var changed = s
        changed.topics[0].configs["retention.ms"] = .init(value: "1", source: .topic)
        #expect(SyncPlanner.fingerprint(pruned.resources, changed) != pruned.fingerprint)
    }

    /// The replication factor is each partition's before a move in progress; partitions that differ or a
    /// move in progress are `cannot`, and the imported file says why.
    @Test func replicationFactorDuringAMoveAndWhenPartitionsDiffer() throws {
        var s = cluster()
        // Partition 0 of lab.results is moving from [1,2,3] to [2,3,4]: Metadata lists [1,2,3,4].
        s.topics[0].partitions[0].replicas = [1, 2, 3, 4]
        s.topics[0].partitions[0].addingReplicas = [4]
        s.topics[0].partitions[0].removingReplicas = [1]
        // Partition 1 of lab_odd-1 would be uneven: give lab_odd-1 a second partition with one replica.
        s.topics[1].partitions.append(.init(partition: 1, leader: 2, replicas: [2], isr: [2]))
        let r = ImportWriter().write(s)
        let a = try ArchitectureFile.parse(r.yaml, file: "imported.yaml")
        #expect(a.managed.topics.map(\.replicationFactor) == [3, 1])
        #expect(r.yaml.contains("# a reassignment is in progress on partitions 0"))
        #expect(r.yaml.contains("# partitions differ, RF 1–2 (partitions 1 at 1)"))
        // A move that keeps the replication factor is no drift (Cruise Control moving replicas keeps the gate
        // green); uneven partitions are.
        var plan = SyncPlanner().diff(DesiredState(architecture: a, design: nil), s)
        var cannot = plan.changes.filter { $0.action == .cannot }
        #expect(cannot.map(\.name) == ["lab_odd-1"])
        #expect(cannot.first?.before == "RF 1–2 (partitions 1 at 1)")
        // Adding partitions while it moves is refused until the move completes.
        var more = a
        more.managed.topics[0].partitions = 8
        plan = SyncPlanner().diff(DesiredState(architecture: more, design: nil), s)
        cannot = plan.changes.filter { $0.action == .cannot && $0.resourceType == .partitions }
        #expect(cannot.first?.reason?.contains("a reassignment is in progress on the topic") == true)
        // A move finishing changes the fingerprint.
        var done = s
        done.topics[0].partitions[0] = .init(partition: 0, leader: 2, replicas: [2, 3, 4], isr: [2, 3, 4])
        #expect(SyncPlanner.fingerprint(plan.resources, done) != plan.fingerprint)
    }

    @Test func whatTheClusterDidNotServeIsSaidInTheFile() {
        var s = cluster()
        s.unsupported = [
            .init(api: "DescribeClientQuotas", brokers: [], reason: "not offered by the broker (ApiVersions)"),
            .init(api: "DescribeConfigs (topics)", brokers: [1], reason: "no entries"),
        ]
        let r = ImportWriter().write(s)
        #expect(r.yaml.contains("# Quotas: not read (DescribeClientQuotas: not offered by the broker (ApiVersions))."))
        #expect(r.yaml.contains("# The cluster reported no topic configs"))
        #expect(!r.yaml.contains("quotas:"))
        // Configs and quotas not read, one config and one ACL left out.
        #expect(r.notes.count == 4, "\(r.notes)")
    }
}
