import Testing

@testable import ArchitectCore

/// The figures an expert review of `plan` found wrong, each checked against a value computed here by hand.
@Suite struct PlanReviewTests {
    let planner = CapacityPlanner()
    static let gib = 1_073_741_824.0
    static let month = 730.0 * 3600

    func figure(_ plan: CapacityPlan, _ id: String) throws -> Double {
        try #require(plan.figures.first { $0.id == id }, "no figure \(id)").value
    }

    @Test(arguments: [
        // RF, zones, cross-zone copies per record: with nᵢ replicas in zone i, RF − 1 − Σ nᵢ(nᵢ−1) ÷ RF.
        (3, 2, 4.0 / 3),  // 2 + 1: the leader shares a zone with one follower two times in three
        (4, 3, 2.5),  // 2 + 1 + 1
        (2, 3, 1.0),  // 1 + 1 over three zones: the one follower is always elsewhere
        (3, 3, 2.0),
        (3, 1, 0.0),
        (5, 3, 3.2),  // 2 + 2 + 1: 4 − (2 + 2) ÷ 5
    ])
    func crossZoneCopiesFollowTheReplicaPlacement(rf: Int, zones: Int, expected: Double) {
        let placement = CapacityPlanner.replicaPlacement(replicationFactor: rf, zones: zones)
        #expect(placement.reduce(0, +) == rf)
        #expect(abs(CapacityPlanner.crossZoneCopies(placement) - expected) < 1e-12)
    }

    @Test func replicationCrossZoneCostUsesThePlacement() throws {
        var a = architecture(
            on: roomyMachine(),
            topics: [TopicWorkload(name: "t", messagesPerSecond: 10_000, messageSize: 1000, retentionSeconds: 86_400)])
        a.environment.provider = .aws
        a.environment.availabilityZones = 2
        a.environment.brokers = 4
        let plan = try planner.plan(a)
        // 10 MB/s on the wire × 4/3 copies × seconds per month ÷ 1 GiB × $0.02.
        let expected = 10e6 * (4.0 / 3) * Self.month / Self.gib * 0.02
        #expect(abs(try figure(plan, "cost.crossZoneReplication") - expected) < 0.01)
        #expect(abs(try figure(plan, "cost.crossZoneCopiesPerRecord") - 4.0 / 3) < 1e-3)  // shown to 3 places
    }

    @Test func objectStorageIsPricedInS3sTiers() {
        // 600 TB (614,400 GiB): 51,200 GiB at $0.023, 460,800 at $0.022, the last 102,400 at $0.021.
        let tiers = InstanceCatalog.builtIn.prices.objectStorageTiers
        let expected = 51_200 * 0.023 + 460_800 * 0.022 + 102_400 * 0.021
        #expect(abs(PriceTier.price(614_400, tiers: tiers) - expected) < 1e-6)
        #expect(abs(PriceTier.price(1000, tiers: tiers) - 23) < 1e-9)
    }

    @Test func localDrivesWriteAtTheWriteColumn() throws {
        // The EC2 user guide's 100% random-write IOPS, not the read column: i3en.large 32,500, i4i.large 27,500.
        let catalog = InstanceCatalog.builtIn
        #expect(try #require(catalog.instance(named: "i3en.large")).localDiskWriteBytesPerSecond == 32_500 * 4096)
        #expect(try #require(catalog.instance(named: "i4i.large")).localDiskWriteBytesPerSecond == 27_500 * 4096)
        for name in ["r7g.xlarge", "im4gn.xlarge", "i4g.xlarge", "i7ie.6xlarge"] {
            #expect(catalog.instance(named: name) != nil, "\(name) is in the catalog")
        }
    }

