import Foundation
import Testing

@testable import ArchitectCore

/// The diff behind `diff` and `apply` (issue 17), on hand-made snapshots: each expected change is
/// read off the snapshot and the desired state the test wrote.
@Suite struct SyncPlannerTests {
    func partitions(_ n: Int, rf: Int) -> [ClusterSnapshot.Partition] {
        (0..<n).map { p in
            let replicas = (0..<rf).map { Int32(($0 + p) % 3 + 1) }
            return .init(partition: Int32(p), leader: replicas[0], replicas: replicas, isr: replicas)
        }
    }

    func cluster() -> ClusterSnapshot {
        ClusterSnapshot(
            takenAt: "2026-12-02T00:00:00Z", clusterId: "c-1",
            topics: [
                .init(
                    name: "orders",
                    configs: [
                        "retention.ms": .init(value: "604800000", source: .default),
                        "cleanup.policy": .init(value: "delete", source: .default),
                        "min.insync.replicas": .init(value: "2", source: .topic),
                    ], partitions: partitions(6, rf: 3)),
                .init(name: "legacy", partitions: partitions(1, rf: 3)),
                .init(name: "__consumer_offsets", internal: true, partitions: partitions(50, rf: 3)),
            ],
            acls: [
                .init(
                    resourceType: "Topic", resourceName: "orders", patternType: "Literal", principal: "User:billing",
                    host: "*", operation: "Read", permission: "Allow"),
                .init(
                    resourceType: "Topic", resourceName: "legacy", patternType: "Literal", principal: "User:old",
                    host: "*", operation: "Read", permission: "Allow"),
            ],
            quotas: [.init(entity: .init(user: "billing"), values: ["producer_byte_rate": 1_048_576])])
    }

    func desired() -> DesiredState {
        DesiredState(
            topics: [
                ManagedTopic(
                    name: "orders", partitions: 6, replicationFactor: 3,
                    configs: ["retention.ms": "604800000", "min.insync.replicas": "2"])
            ],
            acls: [cluster().acls[0]],
            quotas: [.init(entity: .init(user: "billing"), values: ["producer_byte_rate": 1_048_576])])
    }

    @Test func aMatchingFileIsInSyncAndTheRestUnmanaged() {
        let plan = SyncPlanner().diff(desired(), cluster())
        #expect(plan.inSync)
        // Internal topics are never listed; the other topic and ACL are unmanaged, not drift.
        #expect(plan.unmanaged == ["topic legacy", "acl Allow User:old Read Topic:legacy (Literal) from *"])
        #expect(plan.clusterId == "c-1")
    }

    /// Changes a reviewer must not miss (expert review): a replication factor the cluster cannot hold, a
    /// min.insync.replicas above it, retention lowered, compaction turned on.
    @Test func dataLosingAndFailingChangesAreFlagged() {
        var s = cluster()
        s.brokers = [.init(id: 1, host: "a", port: 9092), .init(id: 2, host: "b", port: 9092)]
        var d = desired()
        d.topics[0].configs["retention.ms"] = "86400000"
        d.topics[0].configs["cleanup.policy"] = "compact,delete"
        d.topics.append(ManagedTopic(name: "wide", partitions: 3, replicationFactor: 3))
        d.topics.append(
            ManagedTopic(name: "strict", partitions: 1, replicationFactor: 2, configs: ["min.insync.replicas": "3"]))
        let plan = SyncPlanner().diff(d, s)
        let byName = Dictionary(plan.changes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        // Two brokers cannot hold three replicas: Kafka would refuse the create.
        #expect(byName["wide"]?.action == .cannot)
        #expect(byName["wide"]?.operation == nil)
        #expect(byName["wide"]?.reason?.contains("the cluster has 2") == true)
        #expect(byName["strict"]?.action == .create)
        #expect(byName["strict"]?.warning?.contains("min.insync.replicas 3 is more than the 2 replicas") == true)
        #expect(
            byName["orders retention.ms"]?.warning?.contains("lowers retention.ms from 604800000 to 86400000") == true)
        #expect(byName["orders cleanup.policy"]?.warning?.contains("keeps only the latest record per key") == true)
        // Raising retention loses nothing.
        d.topics[0].configs["retention.ms"] = "1209600000"
        let raised = SyncPlanner().diff(d, s).changes.first { $0.name == "orders retention.ms" }
        #expect(raised?.warning == nil)
    }

