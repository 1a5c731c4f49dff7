import Testing

@testable import ArchitectCore

/// One test per constraint: starve exactly one resource and check it is named as binding.
@Suite struct ConstraintTests {
    let planner = CapacityPlanner()
    let small = TopicWorkload(
        name: "t", messagesPerSecond: 100, messageSize: 1000, retentionSeconds: 86_400, consumerGroups: 1, partitions: 3
    )

    @Test func availabilityBindsForATinyWorkload() throws {
        let plan = try planner.plan(architecture(on: roomyMachine(), topics: [small]))
        #expect(plan.bindingConstraint == .availability)
        #expect(plan.brokers == 3)
    }

    @Test func availabilitySpreadsReplicasOverZones() throws {
        let plan = try planner.plan(
            architecture(on: roomyMachine(), topics: [small]) { $0.environment.availabilityZones = 2 })
        #expect(plan.bindingConstraint == .availability)
        #expect(plan.brokers == 4)  // RF 3 over 2 zones: 2 per zone
    }

    @Test func networkInBindsWithoutConsumers() throws {
        var t = small
        t.messagesPerSecond = 100_000  // 100 MB/s wire, 300 MB/s in with replication, 200 MB/s out
        t.consumerGroups = 0
        let plan = try planner.plan(architecture(on: roomyMachine(network: 50e6), topics: [t]))
        #expect(plan.bindingConstraint == .networkIn)
        let c = try #require(plan.constraints.first { $0.kind == .networkIn })
        #expect(abs(c.requiredBrokers - 300e6 / (0.6 * 50e6)) < 1e-6)
        #expect(plan.brokers == 12)  // ⌈10⌉ rounded up to a multiple of 3 zones
    }

    @Test func networkOutBindsWithManyConsumerGroups() throws {
        var t = small
        t.messagesPerSecond = 100_000
        t.consumerGroups = 10
        let plan = try planner.plan(architecture(on: roomyMachine(network: 50e6), topics: [t]))
        #expect(plan.bindingConstraint == .networkOut)
    }

    @Test func diskCapacityBindsWithLongRetention() throws {
        var t = small
        t.messagesPerSecond = 10_000
        t.retentionSeconds = 365 * 86_400
        let plan = try planner.plan(
            architecture(on: roomyMachine(), topics: [t]) { $0.policy.maxStoragePerBroker = 10e12 })
        #expect(plan.bindingConstraint == .diskCapacity)
        // 10 MB/s × 365 d × 3 × 1.3 = 1,230.2 TB over 10 TB per broker.
        #expect(plan.brokers == 123)
    }

    @Test func diskThroughputBindsOnSlowDisks() throws {
        var t = small
        t.messagesPerSecond = 100_000
        let plan = try planner.plan(architecture(on: roomyMachine(disk: 20e6), topics: [t]))
        #expect(plan.bindingConstraint == .diskThroughput)
    }

    @Test func replicaDensityBindsWithManyPartitions() throws {
        var t = small
        t.partitions = 20_000
        let plan = try planner.plan(architecture(on: roomyMachine(), topics: [t]))
        #expect(plan.bindingConstraint == .replicaDensity)
        #expect(plan.brokers == 15)  // 60,000 replicas ÷ 4,000 per broker
    }

    @Test func replicaGuidanceFollowsInstanceSize() {
        #expect(ReplicaGuidance.perBroker(vcpus: 2, controller: .kraft) == 1000)
        #expect(ReplicaGuidance.perBroker(vcpus: 8, controller: .kraft) == 2000)
        #expect(ReplicaGuidance.perBroker(vcpus: 16, controller: .zookeeper) == 4000)
        #expect(ReplicaGuidance.perCluster(.zookeeper) == 200_000)
        #expect(ReplicaGuidance.perCluster(.kraft) > ReplicaGuidance.perCluster(.zookeeper))
    }

    @Test func cpuBindsOnFewCoresWithTLS() throws {
        var t = small
        t.messagesPerSecond = 50_000
        let plan = try planner.plan(architecture(on: roomyMachine(vcpus: 1), topics: [t]))
        #expect(plan.bindingConstraint == .cpu)
        let plaintext = try planner.plan(
            architecture(on: roomyMachine(vcpus: 1), topics: [t]) { $0.environment.tls = false })
        #expect(plaintext.brokers < plan.brokers)
    }

