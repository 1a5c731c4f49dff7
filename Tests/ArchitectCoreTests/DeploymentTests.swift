import Testing

@testable import ArchitectCore

/// Where the cluster runs and how it is bought: EC2 on demand or on a 3-year commitment, Amazon MSK; each
/// figure checked against prices computed here from the catalogs' published rates.
@Suite struct DeploymentTests {
    let planner = CapacityPlanner()
    static let gib = 1_073_741_824.0

    func line(_ plan: CapacityPlan, _ id: String) throws -> Double {
        try #require(plan.figures.first { $0.id == "cost.\(id)" }, "no cost line \(id)").value
    }

    /// 20 MB/s for 3 days, 2 consumer groups: small enough for a few brokers anywhere.
    func workload(_ configure: (inout Architecture) -> Void = { _ in }) -> Architecture {
        var a = Architecture(
            name: "orders",
            topics: [
                TopicWorkload(
                    name: "orders", messagesPerSecond: 20_000, messageSize: 1000, retentionSeconds: 3 * 86_400,
                    consumerGroups: 2)
            ])
        configure(&a)
        return a
    }

    @Test func mskChargesNoReplicationAndItsOwnStoragePrice() throws {
        let plan = try planner.plan(
            workload {
                $0.environment.provider = .msk
                $0.environment.instance = "kafka.m7g.2xlarge"
                $0.environment.brokers = 6
            })
        #expect(plan.deployment == .msk)
        #expect(try line(plan, "crossZoneReplication") == 0)
        // 6 brokers × 0.816 $/h × 730 h.
        #expect(abs(try line(plan, "instances") - 6 * 0.816 * 730) < 0.01)
        // One volume per broker holding its share: 20 MB/s × 3 d × 3 × 1.3 ÷ 6, at $0.10 per GiB-month.
        let perBroker = 20e6 * 3 * 86_400 * 3 * 1.3 / 6
        #expect(plan.storage.volumesPerBroker == 1)
        #expect(abs(try line(plan, "blockStorage") - 6 * perBroker / Self.gib * 0.10) < 0.01)
        // Producers and consumers still cross zones at $0.02/GiB: 20 MB/s × 2/3 and 40 MB/s × 2/3.
        let month = 730.0 * 3600
        #expect(abs(try line(plan, "crossZoneProducer") - 20e6 * 2 / 3 * month / Self.gib * 0.02) < 0.01)
        // MSK runs its controllers: no controller line.
        #expect(plan.figures.first { $0.id == "cost.controllers" } == nil)
    }

    @Test func ec2PaysForItsKRaftControllers() throws {
        let plan = try planner.plan(workload())
        // The cheapest EBS-only machine with 2 vCPUs and 8 GiB is m7g.large ($0.0816/h): 3 × (59.568 + 64 × 0.08).
        #expect(abs(try line(plan, "controllers") - 3 * (0.0816 * 730 + 64 * 0.08)) < 0.01)  // figures keep cents
        var five = workload()
        five.environment.controllers = 5
        #expect(abs(try line(try planner.plan(five), "controllers") - 5 * (0.0816 * 730 + 64 * 0.08)) < 0.01)
        five.environment.controller = .zookeeper
        #expect(try planner.plan(five).figures.first { $0.id == "cost.controllers" } == nil)
    }

    @Test func aThreeYearCommitmentDiscountsInstanceHoursOnly() throws {
        var a = workload()
        a.environment.instance = "m7g.2xlarge"
        a.environment.brokers = 6
        let onDemand = try planner.plan(a)
        a.environment.pricing = .reserved3y
        let reserved = try planner.plan(a)
        #expect(abs(try line(reserved, "instances") - 6 * 0.3264 * (1 - 0.605) * 730) < 0.01)
        #expect(try line(reserved, "blockStorage") == (try line(onDemand, "blockStorage")))
        // m5 has no 3-year rate in the catalog: on-demand, and the formula says so.
        a.environment.instance = "m5.2xlarge"
        let m5 = try planner.plan(a)
        let instances = try #require(m5.figures.first { $0.id == "cost.instances" })
        #expect(abs(instances.value - 6 * 0.384 * 730) < 0.01)
        #expect(instances.formula.contains("no 3-year price for m5"))
    }