    /// Second expert review: what --prune must keep, names Kafka refuses side by side, and what a reset means.
    @Test func pruneKeepsOtherSystemsTopicsAndResetsWarn() {
        var s = cluster()
        for name in ["_schemas", "app-store-changelog", "connect-offsets", "noparts"] {
            s.topics.append(.init(name: name, partitions: name == "noparts" ? [] : partitions(1, rf: 3)))
        }
        s.topics[0].configs["cleanup.policy"] = .init(value: "compact", source: .topic)
        var d = desired()
        d.topics.append(ManagedTopic(name: "legacy_x", partitions: 1, replicationFactor: 3))
        s.topics.append(.init(name: "legacy.x", partitions: partitions(1, rf: 3)))
        let plan = SyncPlanner(prune: true).diff(d, s)
        let deleted = plan.changes.filter { $0.action == .delete && $0.resourceType == .topic }.map(\.name)
        #expect(deleted == ["legacy", "legacy.x"], "\(deleted)")
        #expect(plan.unmanaged.contains { $0.hasPrefix("topic _schemas (") && $0.contains("kept by --prune") })
        #expect(plan.unmanaged.contains { $0.hasPrefix("topic noparts (Metadata gave it no partitions") })
        let reset = plan.changes.first { $0.name == "orders cleanup.policy" }
        #expect(reset?.operation?.kind == .resetConfig)
        #expect(reset?.warning?.contains("compaction stops") == true)
        let clash = plan.changes.first { $0.name == "legacy_x" }
        #expect(clash?.action == .cannot)
        #expect(clash?.reason?.contains("legacy.x exists") == true)
        #expect(plan.changes.first { $0.name == "legacy" }?.before == "1 partition")
    }

