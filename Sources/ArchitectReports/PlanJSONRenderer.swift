// The plan as JSON: a documented, stable schema (docs/plan.md#json). Fields are only ever added.

import ArchitectCore
import Foundation

public struct PlanJSONRenderer {
    public static let schemaVersion = 1

    public init() {}

    public func render(_ plan: CapacityPlan) throws -> String {
        try ReportJSON.encode(PlanDocument(plan))
    }
}

struct PlanDocument: Encodable {
    let schemaVersion = PlanJSONRenderer.schemaVersion
    let name: String
    let brokers: Int
    let brokersFixed: Bool
    let bindingConstraint: String
    let instance: InstanceDoc
    let constraints: [ConstraintDoc]
    let throughput: ThroughputDoc
    let storage: StorageDoc
    let memory: MemoryDoc
    let partitions: PartitionsDoc
    let cost: CostDoc
    let growth: GrowthDoc?
    let topics: [TopicDoc]
    let warnings: [WarningDoc]
    let figures: [Figure]
    let prices: PricesDoc
    let deployment: String
    let pricing: String
    let alternatives: [AlternativeDoc]

    // Long because: one assignment per member of the documented schema (docs/plan.md#json), in its
    // order; splitting it would scatter the schema over several places.
    init(_ p: CapacityPlan) {
        name = p.name
        brokers = p.brokers
        brokersFixed = p.brokersFixed
        bindingConstraint = p.bindingConstraint.rawValue
        let t = p.instance.type
        instance = InstanceDoc(
            type: t.name, automatic: p.instance.automatic, vcpus: t.vcpus, memoryBytes: t.memoryBytes,
            networkBaselineBytesPerSecond: t.networkBaselineBytesPerSecond,
            blockStorageBytesPerSecond: t.blockStorageBytesPerSecond,
            localDiskBytes: t.localDisks, hourlyUSD: t.hourlyUSD,
            candidates: p.instance.candidates.map {
                CandidateDoc(
                    type: $0.instance, brokers: $0.brokers, bindingConstraint: $0.bindingConstraint.rawValue,
                    monthlyUSD: $0.monthlyUSD)
            })
        constraints = p.constraints.map {
            ConstraintDoc(
                name: $0.kind.rawValue, requiredBrokers: $0.requiredBrokers, minimumBrokers: $0.minimumBrokers,
                shareOfBinding: $0.shareOfBinding, utilizationOfTarget: $0.utilizationOfTarget, binding: $0.binding,
                figure: $0.figureId)
        }
        let th = p.throughput
        throughput = ThroughputDoc(
            ingressMessagesPerSecond: th.ingressMessagesPerSecond,
            peakIngressMessagesPerSecond: th.peakIngressMessagesPerSecond,
            ingressBytesPerSecond: th.ingressBytesPerSecond, peakIngressBytesPerSecond: th.peakIngressBytesPerSecond,
            ingressWireBytesPerSecond: th.ingressWireBytesPerSecond,
            peakIngressWireBytesPerSecond: th.peakIngressWireBytesPerSecond,
            replicationBytesPerSecond: th.replicationBytesPerSecond,
            peakReplicationBytesPerSecond: th.peakReplicationBytesPerSecond,
            egressBytesPerSecond: th.egressBytesPerSecond, peakEgressBytesPerSecond: th.peakEgressBytesPerSecond,
            networkInPerBrokerBytesPerSecond: th.networkInPerBrokerBytesPerSecond,
            networkOutPerBrokerBytesPerSecond: th.networkOutPerBrokerBytesPerSecond)
        let s = p.storage
        storage = StorageDoc(
            dailyIngressBytes: s.dailyIngressBytes, retainedBytes: s.retainedBytes, totalBytes: s.totalBytes,
            localBytes: s.localBytes, remoteBytes: s.remoteBytes, perBrokerBytes: s.perBrokerBytes,
            volumesPerBroker: s.volumesPerBroker, volumeSizeBytes: s.volumeSizeBytes,
            volumeThroughputBytesPerSecond: s.volumeThroughputBytesPerSecond,
            brokerRecoverySeconds: s.brokerRecoverySeconds)
        memory = MemoryDoc(
            heapBytes: p.memory.heapBytes, pageCacheBytes: p.memory.pageCacheBytes,
            pageCacheSeconds: p.memory.pageCacheSeconds)
        partitions = PartitionsDoc(
            total: p.partitions.total, replicas: p.partitions.replicas,
            replicasPerBroker: p.partitions.replicasPerBroker,
            perBrokerGuidance: p.partitions.perBrokerGuidance, clusterGuidance: p.partitions.clusterGuidance)
        cost = CostDoc(
            monthlyUSD: p.cost.monthlyUSD, followerFetching: p.cost.followerFetching,
            withFollowerFetchingMonthlyUSD: p.cost.withFollowerFetchingMonthlyUSD,
            withoutFollowerFetchingMonthlyUSD: p.cost.withoutFollowerFetchingMonthlyUSD,
            lines: p.cost.lines.map { CostLineDoc(item: $0.item, monthlyUSD: $0.monthlyUSD, figure: $0.figureId) })
        growth = p.growth.map {
            GrowthDoc(
                factor: $0.factor, brokers: $0.brokers, bindingConstraint: $0.bindingConstraint.rawValue,
                monthlyUSD: $0.monthlyUSD,
                runwayFactor: $0.runwayFactor, runwayIngressBytesPerSecond: $0.runwayIngressBytesPerSecond,
                runwayMessagesPerSecond: $0.runwayMessagesPerSecond, runwayConstraint: $0.runwayConstraint.rawValue)
        }
        topics = p.topics.map {
            TopicDoc(
                name: $0.name, messagesPerSecond: $0.messagesPerSecond, messageSize: $0.messageSize,
                compression: $0.compression.rawValue,
                compressionRatio: $0.compressionRatio, ingressBytesPerSecond: $0.ingressBytesPerSecond,
                ingressWireBytesPerSecond: $0.ingressWireBytesPerSecond, retentionSeconds: $0.retentionSeconds,
                retentionBytesPerPartition: $0.retentionBytesPerPartition, consumerGroups: $0.consumerGroups,
                peakToAverage: $0.peakToAverage, partitions: $0.partitions, partitionsDerived: $0.partitionsDerived,
                retainedBytesPerReplica: $0.retainedBytesPerReplica.rounded(), keptForever: $0.keptForever ? true : nil,
                sizedForSeconds: $0.keptForever ? TopicWorkload.foreverSizingSeconds : nil)
        }
        warnings = p.warnings.map { WarningDoc(code: $0.code, severity: $0.severity.rawValue, message: $0.message) }
        figures = p.figures
        prices = PricesDoc(
            provider: p.catalog.provider, region: p.catalog.region, asOf: p.catalog.asOf, source: p.catalog.source)
        deployment = p.deployment.rawValue
        pricing = p.pricing.rawValue
        alternatives = p.alternatives.map {
            AlternativeDoc(
                deployment: $0.deployment.rawValue, pricing: $0.pricing.rawValue, instance: $0.instance,
                brokers: $0.brokers, bindingConstraint: $0.bindingConstraint.rawValue, monthlyUSD: $0.monthlyUSD,
                chosen: $0.chosen, cheapest: $0.cheapest, caveat: $0.caveat)
        }
    }
}