    @Test func fixedBrokerCountIsCheckedNotSized() throws {
        var t = small
        t.messagesPerSecond = 100_000
        t.consumerGroups = 0
        let plan = try planner.plan(
            architecture(on: roomyMachine(network: 50e6), topics: [t]) { $0.environment.brokers = 6 })
        #expect(plan.brokers == 6)
        #expect(plan.brokersFixed)
        #expect(plan.warnings.contains { $0.code == "over-target-networkIn" })
    }

    @Test func partitionsOverPerBrokerGuidanceWarn() throws {
        var t = small
        t.partitions = 20_000
        let plan = try planner.plan(architecture(on: roomyMachine(), topics: [t]) { $0.environment.brokers = 3 })
        #expect(plan.warnings.contains { $0.code == "partitions-per-broker" })
    }

    @Test func autoPicksTheCheapestFittingInstance() throws {
        var a = architecture(on: roomyMachine(name: "pricey", hourly: 10), topics: [small])
        a.environment.machines.append(roomyMachine(name: "cheap", hourly: 1))
        a.environment.instance = nil
        let plan = try planner.plan(a)
        #expect(plan.instance.automatic)
        #expect(plan.instance.type.name == "cheap")
        #expect(plan.instance.candidates.map(\.instance) == ["cheap", "pricey"])
    }

    @Test func localNVMeNeedsDrives() throws {
        var a = logPipeline()
        a.environment.storage = .localNVMe
        let plan = try planner.plan(a)
        #expect(["i3en", "i4i"].contains(plan.instance.type.family))
        #expect(plan.cost.lines.allSatisfy { !$0.figureId.hasPrefix("cost.blockStorage") })
        a.environment.instance = "m6i.large"
        #expect(throws: PlanError.self) { try planner.plan(a) }
    }
}

@Suite struct WarningTests {
    let planner = CapacityPlanner()

    func codes(_ configure: (inout Architecture) -> Void) throws -> Set<String> {
        var a = logPipeline()
        configure(&a)
        return Set(try planner.plan(a).warnings.map(\.code))
    }

    @Test func productionDefaultsOnlyAdvise() throws {
        let plan = try planner.plan(logPipeline())
        #expect(plan.warnings.allSatisfy { $0.severity == .info || $0.code == "slow-broker-recovery" })
    }

    @Test func lowReplicationFactor() throws {
        #expect(
            try codes {
                $0.policy.replicationFactor = 2
                $0.policy.minInsyncReplicas = 1
            }.contains("low-replication-factor"))
    }

    @Test func minISREqualToRF() throws {
        #expect(try codes { $0.policy.minInsyncReplicas = 3 }.contains("min-isr-equals-rf"))
    }

    @Test func minISRIsOne() throws {
        #expect(try codes { $0.policy.minInsyncReplicas = 1 }.contains("min-isr-one"))
    }

    @Test func singleZone() throws {
        #expect(try codes { $0.environment.availabilityZones = 1 }.contains("single-az"))
    }

    @Test func moreReplicasThanZonesCanLoseMinISR() throws {
        #expect(try codes { $0.environment.availabilityZones = 2 }.contains("zone-loss-below-min-isr"))
    }
}

@Suite struct ValidationTests {
    func fields(_ configure: (inout Architecture) -> Void) -> [String] {
        var a = logPipeline()
        configure(&a)
        return a.validationErrors().map(\.field)
    }

    @Test func minISRAboveRFIsAnError() {
        #expect(fields { $0.policy.minInsyncReplicas = 4 } == ["policy.minInsyncReplicas"])
    }

    @Test func zeroOrNegativeRatesAreErrors() {
        #expect(fields { $0.topics[0].messagesPerSecond = 0 } == ["topics[0].messagesPerSecond"])
        #expect(fields { $0.topics[0].messagesPerSecond = -5 } == ["topics[0].messagesPerSecond"])
    }

    @Test func unknownInstanceIsAnError() {
        #expect(fields { $0.environment.instance = "m9z.huge" } == ["environment.instance"])
    }

    @Test func planRefusesInvalidModels() {
        var a = logPipeline()
        a.policy.minInsyncReplicas = 5
        #expect(throws: PlanError.self) { try CapacityPlanner().plan(a) }
    }
}