    @Test func everyKindOfChange() {
        var d = desired()
        d.topics[0].partitions = 12
        d.topics[0].configs["retention.ms"] = "86400000"
        d.topics.append(
            ManagedTopic(name: "payments", partitions: 3, replicationFactor: 3, configs: ["cleanup.policy": "compact"]))
        d.topics.append(ManagedTopic(name: "legacy", partitions: 1, replicationFactor: 2))
        d.acls.append(
            .init(
                resourceType: "Topic", resourceName: "payments", patternType: "Literal", principal: "User:billing",
                host: "*", operation: "Write", permission: "Allow"))
        d.quotas[0].values["consumer_byte_rate"] = 2_097_152
        d.quotas[0].values["producer_byte_rate"] = 524_288
        let plan = SyncPlanner().diff(d, cluster())
        let lines = plan.changes.map {
            "\($0.action.rawValue) \($0.resourceType.rawValue) \($0.name): \($0.before ?? "-") → \($0.after ?? "-")"
        }
        #expect(
            lines == [
                "cannot topic legacy: RF 3 → RF 2",
                "update partitions orders: 6 → 12",
                "update config orders retention.ms: 604800000 (default) → 86400000",
                "create topic payments: - → 3 partitions, RF 3, cleanup.policy=compact",
                "create acl Allow User:billing Write Topic:payments (Literal) from *: - → present",
                "create quota user=billing consumer_byte_rate: - → 2097152",
                "update quota user=billing producer_byte_rate: 1048576 → 524288",
            ])
        #expect(plan.changes[1].warning?.contains("keys move to other partitions") == true)
        #expect(plan.changes[0].reason?.contains("reassignment") == true)
    }

    @Test func partitionsNeverGoDown() {
        var d = desired()
        d.topics[0].partitions = 3
        let plan = SyncPlanner().diff(d, cluster())
        #expect(plan.changes.map(\.action) == [.cannot])
        #expect(plan.changes[0].reason?.contains("cannot go down") == true)
    }

    @Test func pruneDeletesWhatTheFileDoesNotMention() {
        let plan = SyncPlanner(prune: true).diff(desired(), cluster())
        #expect(
            plan.changes.map { "\($0.action.rawValue) \($0.name)" } == [
                "delete legacy", "delete Allow User:old Read Topic:legacy (Literal) from *",
            ])
        #expect(plan.unmanaged.isEmpty)
    }

    @Test func numbersCompareByValueAndTheFingerprintFollowsTheTouchedState() {
        var d = desired()
        d.topics[0].configs["retention.ms"] = "6.048E8"
        #expect(SyncPlanner().diff(d, cluster()).inSync)
        let a = SyncPlanner().diff(desired(), cluster()).fingerprint
        var changed = cluster()
        changed.topics[0].configs["min.insync.replicas"] = .init(value: "1", source: .topic)
        #expect(SyncPlanner().diff(desired(), changed).fingerprint != a)
        // Offsets are not part of it.
        var moved = cluster()
        moved.topics[0].partitions[0].logEndOffset = 99
        #expect(SyncPlanner().diff(desired(), moved).fingerprint == a)
    }

    @Test func listsCompareAsSetsAndWholeNumbersExactly() {
        #expect(SyncPlanner.same("compact,delete", "delete, compact"))
        #expect(!SyncPlanner.same("compact,delete", "compact"))
        #expect(!SyncPlanner.same("9223372036854775807", "9223372036854775806"))
        #expect(SyncPlanner.same("604800000", "6.048E8"))
        #expect(SyncPlanner.same("TRUE", "true"))
        #expect(!SyncPlanner.same("producer", "Producer"))
    }

    @Test func configsTheClusterDidNotReportCannotBeConfirmed() {
        var c = cluster()
        c.topics[0].configs = [:]
        c.unsupported = [.init(api: "DescribeConfigs (topics)", brokers: [], reason: "no entries")]
        let plan = SyncPlanner().diff(desired(), c)
        #expect(plan.changes.count == 2)
        #expect(plan.changes.allSatisfy { $0.reason?.contains("cannot be confirmed") == true })
    }
}

@Suite struct DesiredStateFromDesignTests {
    @Test func aDerivedDesignBecomesTheResourcesToApply() throws {
        let a = smallDesign()
        let r = try DesignAdvisor.derive(a)
        let d = DesiredState(design: r, model: a.design)
        let orders = try #require(d.topics.first { $0.name == "shop.orders.events" })
        let designed = try #require(r.topics.first { $0.name == "shop.orders.events" })
        #expect(orders.partitions == designed.partitions)
        #expect(orders.replicationFactor == designed.replicationFactor)
        #expect(orders.configs["cleanup.policy"] == designed.config("cleanup.policy"))
        #expect(orders.keyed)
        // billing reads orders: an Allow Read on the literal topic, for any host.
        #expect(
            d.acls.contains(
                .init(
                    resourceType: "Topic", resourceName: "shop.orders.events", patternType: "Literal",
                    principal: "User:billing", host: "*", operation: "Read", permission: "Allow")))
        #expect(d.acls.count == r.acls.count)
        // Against an empty cluster everything is a create, and nothing is unmanaged.
        let plan = SyncPlanner().diff(d, ClusterSnapshot(takenAt: "t", clusterId: "c"))
        #expect(plan.changes.allSatisfy { $0.action == .create })
        #expect(plan.changes.filter { $0.resourceType == .topic }.count == r.topics.count)
        #expect(plan.unmanaged.isEmpty)
    }
}

/// What `apply` executes and how a saved plan is checked (issue 17): every change carries the request it needs,
/// and the fingerprint over the plan's resources tells a stale plan from a current one.
@Suite struct SyncOperationTests {
    let base = SyncPlannerTests()

