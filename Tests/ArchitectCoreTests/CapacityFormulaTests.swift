import Testing

@testable import ArchitectCore

@Suite struct CapacityFormulaTests {
    let planner = CapacityPlanner()

    @Test func handCheckFromTheIssue() throws {
        let plan = try planner.plan(logPipeline())
        #expect(plan.throughput.ingressBytesPerSecond == 50e6)
        #expect(plan.throughput.ingressWireBytesPerSecond == 50e6)
        #expect(plan.throughput.replicationBytesPerSecond == 100e6)
        #expect(plan.throughput.egressBytesPerSecond == 150e6)
        #expect(plan.storage.dailyIngressBytes == 4.32e12)
        #expect(plan.storage.retainedBytes == 90.72e12)
        #expect(plan.storage.totalBytes == 117.936e12)
    }

    @Test func everyFigureCarriesItsFormulaAndInputs() throws {
        let plan = try planner.plan(logPipeline())
        #expect(plan.figures.count > 30)
        for f in plan.figures {
            #expect(!f.formula.isEmpty, "\(f.id) has no formula")
        }
        let retained = try #require(plan.figures.first { $0.id == "storage.retainedBytes" })
        #expect(retained.formula == "dailyIngressBytes × retentionDays × replicationFactor")
        #expect(retained.inputs.map(\.name) == ["dailyIngressBytes", "retentionDays", "replicationFactor"])
        #expect(retained.inputs.map(\.value) == [4.32e12, 7, 3])
    }

    @Test func compressionShrinksWireButNotIngress() throws {
        var a = logPipeline()
        a.topics[0].compression = .zstd
        a.topics[0].compressionRatio = 4
        let plan = try planner.plan(a)
        #expect(plan.throughput.ingressBytesPerSecond == 50e6)
        #expect(plan.throughput.ingressWireBytesPerSecond == 12.5e6)
        #expect(plan.throughput.replicationBytesPerSecond == 25e6)
        #expect(plan.storage.dailyIngressBytes == 1.08e12)
    }

    @Test func peakDrivesNetworkButNotStorage() throws {
        var a = logPipeline()
        a.topics[0].peakToAverage = 3
        let plan = try planner.plan(a)
        #expect(plan.throughput.peakIngressWireBytesPerSecond == 150e6)
        #expect(plan.throughput.peakEgressBytesPerSecond == 450e6)
        #expect(plan.storage.retainedBytes == 90.72e12)
    }

    @Test func sizeLimitedRetentionCapsStorage() throws {
        var a = logPipeline()
        a.topics[0].partitions = 10
        a.topics[0].retentionBytesPerPartition = 100e9  // 1 TB per replica < 30.24 TB by time
        let plan = try planner.plan(a)
        #expect(plan.storage.retainedBytes == 10 * 100e9 * 3)
    }

    @Test func tieredStorageSplitsLocalAndRemote() throws {
        var a = logPipeline()
        a.environment.tieredStorage = TieredStorage(localRetentionSeconds: 86_400)
        let plan = try planner.plan(a)
        // Local: one day × RF × (1 + margin); remote: one copy of the full retention.
        #expect(plan.storage.localBytes == 4.32e12 * 3 * 1.3)
        #expect(plan.storage.remoteBytes == 4.32e12 * 7)
        let objectLine = try #require(plan.cost.lines.first { $0.figureId == "cost.objectStorage" })
        #expect(abs(objectLine.monthlyUSD - 4.32e12 * 7 / 1_073_741_824 * 0.023) < 0.01)
    }

