/// The result of capacity planning: every figure with its formula, the broker count and why.
public struct CapacityPlan: Sendable, Equatable {
    public let name: String
    public let brokers: Int
    /// The constraint that needs the most brokers.
    public let bindingConstraint: ConstraintKind
    /// True when the broker count was given rather than planned.
    public let brokersFixed: Bool
    public let instance: InstanceSelection
    public let constraints: [ConstraintResult]
    public let throughput: Throughput
    public let storage: Storage
    public let memory: Memory
    public let partitions: PartitionSummary
    public let cost: Cost
    public let growth: Growth?
    public let topics: [TopicPlan]
    public let warnings: [PlanWarning]
    /// Every figure above, in the order computed, with formula and inputs.
    public let figures: [Figure]
    public let catalog: CatalogReference
    /// Where and how the cluster runs: the deployment and pricing this plan is for.
    public var deployment: Deployment = .ec2
    public var pricing: Pricing = .onDemand
    /// The same workload under each deployment and pricing the catalogs offer, this plan's among them.
    public var alternatives: [DeploymentAlternative] = []
}

/// The same workload planned for another deployment or pricing.
public struct DeploymentAlternative: Sendable, Equatable {
    public let deployment: Deployment
    public let pricing: Pricing
    public let instance: String
    public let brokers: Int
    public let bindingConstraint: ConstraintKind
    public let monthlyUSD: Double
    /// True for the deployment and pricing the plan is for.
    public let chosen: Bool
    /// True for the cheapest alternative.
    public var cheapest = false
    /// What the figure leaves out or takes on trust (MSK's tiered-storage price).
    public var caveat: String? = nil
}

extension DeploymentAlternative {
    /// A plan as one of the alternatives, under its own deployment and pricing.
    init(_ p: CapacityPlan, chosen: Bool) {
        self.init(
            deployment: p.deployment, pricing: p.pricing, instance: p.instance.type.name, brokers: p.brokers,
            bindingConstraint: p.bindingConstraint, monthlyUSD: p.cost.monthlyUSD, chosen: chosen)
        caveat =
            p.warnings.contains { $0.code == "msk-tiered-price" }
            ? "MSK's tiered-storage price unconfirmed, retrieval not priced" : nil
    }
}

/// What a broker-count constraint measures: one case per constraint in `BrokerConstraints.all`, whose figure
/// is `constraints.<rawValue>`.
public enum ConstraintKind: String, Sendable, Equatable, Codable, CaseIterable {
    case availability
    case networkIn
    case networkOut
    case diskCapacity
    case diskThroughput
    case replicaDensity
    case cpu
    case recovery
    case brokerFailure
    case zoneFailure

    public var label: String {
        switch self {
        case .availability: "availability (replication factor over zones)"
        case .networkIn: "network in"
        case .networkOut: "network out"
        case .diskCapacity: "disk capacity"
        case .diskThroughput: "disk throughput"
        case .replicaDensity: "replica density"
        case .cpu: "CPU"
        case .recovery: "recovery target"
        case .brokerFailure: "one broker failure"
        case .zoneFailure: "zone failure"
        }
    }

    /// A resource sized at the target utilisation (network, disk throughput, CPU).
    public var isResource: Bool { [.networkIn, .networkOut, .diskThroughput, .cpu].contains(self) }

    /// Whether the constraint grows with throughput (used for the runway); each constraint says so itself.
    var scalesWithThroughput: Bool {
        BrokerConstraints.constraint(self)?.scalesWithThroughput ?? true
    }
}

/// How many brokers one constraint needs, and how close it is to binding.
public struct ConstraintResult: Sendable, Equatable {
    public let kind: ConstraintKind
    /// Fractional brokers needed (before rounding up).
    public let requiredBrokers: Double
    public let minimumBrokers: Int
    /// requiredBrokers ÷ the binding constraint's requiredBrokers.
    public let shareOfBinding: Double
    /// requiredBrokers ÷ planned brokers: 1.0 means this resource is at its target utilisation.
    public let utilizationOfTarget: Double
    public let binding: Bool
    /// The figure that explains `requiredBrokers`.
    public let figureId: String
}

public struct InstanceSelection: Sendable, Equatable {
    public let type: InstanceType
    /// True when the planner chose the type (instance: auto).
    public let automatic: Bool
    /// The cheapest alternatives considered, cheapest first (auto only).
    public let candidates: [Candidate]