    @Test func everyChangeButCannotCarriesItsOperation() throws {
        var d = base.desired()
        d.topics[0].partitions = 12
        d.topics[0].configs["retention.ms"] = "86400000"
        d.topics.append(ManagedTopic(name: "payments", partitions: 3, replicationFactor: 3, configs: ["a.b": "1"]))
        d.topics.append(ManagedTopic(name: "legacy", partitions: 1, replicationFactor: 2))
        d.quotas[0].values["producer_byte_rate"] = 524_288
        let plan = SyncPlanner(prune: true).diff(d, base.cluster())
        let ops = plan.changes.map { $0.operation?.kind }
        #expect(
            ops == [
                nil, .createPartitions, .setConfig, .createTopic, .deleteAcl, .setQuota,
            ])
        let create = try #require(plan.changes[3].operation)
        #expect(create.topic == "payments" && create.partitions == 3 && create.replicationFactor == 3)
        #expect(create.configs == ["a.b": "1"])
        #expect(plan.changes[1].operation?.partitions == 12)
        #expect(plan.changes[2].operation?.key == "retention.ms" && plan.changes[2].operation?.value == "86400000")
        #expect(plan.changes[4].operation?.acl?.principal == "User:old")
        #expect(plan.changes[5].operation?.quotaValue == 524_288)
        // Topics, then ACLs, then quotas.
        #expect(plan.changes.compactMap(\.operation).map(\.phase) == [0, 0, 0, 1, 2])
    }

    @Test func aSavedPlanReadsBackAndItsFingerprintIsRecomputable() throws {
        var d = base.desired()
        d.topics[0].configs["retention.ms"] = "86400000"
        let plan = SyncPlanner().diff(d, base.cluster())
        let data = try JSONEncoder().encode(plan)
        let back = try JSONDecoder().decode(SyncPlan.self, from: data)
        #expect(back == plan)
        // The same resources on the same cluster hash the same; a change to one of them does not.
        #expect(SyncPlanner.fingerprint(back.resources, base.cluster()) == plan.fingerprint)
        var changed = base.cluster()
        changed.topics[0].configs["retention.ms"] = .init(value: "1000", source: .topic)
        #expect(SyncPlanner.fingerprint(back.resources, changed) != plan.fingerprint)
        // A resource the plan does not touch may change freely.
        var other = base.cluster()
        other.topics[1].partitions.append(.init(partition: 1, leader: 1, replicas: [1, 2, 3], isr: [1]))
        #expect(SyncPlanner.fingerprint(back.resources, other) == plan.fingerprint)
        // Another cluster id never matches.
        var elsewhere = base.cluster()
        elsewhere.clusterId = "c-2"
        #expect(SyncPlanner.fingerprint(back.resources, elsewhere) != plan.fingerprint)
    }

    @Test func explicitResourcesJoinTheDesignsAndReplaceTheirNamesakes() throws {
        var a = smallDesign()
        let r = try DesignAdvisor.derive(a)
        let derived = try #require(r.topics.first { $0.name == "shop.orders.events" })
        a.managed.topics = [
            ManagedTopic(name: "shop.orders.events", partitions: derived.partitions * 2, replicationFactor: 3),
            ManagedTopic(name: "ops.heartbeat", partitions: 1, replicationFactor: 3, keyed: false),
        ]
        let extra = ClusterSnapshot.Acl(
            resourceType: "Topic", resourceName: "ops.heartbeat", patternType: "Literal", principal: "User:ops",
            host: "*", operation: "Write", permission: "Allow")
        a.managed.acls = [extra]
        let d = DesiredState(architecture: a, design: r)
        #expect(d.topics.filter { $0.name == "shop.orders.events" }.map(\.partitions) == [derived.partitions * 2])
        #expect(d.topics.contains { $0.name == "ops.heartbeat" })
        #expect(d.topics.count == r.topics.count + 1)
        #expect(d.acls.count == r.acls.count + 1)
        #expect(d.acls.contains(extra))
    }
}
