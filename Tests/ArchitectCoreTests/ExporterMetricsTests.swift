import Testing

@testable import ArchitectCore

/// The exporter's metric families from a hand-built collection: every expected value is computed here from the
/// snapshot and readings the test wrote (no peer shrinks an ISR or takes a leader away, so these cases are
/// hand-written).
struct ExporterMetricsTests {
    static func snapshot() -> ClusterSnapshot {
        let minIsr2 = ["min.insync.replicas": ClusterSnapshot.ConfigEntry(value: "2", source: .topic)]
        return ClusterSnapshot(
            takenAt: "2026-12-04T00:00:00Z",
            brokers: [.init(id: 2, host: "b2", port: 9092), .init(id: 1, host: "b1", port: 9092)],
            topics: [
                .init(
                    name: "orders", configs: minIsr2,
                    partitions: [
                        // Healthy, led by its preferred replica.
                        .init(
                            partition: 0, leader: 1, replicas: [1, 2], isr: [1, 2], logStartOffset: 5,
                            logEndOffset: 100, sizeBytes: 4096),
                        // ISR shrunk to one: under-replicated and under min ISR; led by a non-preferred replica.
                        .init(
                            partition: 1, leader: 2, replicas: [1, 2], isr: [2], logStartOffset: 0, logEndOffset: 50),
                        // No leader: offline.
                        .init(partition: 2, leader: -1, replicas: [1, 2], isr: [], offlineReplicas: [1, 2]),
                    ]),
                // No configuration read: no under-min-ISR sample.
                .init(name: "audit", partitions: [.init(partition: 0, leader: 2, replicas: [2], isr: [2])]),
            ],
            logDirs: [
                .init(broker: 1, path: "/a", partitionBytes: 4096), .init(broker: 1, path: "/b", partitionBytes: 10),
                .init(broker: 2, path: "/a", partitionBytes: 7),
            ])
    }

    static func value(_ families: [MetricFamily], _ name: String, _ labels: [String: String]) -> Double? {
        families.first { $0.name == name }?.samples.first { s in
            Dictionary(uniqueKeysWithValues: s.labels.map { ($0.name, $0.value) }) == labels
        }?.value
    }