    @Test func alternativesListEachDeploymentAndNameTheCheapest() throws {
        let plan = try planner.plan(workload())
        let kinds = plan.alternatives.map { "\($0.deployment.rawValue)/\($0.pricing.rawValue)" }
        #expect(kinds == ["ec2/on-demand", "ec2/reserved-3y", "msk/on-demand"])
        #expect(plan.alternatives.filter({ $0.chosen }).count == 1)
        #expect(plan.alternatives.first(where: { $0.chosen })?.monthlyUSD == plan.cost.monthlyUSD)
        let cheapest = try #require(plan.alternatives.first(where: { $0.cheapest }))
        #expect(cheapest.monthlyUSD == plan.alternatives.map(\.monthlyUSD).min())
        // Each alternative is the plan that deployment gives on its own.
        let msk = try planner.plan(workload { $0.environment.provider = .msk })
        let listed = try #require(plan.alternatives.first { $0.deployment == .msk })
        #expect(listed.monthlyUSD == msk.cost.monthlyUSD)
        #expect(listed.brokers == msk.brokers)
        #expect(listed.instance == msk.instance.type.name)
        #expect(msk.alternatives.first(where: { $0.chosen })?.deployment == .msk)
    }

    @Test func mskCapsABrokerAt16TiB() throws {
        // 100 MB/s for 30 days on a fixed instance: 1,010.88 TB with margin over at most 16 TiB a broker.
        let plan = try planner.plan(
            workload {
                $0.environment.provider = .msk
                $0.environment.instance = "kafka.m7g.16xlarge"
                $0.topics[0].messagesPerSecond = 100_000
                $0.topics[0].retentionSeconds = 30 * 86_400
                $0.policy.recoveryTargetSeconds = 30 * 86_400
            })
        let disk = try #require(plan.constraints.first { $0.kind == .diskCapacity })
        let local = 100e6 * 30 * 86_400 * 3 * 1.3
        #expect(abs(disk.requiredBrokers - local / (16 * 1_099_511_627_776)) < 1e-3)
        #expect(plan.storage.perBrokerBytes <= 16 * 1_099_511_627_776)
    }

    @Test func mskRefusesWhatItDoesNotOffer() {
        func fields(_ configure: (inout Architecture) -> Void) -> [String] {
            workload {
                $0.environment.provider = .msk
                configure(&$0)
            }.validationErrors(catalog: .msk).map(\.field)
        }
        #expect(fields { $0.environment.storage = .localNVMe } == ["environment.storage"])
        #expect(fields { $0.environment.pricing = .reserved3y } == ["environment.pricing"])
        #expect(fields { $0.environment.instance = "m7g.xlarge" } == ["environment.instance"])
        #expect(fields { $0.environment.instance = "kafka.m7g.xlarge" }.isEmpty)
    }

    @Test func overMSKsQuotaTheFewestBrokersThenTheCheapestWin() throws {
        // 1 GB/s for a week needs more than 60 brokers of every MSK type.
        let plan = try planner.plan(
            workload {
                $0.environment.provider = .msk
                $0.topics[0].messagesPerSecond = 1_000_000
                $0.topics[0].retentionSeconds = 7 * 86_400
            })
        #expect(plan.brokers > 60)
        #expect(plan.warnings.contains { $0.code == "msk-broker-quota" })
        let fewest = try #require(plan.instance.candidates.map(\.brokers).min())
        #expect(plan.brokers == fewest)
        let tied = plan.instance.candidates.filter { $0.brokers == fewest }.map(\.monthlyUSD)
        #expect(plan.cost.monthlyUSD == tied.min())
    }

    @Test func localDrivesCannotHoldMoreThanTheyHave() {
        var a = workload {
            $0.environment.instance = "i3en.large"
            $0.environment.storage = .localNVMe
            $0.environment.brokers = 3
            $0.topics[0].retentionSeconds = 30 * 86_400
        }
        a.policy.recoveryTargetSeconds = 30 * 86_400
        #expect(throws: PlanError.self) { try planner.plan(a) }
    }

    @Test func mskWarnsAboveItsBrokerQuota() throws {
        let plan = try planner.plan(
            workload {
                $0.environment.provider = .msk
                $0.environment.instance = "kafka.m7g.large"
                $0.environment.brokers = 63
            })
        #expect(plan.warnings.contains { $0.code == "msk-broker-quota" })
    }
}