    @Test func recoveryIsBoundByTheSlowerOfSpareNetworkAndDiskWrites() throws {
        // 1 GB/s network, 200 MB/s disk, 6 brokers, RF 3: 200 MB/s on the wire × 3 ÷ 6 = 100 MB/s in per broker.
        // Spare disk 200 − 100 = 100 MB/s is slower than spare network 1,000 − 100 = 900 MB/s.
        let machine = roomyMachine(network: 1e9, disk: 200e6)
        let a = architecture(
            on: machine,
            topics: [TopicWorkload(name: "t", messagesPerSecond: 200_000, messageSize: 1000, retentionSeconds: 86_400)]
        ) {
            $0.environment.brokers = 6
            $0.environment.storage = .gp2
            $0.policy.recoveryTargetSeconds = 4 * 3600
        }
        let plan = try planner.plan(a)
        let perBroker = 200e6 * 86_400 * 3 * 1.3 / 6
        #expect(abs(plan.storage.perBrokerBytes - perBroker) / perBroker < 1e-6)
        let expected = perBroker / 100e6
        #expect(abs(try figure(plan, "storage.brokerRecoverySeconds") - expected) / expected < 1e-6)
        #expect(plan.warnings.contains { $0.code == "slow-broker-recovery" })  // 31.2 h
    }

    @Test func overTargetPercentagesAreOfTheTarget() throws {
        // CPU: 64 vCPU × 80 MB/s at 60% is 3,072 MB/s a broker; the traffic needs twice what 3 brokers give.
        let machine = roomyMachine(vcpus: 1, network: 1e12, disk: 1e12)
        let a = architecture(
            on: machine,
            topics: [TopicWorkload(name: "t", messagesPerSecond: 28_800, messageSize: 1000, retentionSeconds: 3600)]
        ) {
            $0.environment.brokers = 3
            $0.environment.tls = false
            $0.environment.availabilityZones = 3
        }
        // peak traffic = 28.8 MB/s × (1 + 2 × 2 + 1) = 172.8 MB/s; one vCPU at 60% moves 48 MB/s → 3.6 brokers.
        let plan = try planner.plan(a)
        let cpu = try #require(plan.warnings.first { $0.code == "over-target-cpu" })
        #expect(cpu.message.contains("120% of that target (72% of capacity)"), "\(cpu.message)")
    }

    @Test func unevenZonesAreWarnedAndTheFullestBrokerIsShown() throws {
        let a = architecture(
            on: roomyMachine(),
            topics: [TopicWorkload(name: "t", messagesPerSecond: 1000, messageSize: 1000, retentionSeconds: 86_400)]
        ) { $0.environment.brokers = 4 }
        let plan = try planner.plan(a)
        #expect(plan.warnings.contains { $0.code == "brokers-not-multiple-of-zones" })
        // 1 MB/s × 1 d × 3 × 1.3 over 3 zones; the zone with one broker holds a third of it.
        let local = 1e6 * 86_400 * 3 * 1.3
        #expect(abs(plan.storage.perBrokerBytes - local / 3) / local < 1e-9)
        // Bounded to a sixth of the data per broker, 6 brokers are needed; the 4 given hold it as the smallest
        // zone's one broker does: a third each, 200% of the bound (not 6 ÷ 4 = 150%).
        var bounded = a
        bounded.policy.maxStoragePerBroker = local / 6
        let over = try planner.plan(bounded)
        let disk = try #require(over.constraints.first { $0.kind == .diskCapacity })
        #expect(abs(disk.utilizationOfTarget - 2) < 1e-3)
        #expect(over.warnings.contains { $0.code == "over-target-diskCapacity" && $0.message.contains("200%") })
    }