    @Test func replicationAndConsumerTrafficCrossZones() throws {
        var a = logPipeline()
        a.environment.instance = "m6i.2xlarge"
        let plan = try planner.plan(a)
        let gib = 1_073_741_824.0
        let month = 730.0 * 3600
        func line(_ id: String) -> Double { plan.cost.lines.first { $0.figureId == id }?.monthlyUSD ?? -1 }
        #expect(abs(line("cost.crossZoneProducer") - 50e6 * 2 / 3 * month / gib * 0.02) < 0.01)
        #expect(abs(line("cost.crossZoneReplication") - 50e6 * 2 * month / gib * 0.02) < 0.01)
        #expect(abs(line("cost.crossZoneConsumer") - 150e6 * 2 / 3 * month / gib * 0.02) < 0.01)
        // With RF 3 over 3 zones every zone holds a replica: follower fetching removes consumer cross-zone traffic.
        #expect(
            abs(
                plan.cost.withoutFollowerFetchingMonthlyUSD - plan.cost.withFollowerFetchingMonthlyUSD
                    - line("cost.crossZoneConsumer")) < 0.02)
        let instances = try #require(plan.cost.lines.first { $0.figureId == "cost.instances" })
        #expect(abs(instances.monthlyUSD - Double(plan.brokers) * 0.384 * 730) < 0.01)
    }

    @Test func oneZoneHasNoCrossZoneCost() throws {
        var a = logPipeline()
        a.environment.availabilityZones = 1
        let plan = try planner.plan(a)
        for id in ["cost.crossZoneProducer", "cost.crossZoneReplication", "cost.crossZoneConsumer"] {
            #expect(plan.cost.lines.first { $0.figureId == id }?.monthlyUSD == 0)
        }
        #expect(plan.warnings.contains { $0.code == "single-az" })
    }

    @Test func perBrokerNetworkIsTotalOverBrokers() throws {
        let plan = try planner.plan(logPipeline())
        let n = Double(plan.brokers)
        #expect(abs(plan.throughput.networkInPerBrokerBytesPerSecond - (150e6 / n).rounded()) <= 1)
        #expect(abs(plan.throughput.networkOutPerBrokerBytesPerSecond - (250e6 / n).rounded()) <= 1)
    }

    @Test func brokerCountIsAMultipleOfZonesAndCoversTheBindingConstraint() throws {
        let plan = try planner.plan(logPipeline())
        #expect(plan.brokers % 3 == 0)
        let binding = try #require(plan.constraints.first { $0.binding })
        #expect(binding.kind == plan.bindingConstraint)
        #expect(Double(plan.brokers) >= binding.requiredBrokers)
        for c in plan.constraints { #expect(c.requiredBrokers <= binding.requiredBrokers + 1e-9) }
    }

    @Test func heapIsCappedAndTheRestIsPageCache() throws {
        var a = logPipeline()
        a.environment.instance = "r6i.4xlarge"  // 128 GiB
        let plan = try planner.plan(a)
        #expect(plan.memory.heapBytes == 6 * 1_073_741_824)
        #expect(plan.memory.pageCacheBytes == (128 - 6 - 1) * 1_073_741_824)
    }

    @Test func growthPlanNeedsAtLeastAsManyBrokersAndRunwayIsConsistent() throws {
        let plan = try planner.plan(logPipeline())
        let growth = try #require(plan.growth)
        #expect(growth.brokers >= plan.brokers)
        #expect(growth.runwayFactor >= 1)
        #expect(abs(growth.runwayIngressBytesPerSecond - 50e6 * growth.runwayFactor) < 1000)
        // At the runway load the same brokers are exactly at target on the runway constraint.
        var at = logPipeline()
        at.topics[0].messagesPerSecond *= growth.runwayFactor * 1.01
        at.topics[0].partitions = plan.topics[0].partitions
        at.environment.instance = plan.instance.type.name
        at.environment.brokers = plan.brokers
        let over = try planner.plan(at)
        #expect(over.warnings.contains { $0.code.hasPrefix("over-target-") })
    }

    @Test func derivedPartitionsFollowThroughputAndGrowth() throws {
        var q = PartitionQuestion(messagesPerSecond: 50_000, messageSize: 1000)
        q.growth = 2
        q.partitionReadThroughput = 20e6
        let advice = PartitionAdvisor.advise(q)
        #expect(advice.minimumPartitions == 10)
        // The plan derives the same count for the same topic.
        let plan = try planner.plan(logPipeline())
        // 10 for throughput, 30 with 3× headroom. The 4 h recovery target binds at 15 brokers (m7g.4xlarge):
        // 30 and 45 are its multiples within 45, and 30 has more divisors (8 against 6).
        #expect(plan.brokers == 15)
        #expect(plan.topics[0].partitions == 30)
        #expect(plan.topics[0].partitionsDerived)
    }

    @Test func samePlanTwiceIsIdentical() throws {
        let a = try planner.plan(logPipeline())
        let b = try planner.plan(logPipeline())
        #expect(a == b)
    }
}