    @Test func clusterHealthUnderKafkaExportersNamesAndOurs() {
        let f = ExporterMetrics.families(ExporterCollection(snapshot: Self.snapshot(), lag: nil))
        #expect(f.map(\.name) == f.map(\.name).sorted(), "families sorted by name")
        #expect(Self.value(f, "kafka_brokers", [:]) == 2)
        #expect(Self.value(f, "kafka_broker_info", ["id": "1", "address": "b1:9092"]) == 1)
        #expect(Self.value(f, "kafka_topic_partitions", ["topic": "orders"]) == 3)
        let p = { (n: Int) in ["topic": "orders", "partition": String(n)] }
        #expect(Self.value(f, "kafka_topic_partition_current_offset", p(0)) == 100)
        #expect(Self.value(f, "kafka_topic_partition_oldest_offset", p(0)) == 5)
        #expect(Self.value(f, "kafka_topic_partition_current_offset", p(2)) == nil, "unknown offsets: no sample")
        #expect(Self.value(f, "kafka_topic_partition_leader", p(1)) == 2)
        #expect(Self.value(f, "kafka_topic_partition_leader", p(2)) == nil)
        #expect(Self.value(f, "kafka_topic_partition_leader_is_preferred", p(0)) == 1)
        #expect(Self.value(f, "kafka_topic_partition_leader_is_preferred", p(1)) == 0)
        #expect(Self.value(f, "kafka_topic_partition_in_sync_replica", p(1)) == 1)
        #expect(Self.value(f, "kafka_topic_partition_replicas", p(1)) == 2)
        #expect(
            [0, 1, 2].map { Self.value(f, "kafka_topic_partition_under_replicated_partition", p($0)) } == [0, 1, 1])
        #expect([0, 1, 2].map { Self.value(f, "kafka_topic_partition_offline", p($0)) } == [0, 0, 1])
        #expect([0, 1, 2].map { Self.value(f, "kafka_topic_partition_under_min_isr", p($0)) } == [0, 1, 1])
        #expect(
            Self.value(f, "kafka_topic_partition_under_min_isr", ["topic": "audit", "partition": "0"]) == nil,
            "min.insync.replicas unknown: nothing invented")
        #expect(Self.value(f, "kafka_topic_partition_log_size_bytes", p(0)) == 4096)
        // Leaders: broker 1 leads orders-0; broker 2 leads orders-1 and audit-0. Replicas: 1 holds 3, 2 holds 4.
        #expect(Self.value(f, "kafka_broker_leader_partitions", ["id": "1"]) == 1)
        #expect(Self.value(f, "kafka_broker_leader_partitions", ["id": "2"]) == 2)
        #expect(Self.value(f, "kafka_broker_replica_partitions", ["id": "1"]) == 3)
        #expect(Self.value(f, "kafka_broker_replica_partitions", ["id": "2"]) == 4)
        #expect(Self.value(f, "kafka_broker_log_size_bytes", ["id": "1"]) == 4106)
        // kafka_exporter's families keep its help text (its dashboards do not read it, but promtool does).
        #expect(f.first { $0.name == "kafka_topic_partition_current_offset" }?.origin == "kafka_exporter")
        #expect(f.first { $0.name == "kafka_topic_partition_offline" }?.origin == "kafka-architect")
    }

    /// Two readings 60 s apart; group billing commits 40 → 70 on orders-0 (log end 100 → 160) and is stuck at 50 on
    /// orders-1 (log end 50 → 80): lag 90 and 30, sums 120; the oldest unconsumed record of orders-0 is 12 s old.
    @Test func lagInRecordsAndSecondsAndTheGroupsStatus() {
        let t0: Int64 = 1_800_000_000_000
        var first = LagReading(atMs: t0)
        var last = LagReading(atMs: t0 + 60_000)
        let p0 = LagPartitionRef("orders", 0)
        let p1 = LagPartitionRef("orders", 1)
        first.committed["billing"] = [p0: 40, p1: 50]
        first.logEnd = [p0: 100, p1: 50]
        last.committed["billing"] = [p0: 70, p1: 50]
        last.logEnd = [p0: 160, p1: 80]
        last.logStart = [p0: 0, p1: 0]
        last.recordTimestamps[LagOffsetRef(p0, 70)] = t0 + 60_000 - 12_000
        last.recordTimestamps[LagOffsetRef(p1, 50)] = t0 + 60_000 - 30_000
        let member = LagMember(memberId: "m1", assignment: [p0, p1])
        let input = LagInput(
            groups: [LagGroupInfo(groupId: "billing", state: "Stable", members: [member])], readings: [first, last])
        let report = LagEvaluator().evaluate(input)
        let f = ExporterMetrics.families(ExporterCollection(snapshot: nil, lag: report))
        let g = { (n: Int) in ["consumergroup": "billing", "topic": "orders", "partition": String(n)] }
        #expect(Self.value(f, "kafka_consumergroup_current_offset", g(0)) == 70)
        #expect(Self.value(f, "kafka_consumergroup_lag", g(0)) == 90)
        #expect(Self.value(f, "kafka_consumergroup_lag", g(1)) == 30)
        #expect(Self.value(f, "kafka_consumergroup_lag_sum", ["consumergroup": "billing", "topic": "orders"]) == 120)
        #expect(
            Self.value(f, "kafka_consumergroup_current_offset_sum", ["consumergroup": "billing", "topic": "orders"])
                == 120)
        #expect(Self.value(f, "kafka_consumergroup_members", ["consumergroup": "billing"]) == 1)
        let seconds = Self.value(f, "kafka_consumergroup_lag_seconds", g(1)) ?? -1
        #expect(abs(seconds - 30) < 0.001, "\(seconds)")
        #expect(
            abs((Self.value(f, "kafka_consumergroup_max_lag_seconds", ["consumergroup": "billing"]) ?? 0) - 30) < 0.001)
        // One status series per group, the evaluator's: the same status `lag` prints.
        let status = f.first { $0.name == "kafka_consumergroup_status" }?.samples ?? []
        #expect(status.count == 1)
        // orders-1 kept its committed offset while 30 records arrived over the window, with a member assigned:
        // STALL, so the group is ERR (Burrow's rule, docs/lag.md).
        #expect(status.first?.labels == [MetricLabel("consumergroup", "billing"), MetricLabel("status", "ERR")])
    }

    /// A reassignment adding broker 3 to orders-0 (replicas 1, 2, 3, ISR 1, 2): not under-replicated — the replica
    /// being added is not yet counted; an IPv6 broker's address in brackets.
    @Test func aReplicaBeingAddedIsNotUnderReplicationAndIPv6AddressesAreBracketed() {
        var p = ClusterSnapshot.Partition(partition: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2])
        p.addingReplicas = [3]
        let s = ClusterSnapshot(
            takenAt: "x", brokers: [.init(id: 1, host: "::1", port: 9092)], topics: [.init(name: "o", partitions: [p])])
        let f = ExporterMetrics.families(ExporterCollection(snapshot: s, lag: nil))
        #expect(
            Self.value(f, "kafka_topic_partition_under_replicated_partition", ["topic": "o", "partition": "0"]) == 0)
        #expect(Self.value(f, "kafka_broker_info", ["id": "1", "address": "[::1]:9092"]) == 1)
    }

    /// A partition without a committed offset is in neither sum (as kafka_exporter); one committed beyond the log
    /// end (data lost or the topic recreated) has no lag sample — the group's findings name it.
    @Test func sumsLeaveOutPartitionsWithoutACommitAndLagBeyondTheLogEndIsNotInvented() {
        var r = LagReading(atMs: 1_800_000_000_000)
        let (p0, p1, p2) = (LagPartitionRef("t", 0), LagPartitionRef("t", 1), LagPartitionRef("t", 2))
        r.committed["g"] = [p0: 5]
        r.committed["h"] = [p2: 50]
        r.logEnd = [p0: 10, p1: 20, p2: 30]
        r.logStart = [p0: 0, p1: 0, p2: 0]
        let member = LagMember(memberId: "m", assignment: [p0, p1])
        let report = LagEvaluator().evaluate(
            LagInput(
                groups: [LagGroupInfo(groupId: "g", members: [member]), LagGroupInfo(groupId: "h")], readings: [r]))
        let f = ExporterMetrics.families(ExporterCollection(snapshot: nil, lag: report))
        #expect(Self.value(f, "kafka_consumergroup_lag_sum", ["consumergroup": "g", "topic": "t"]) == 5)
        #expect(Self.value(f, "kafka_consumergroup_current_offset_sum", ["consumergroup": "g", "topic": "t"]) == 5)
        #expect(
            Self.value(f, "kafka_consumergroup_lag", ["consumergroup": "h", "topic": "t", "partition": "2"]) == nil)
        #expect(
            Self.value(f, "kafka_consumergroup_current_offset", ["consumergroup": "h", "topic": "t", "partition": "2"])
                == 50)
    }

    /// A partial read that saw only group a keeps b's previous figures (its series do not vanish); a complete read
    /// that no longer has b drops it (a deleted group's series go stale, as they should); with --group a, b is
    /// never carried.
    @Test func aPartialReadCarriesTheGroupsItMissedAndACompleteOneDropsThem() {
        var r = LagReading(atMs: 1_800_000_000_000)
        let p = LagPartitionRef("t", 0)
        r.committed = ["a": [p: 1], "b": [p: 2]]
        r.logEnd = [p: 10]
        let both = LagEvaluator().evaluate(
            LagInput(groups: [LagGroupInfo(groupId: "a"), LagGroupInfo(groupId: "b")], readings: [r]))
        var r2 = LagReading(atMs: 1_800_000_030_000)
        r2.committed = ["a": [p: 3]]
        r2.logEnd = [p: 12]
        let onlyA = LagEvaluator().evaluate(LagInput(groups: [LagGroupInfo(groupId: "a")], readings: [r2]))
        let partial = ExporterMetrics.carryOver(onlyA, previous: both, partial: true)
        #expect(partial.groups.map(\.groupId).sorted() == ["a", "b"])
        let f = ExporterMetrics.families(ExporterCollection(snapshot: nil, lag: partial))
        // a's new figure (12 − 3), b's previous one (10 − 2).
        #expect(Self.value(f, "kafka_consumergroup_lag", ["consumergroup": "a", "topic": "t", "partition": "0"]) == 9)
        #expect(Self.value(f, "kafka_consumergroup_lag", ["consumergroup": "b", "topic": "t", "partition": "0"]) == 8)
        #expect(ExporterMetrics.carryOver(onlyA, previous: both, partial: false).groups.map(\.groupId) == ["a"])
        #expect(ExporterMetrics.carryOver(onlyA, previous: both, partial: true, only: ["a"]).groups.count == 1)
    }

    @Test func aPartitionWithUnknownLagLeavesTheSumOut() {
        var r = LagReading(atMs: 1_800_000_000_000)
        let p0 = LagPartitionRef("t", 0)
        let p1 = LagPartitionRef("t", 1)
        r.committed["g"] = [p0: 5, p1: 5]
        r.logEnd = [p0: 10]  // p1's log end could not be read
        let report = LagEvaluator().evaluate(LagInput(groups: [LagGroupInfo(groupId: "g")], readings: [r]))
        let f = ExporterMetrics.families(ExporterCollection(snapshot: nil, lag: report))
        #expect(Self.value(f, "kafka_consumergroup_lag", ["consumergroup": "g", "topic": "t", "partition": "0"]) == 5)
        #expect(
            Self.value(f, "kafka_consumergroup_lag", ["consumergroup": "g", "topic": "t", "partition": "1"]) == nil)
        #expect(Self.value(f, "kafka_consumergroup_lag_sum", ["consumergroup": "g", "topic": "t"]) == nil)
    }
}