    @Test func impossiblePlansAreErrors() {
        func fields(_ configure: (inout Architecture) -> Void) -> [String] {
            var a = logPipeline()
            configure(&a)
            return a.validationErrors().map(\.field)
        }
        #expect(
            fields {
                $0.policy.replicationFactor = 5
                $0.policy.minInsyncReplicas = 4
                $0.environment.brokers = 3
            } == ["environment.brokers"])
        #expect(
            fields {
                $0.environment.tieredStorage = TieredStorage(localRetentionSeconds: 14 * 86_400)
            } == ["environment.tieredStorage.localRetention"])
        // The topic's own bound, and the cluster's over all topics.
        #expect(fields { $0.topics[0].messagesPerSecond = 1e12 } == ["topics", "topics[0].messagesPerSecond"])
        #expect(fields { $0.topics[0].messagesPerSecond = 1e30 } == ["topics", "topics[0].messagesPerSecond"])
        #expect(fields { $0.topics[0].retentionSeconds = 1e30 } == ["topics[0].retention"])
        #expect(fields { $0.topics[0].messageSize = 3e9 } == ["topics", "topics[0].messageSize"])
        // Two topics within their own bounds can still be more than one cluster carries together.
        #expect(
            fields {
                $0.topics[0].messagesPerSecond = 6e8
                $0.topics.append(TopicWorkload(name: "more", messagesPerSecond: 6e8, messageSize: 100))
            } == ["topics"])
    }

    @Test func implausiblePlansAreWarnings() throws {
        // 1,000 msg/s × 2 MB on 12 partitions: 2 GB/s, 166.667 MB/s a partition against 10 MB/s.
        var big = logPipeline()
        big.topics[0].messageSize = 2_000_000
        big.topics[0].messagesPerSecond = 1000
        big.topics[0].partitions = 12
        let plan = try planner.plan(big)
        #expect(plan.warnings.contains { $0.code == "large-messages" })
        let hot = try #require(plan.warnings.first { $0.code == "partition-throughput" })
        #expect(hot.message.contains("166.667 MB/s each"), "\(hot.message)")
        #expect(hot.message.contains("at least 200 partitions"))
        #expect(plan.warnings.contains { $0.code == "very-large-cluster" } == (plan.brokers > 200))
        // 1 KB messages on derived partitions: neither.
        let calm = try planner.plan(logPipeline())
        #expect(!calm.warnings.contains { ["large-messages", "partition-throughput"].contains($0.code) })
    }

    @Test func theRecoveryTargetBoundsDataPerBroker() throws {
        // n ≥ (L ÷ T + P) ÷ min(network, disk): L = 100 MB/s × 1 d × 3 × 1.3 = 33.696 TB, T = 4 h, P = 300 MB/s,
        // C = min(1 GB/s, 400 MB/s): (2.34 GB/s + 0.3 GB/s) ÷ 0.4 GB/s = 6.6 → 9 brokers over 3 zones.
        let a = architecture(
            on: roomyMachine(network: 1e9, disk: 400e6),
            topics: [TopicWorkload(name: "t", messagesPerSecond: 100_000, messageSize: 1000, retentionSeconds: 86_400)]
        ) {
            $0.environment.storage = .gp2
            $0.policy.recoveryTargetSeconds = 4 * 3600
        }
        let plan = try planner.plan(a)
        let expected = (100e6 * 86_400 * 3 * 1.3 / 14_400 + 300e6) / 400e6
        let c = try #require(plan.constraints.first { $0.kind == .recovery })
        #expect(abs(c.requiredBrokers - expected) < 1e-3)
        #expect(plan.bindingConstraint == .recovery)
        #expect(plan.brokers == 9)
        // And the broker the plan describes refills within the target.
        #expect(plan.storage.brokerRecoverySeconds <= 4 * 3600)
        #expect(!plan.warnings.contains { $0.code == "slow-broker-recovery" })
    }

    @Test func survivorsOfAZoneFailureStayUnderTheCeiling() throws {
        // Network in: 29 MB/s on the wire × 3 replicas = 87 MB/s against 50 MB/s at 60%: 2.9 brokers, so 3 fit
        // the target. With an 80% ceiling after a failure the survivors must be 2.9 × 0.6 ÷ 0.8 = 2.175: one
        // broker lost needs 3.175 (→ 6 over 3 zones), a zone lost needs 2.175 × 3 ÷ 2 = 3.2625.
        let a = architecture(
            on: roomyMachine(network: 50e6),
            topics: [
                TopicWorkload(
                    name: "t", messagesPerSecond: 29_000, messageSize: 1000, retentionSeconds: 3600, consumerGroups: 0)
            ]
        ) { $0.policy.failureCeiling = 0.8 }
        let plan = try planner.plan(a)
        func need(_ kind: ConstraintKind) -> Double? { plan.constraints.first { $0.kind == kind }?.requiredBrokers }
        #expect(abs((need(.networkIn) ?? 0) - 2.9) < 1e-3)
        #expect(abs((need(.brokerFailure) ?? 0) - 3.175) < 1e-3)
        #expect(abs((need(.zoneFailure) ?? 0) - 3.2625) < 1e-3)
        #expect(plan.bindingConstraint == .zoneFailure)
        #expect(plan.brokers == 6)
        // At 100% (the default) three brokers survive: 2.9 × 0.6 = 1.74 survivors, 2.61 with a zone lost.
        var relaxed = a
        relaxed.policy.failureCeiling = 1
        #expect(try planner.plan(relaxed).brokers == 3)
    }

    @Test func pageCacheMissesReadDiskOrObjectStorage() throws {
        // 10 MB/s on the wire read by 4 groups: 40 MB/s, a quarter of it from disk.
        var a = architecture(
            on: roomyMachine(),
            topics: [
                TopicWorkload(
                    name: "t", messagesPerSecond: 10_000, messageSize: 1000, retentionSeconds: 7 * 86_400,
                    consumerGroups: 4)
            ])
        var plan = try planner.plan(a)
        #expect(try figure(plan, "throughput.peakColdDiskReadBytesPerSecond") == 10e6)
        let disk = try #require(plan.figures.first { $0.id == "constraints.diskThroughput" })
        #expect(abs(disk.value - (30e6 + 10e6) / (0.6 * 10e9)) < 1e-3)
        // Tiered: the misses come from object storage into the brokers, and leaders upload each byte once.
        a.environment.tieredStorage = TieredStorage(localRetentionSeconds: 86_400)
        plan = try planner.plan(a)
        #expect(try figure(plan, "throughput.peakColdDiskReadBytesPerSecond") == 0)
        #expect(try figure(plan, "throughput.peakRemoteReadBytesPerSecond") == 10e6)
        #expect(try figure(plan, "throughput.peakTieredUploadBytesPerSecond") == 10e6)
        let out = try #require(plan.figures.first { $0.id == "constraints.networkOut" })
        #expect(abs(out.value - (40e6 + 20e6 + 10e6) / (0.6 * 10e9)) < 1e-3)
    }

    @Test func aSmallPageCacheIsWarned() throws {
        // 2 GiB of memory leaves 1 GiB − … of page cache; 100 MB/s × 3 ÷ 3 brokers fills it in seconds.
        let machine = InstanceType(
            name: "tiny", vcpus: 64, memoryBytes: 4 * Self.gib, networkBaselineBytesPerSecond: 10e9,
            blockStorageBytesPerSecond: 10e9, hourlyUSD: 1)
        let a = architecture(
            on: machine,
            topics: [TopicWorkload(name: "t", messagesPerSecond: 100_000, messageSize: 1000, retentionSeconds: 3600)])
        let plan = try planner.plan(a)
        #expect(plan.memory.pageCacheSeconds < 300)
        #expect(plan.warnings.contains { $0.code == "small-page-cache" })
        #expect(try !planner.plan(logPipeline()).warnings.contains { $0.code == "small-page-cache" })
    }

    @Test func leadershipSkewIsTheBusiestBrokersShare() throws {
        let topics = [
            TopicPlanFixture.plan("a", wire: 10e6, partitions: 8),
            TopicPlanFixture.plan("b", wire: 30e6, partitions: 12),
        ]
        var book = FigureBook()
        // 10 MB/s × ⌈8 ÷ 6⌉ ÷ 8 + 30 MB/s × ⌈12 ÷ 6⌉ ÷ 12 = 7.5 MB/s against an even 40 ÷ 6.
        #expect(abs(CapacityPlanner.leaderSkew(topics, brokers: 6, book: &book) - 1.125) < 1e-12)
        // A topic ordered across all keys has its one partition by design and does not count.
        var ordered = TopicPlanFixture.plan("c", wire: 50e6, partitions: 1)
        ordered.globalOrdering = true
        #expect(abs(CapacityPlanner.leaderSkew(topics + [ordered], brokers: 6, book: &book) - 1.125) < 1e-12)
        var fixed = logPipeline()
        fixed.topics[0].partitions = 8
        fixed.environment.brokers = 6
        fixed.environment.instance = "m7g.4xlarge"
        let plan = try planner.plan(fixed)
        #expect(abs(try figure(plan, "partitions.leaderSkew") - 1.5) < 1e-9)
        #expect(plan.warnings.contains { $0.code == "leader-skew" && $0.message.contains("leads 2, 50% more") })
        #expect(try !planner.plan(logPipeline()).warnings.contains { $0.code == "leader-skew" })
    }

    @Test func produceLatencyIsEstimatedAgainstItsTarget() throws {
        // Network-in bound at 2.9 of 3 brokers: ρ = 2.9 ÷ 3 × 60% = 58%. 3 partitions × 3 replicas ÷ 3 brokers
        // add 3 ÷ 1,000 × 20 ms. Linger is a quarter of the 20 ms target: 5 ms + (2 ms client + 2 ms follower
        // round trip + 0.06 ms) ÷ (1 − 0.58) = 14.67 ms, under the target; at 12 ms (linger 3 ms) 12.67 is over.
        let a = architecture(
            on: roomyMachine(network: 50e6),
            topics: [
                TopicWorkload(
                    name: "t", messagesPerSecond: 29_000, messageSize: 1000, retentionSeconds: 3600, consumerGroups: 0,
                    partitions: 3)
            ]
        ) { $0.policy.produceLatencyP99Seconds = 0.020 }
        let plan = try planner.plan(a)
        let expected = 0.005 + (0.002 + 0.002 + 0.00006) / (1 - 2.9 / 3 * 0.6)
        #expect(abs(try figure(plan, "latency.produceP99Seconds") - expected) < 1e-5)
        #expect(!plan.warnings.contains { $0.code == "produce-latency" })
        var tight = a
        tight.policy.produceLatencyP99Seconds = 0.012
        let over = try planner.plan(tight)
        #expect(abs(try figure(over, "latency.produceP99Seconds") - (expected - 0.002)) < 1e-5)
        #expect(over.warnings.contains { $0.code == "produce-latency" })
    }

    @Test func brokersSpendCoresOnCodecs() throws {
        // 100 MB/s uncompressed from zstd producers: leaders decompress it to validate, at 1,580 MB/s a core.
        var t = TopicWorkload(
            name: "t", messagesPerSecond: 100_000, messageSize: 1000, compression: .zstd, retentionSeconds: 3600)
        var plan = try planner.plan(architecture(on: roomyMachine(), topics: [t]))
        #expect(abs(try figure(plan, "throughput.peakCodecCores") - 100e6 / 1580e6) < 1e-3)
        // A topic that stores gzip recompresses every batch at 36 MB/s a core, and keeps gzip's bytes (ratio 3).
        t.topicCompression = .gzip
        plan = try planner.plan(architecture(on: roomyMachine(), topics: [t]))
        #expect(abs(try figure(plan, "throughput.peakCodecCores") - (100e6 / 1580e6 + 100e6 / 36e6)) < 1e-3)
        #expect(abs(plan.throughput.ingressWireBytesPerSecond - 100e6 / 3) < 1)
        let cpu = try #require(plan.figures.first { $0.id == "constraints.cpu" })
        // (wire + 2 × 2 × wire + 1 group × wire) ÷ 40 MB/s TLS + codec cores, over 60% of 64 vCPUs.
        let traffic = 100e6 / 3 * 6
        #expect(abs(cpu.value - (traffic / 40e6 + 100e6 / 1580e6 + 100e6 / 36e6) / (0.6 * 64)) < 1e-3)
    }
}

/// Topic plans for formulas that read only a topic's traffic and partitions.
enum TopicPlanFixture {
    static func plan(_ name: String, wire: Double, partitions: Int) -> TopicPlan {
        CapacityPlanner.topicPlan(
            TopicWorkload(
                name: name, messagesPerSecond: wire / 1000, messageSize: 1000, retentionSeconds: 3600,
                partitions: partitions), policy: Policy(), brokers: 3)
    }
}