    public struct Candidate: Sendable, Equatable {
        public let instance: String
        public let brokers: Int
        public let bindingConstraint: ConstraintKind
        public let monthlyUSD: Double
    }
}

public struct Throughput: Sendable, Equatable {
    public let ingressMessagesPerSecond: Double
    public let peakIngressMessagesPerSecond: Double
    public let ingressBytesPerSecond: Double
    public let peakIngressBytesPerSecond: Double
    public let ingressWireBytesPerSecond: Double
    public let peakIngressWireBytesPerSecond: Double
    public let replicationBytesPerSecond: Double
    public let peakReplicationBytesPerSecond: Double
    public let egressBytesPerSecond: Double
    public let peakEgressBytesPerSecond: Double
    public let networkInPerBrokerBytesPerSecond: Double
    public let networkOutPerBrokerBytesPerSecond: Double
}

public struct Storage: Sendable, Equatable {
    public let dailyIngressBytes: Double
    public let retainedBytes: Double
    public let totalBytes: Double
    /// Bytes on broker disks, margin included (equals totalBytes without tiered storage).
    public let localBytes: Double
    /// One copy in object storage (tiered storage only).
    public let remoteBytes: Double
    public let perBrokerBytes: Double
    public let volumesPerBroker: Int
    public let volumeSizeBytes: Double
    /// gp3 throughput to provision per volume, bytes/s (0 when not gp3).
    public let volumeThroughputBytesPerSecond: Double
    /// Time to re-replicate one broker's data when it is replaced: at the less of its spare network and its disks' spare write rate.
    public let brokerRecoverySeconds: Double
}

public struct Memory: Sendable, Equatable {
    public let heapBytes: Double
    public let pageCacheBytes: Double
    /// How many seconds of the newest writes each broker's page cache holds.
    public let pageCacheSeconds: Double
}

public struct PartitionSummary: Sendable, Equatable {
    public let total: Int
    public let replicas: Int
    public let replicasPerBroker: Double
    public let perBrokerGuidance: Int
    public let clusterGuidance: Int
}

public struct Cost: Sendable, Equatable {
    /// The plan's monthly total with its follower-fetching setting.
    public let monthlyUSD: Double
    public let lines: [CostLine]
    public let withFollowerFetchingMonthlyUSD: Double
    public let withoutFollowerFetchingMonthlyUSD: Double
    public let followerFetching: Bool
}

public struct CostLine: Sendable, Equatable {
    public let item: String
    public let monthlyUSD: Double
    public let figureId: String
}

public struct Growth: Sendable, Equatable {
    public let factor: Double
    public let brokers: Int
    public let bindingConstraint: ConstraintKind
    public let monthlyUSD: Double
    /// How many times the current load the planned brokers carry before a constraint binds.
    public let runwayFactor: Double
    public let runwayIngressBytesPerSecond: Double
    public let runwayMessagesPerSecond: Double
    public let runwayConstraint: ConstraintKind
}

public struct TopicPlan: Sendable, Equatable {
    public let name: String
    public let messagesPerSecond: Double
    public let messageSize: Double
    public let compression: CompressionCodec
    public let compressionRatio: Double
    public let ingressBytesPerSecond: Double
    public let ingressWireBytesPerSecond: Double
    public let retentionSeconds: Double?
    public let retentionBytesPerPartition: Double?
    public let consumerGroups: Int
    public let peakToAverage: Double
    public let partitions: Int
    /// True when the partition count was derived rather than given.
    public let partitionsDerived: Bool
    public let retainedBytesPerReplica: Double
    /// Compacted: kept whole on broker disks even with tiered storage.
    public var compacted = false
    /// Kept whole on broker disks even with tiered storage (compacted, or not to be tiered).
    public var keepLocal = false
    /// Kept forever (`retention.ms=-1`, `retentionSeconds` nil): sized for `TopicWorkload.foreverSizingSeconds`.
    public var keptForever = false
    /// The topic's `compression.type` when it differs from the producer's codec (`nil`: `producer`).
    public var topicCompression: CompressionCodec? = nil
    /// Ordering across all keys: one partition, whatever its load.
    public var globalOrdering = false
}

public struct PlanWarning: Sendable, Equatable {
    public enum Severity: String, Sendable, Equatable, Codable { case warning, info }
    public let code: String
    public let severity: Severity
    public let message: String
}

public struct CatalogReference: Sendable, Equatable {
    public let provider: String
    public let region: String
    public let asOf: String
    public let source: String
}