struct InstanceDoc: Encodable {
    let type: String
    let automatic: Bool
    let vcpus: Int
    let memoryBytes: Double
    let networkBaselineBytesPerSecond: Double
    let blockStorageBytesPerSecond: Double
    let localDiskBytes: [Double]
    let hourlyUSD: Double
    let candidates: [CandidateDoc]
}
struct CandidateDoc: Encodable {
    let type: String
    let brokers: Int
    let bindingConstraint: String
    let monthlyUSD: Double
}
struct ConstraintDoc: Encodable {
    let name: String
    let requiredBrokers: Double
    let minimumBrokers: Int
    let shareOfBinding: Double
    let utilizationOfTarget: Double
    let binding: Bool
    let figure: String
}
struct ThroughputDoc: Encodable {
    let ingressMessagesPerSecond, peakIngressMessagesPerSecond, ingressBytesPerSecond, peakIngressBytesPerSecond: Double
    let ingressWireBytesPerSecond, peakIngressWireBytesPerSecond, replicationBytesPerSecond,
        peakReplicationBytesPerSecond: Double
    let egressBytesPerSecond, peakEgressBytesPerSecond, networkInPerBrokerBytesPerSecond,
        networkOutPerBrokerBytesPerSecond: Double
}
struct StorageDoc: Encodable {
    let dailyIngressBytes, retainedBytes, totalBytes, localBytes, remoteBytes, perBrokerBytes: Double
    let volumesPerBroker: Int
    let volumeSizeBytes, volumeThroughputBytesPerSecond, brokerRecoverySeconds: Double
}
struct MemoryDoc: Encodable { let heapBytes, pageCacheBytes, pageCacheSeconds: Double }
struct PartitionsDoc: Encodable {
    let total, replicas: Int
    let replicasPerBroker: Double
    let perBrokerGuidance, clusterGuidance: Int
}
struct CostDoc: Encodable {
    let monthlyUSD: Double
    let followerFetching: Bool
    let withFollowerFetchingMonthlyUSD, withoutFollowerFetchingMonthlyUSD: Double
    let lines: [CostLineDoc]
}
struct CostLineDoc: Encodable {
    let item: String
    let monthlyUSD: Double
    let figure: String
}
struct GrowthDoc: Encodable {
    let factor: Double
    let brokers: Int
    let bindingConstraint: String
    let monthlyUSD: Double
    let runwayFactor, runwayIngressBytesPerSecond, runwayMessagesPerSecond: Double
    let runwayConstraint: String
}
struct TopicDoc: Encodable {
    let name: String
    let messagesPerSecond, messageSize: Double
    let compression: String
    let compressionRatio: Double
    let ingressBytesPerSecond, ingressWireBytesPerSecond: Double
    let retentionSeconds, retentionBytesPerPartition: Double?
    let consumerGroups: Int
    let peakToAverage: Double
    let partitions: Int
    let partitionsDerived: Bool
    let retainedBytesPerReplica: Double
    /// Present (true) only for a topic kept forever: `retentionSeconds` is then null, as Kafka's -1.
    let keptForever: Bool?
    /// The writes a topic kept forever is sized for.
    let sizedForSeconds: Double?
}
struct WarningDoc: Encodable { let code, severity, message: String }
struct AlternativeDoc: Encodable {
    let deployment, pricing, instance: String
    let brokers: Int
    let bindingConstraint: String
    let monthlyUSD: Double
    let chosen, cheapest: Bool
    let caveat: String?
}
struct PricesDoc: Encodable { let provider, region, asOf, source: String }
