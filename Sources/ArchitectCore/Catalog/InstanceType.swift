/// A machine a broker can run on: what it can carry and what it costs.
public struct InstanceType: Sendable, Equatable {
    public var name: String
    public var vcpus: Int
    public var memoryBytes: Double
    /// Sustained network bandwidth (the baseline, not the "up to" burst), bytes/s, each direction.
    public var networkBaselineBytesPerSecond: Double
    /// Sustained block-storage (EBS) bandwidth, bytes/s; for custom machines, the disk throughput.
    public var blockStorageBytesPerSecond: Double
    /// Size of each local NVMe drive, bytes; empty when the machine has none.
    public var localDisks: [Double]
    /// Sustained write throughput of all local drives together, bytes/s.
    public var localDiskWriteBytesPerSecond: Double
    public var hourlyUSD: Double

    public init(
        name: String, vcpus: Int, memoryBytes: Double, networkBaselineBytesPerSecond: Double,
        blockStorageBytesPerSecond: Double, localDisks: [Double] = [], localDiskWriteBytesPerSecond: Double = 0,
        hourlyUSD: Double
    ) {
        self.name = name
        self.vcpus = vcpus
        self.memoryBytes = memoryBytes
        self.networkBaselineBytesPerSecond = networkBaselineBytesPerSecond
        self.blockStorageBytesPerSecond = blockStorageBytesPerSecond
        self.localDisks = localDisks
        self.localDiskWriteBytesPerSecond = localDiskWriteBytesPerSecond
        self.hourlyUSD = hourlyUSD
    }

    /// The family, e.g. `m6i` for `m6i.2xlarge` (and `m7g` for MSK's `kafka.m7g.xlarge`).
    public var family: String {
        let parts = name.split(separator: ".")
        let start = parts.first == "kafka" && parts.count > 2 ? 1 : 0
        return String(parts.isEmpty ? Substring(name) : parts[start])
    }
    public var localCapacityBytes: Double { localDisks.reduce(0, +) }
    /// The disk throughput that applies for a storage type.
    public func diskThroughput(for storage: StorageType) -> Double {
        storage == .localNVMe ? localDiskWriteBytesPerSecond : blockStorageBytesPerSecond
    }
    /// Used by validation of custom machines.
    public var diskThroughputBytesPerSecond: Double { max(blockStorageBytesPerSecond, localDiskWriteBytesPerSecond) }
}

/// Prices of everything but instances, per region.
public struct StoragePrices: Sendable, Equatable {
    /// USD per GiB-month of provisioned block storage, by volume type.
    public var blockStoragePerGiBMonth: [StorageType: Double]
    /// gp3: throughput included per volume (bytes/s) and the price of each extra MB/s per month.
    public var gp3IncludedThroughput: Double
    public var gp3ExtraThroughputPerMBpsMonth: Double
    public var gp3MaxThroughput: Double
    /// st1: baseline throughput per TiB provisioned (bytes/s).
    public var st1ThroughputPerTiB: Double
    public var st1MaxThroughput: Double
    /// Largest single volume, bytes.
    public var maxVolumeBytes: Double
    /// Object storage (tiered segments), USD per GiB-month, in the provider's volume tiers (cheapest last).
    public var objectStorageTiers: [PriceTier]
    /// Data crossing availability zones, USD per GiB, both directions counted (out + in).
    public var crossZonePerGiB: Double
}

/// One band of a tiered price: the next `sizeGiB` (nil: everything beyond) at `perGiB`.
public struct PriceTier: Sendable, Equatable {
    public var sizeGiB: Double?
    public var perGiB: Double

    public init(sizeGiB: Double?, perGiB: Double) {
        self.sizeGiB = sizeGiB
        self.perGiB = perGiB
    }

    /// The price of `gib` over the tiers in order.
    public static func price(_ gib: Double, tiers: [PriceTier]) -> Double {
        var left = gib
        var total = 0.0
        for t in tiers where left > 0 {
            let band = min(left, t.sizeGiB ?? left)
            total += band * t.perGiB
            left -= band
        }
        return total
    }
}

/// Where the brokers run: machines the team operates, or a managed service.
public enum Deployment: String, Sendable, Equatable, CaseIterable, Codable {
    /// Self-managed brokers on EC2 instances (or the file's machines).
    case ec2
    /// Amazon MSK provisioned, Standard brokers.
    case msk

    public var title: String {
        switch self {
        case .ec2: "self-managed on EC2"
        case .msk: "Amazon MSK (provisioned)"
        }
    }
}

/// A dated, sourced set of instance types and prices.
public struct InstanceCatalog: Sendable, Equatable {
    public var provider: String
    public var deployment: Deployment = .ec2
    public var region: String
    /// The day the prices and specifications were transcribed.
    public var asOf: String
    public var source: String
    public var instances: [InstanceType]
    public var prices: StoragePrices
    /// Effective discount of a 3-year commitment on instance hours, by family (0.605 = 60.5% off on-demand).
    public var threeYearDiscount: [String: Double] = [:]
    /// Most storage one broker may have (Amazon MSK: 16 TiB), if the deployment limits it.
    public var storageLimitPerBroker: Double? = nil
    /// Whether data moving between brokers in different zones is billed (MSK does not bill replication).
    public var replicationTransferBilled = true

    public init(
        provider: String, deployment: Deployment = .ec2, region: String, asOf: String, source: String,
        instances: [InstanceType], prices: StoragePrices
    ) {
        self.provider = provider
        self.deployment = deployment
        self.region = region
        self.asOf = asOf
        self.source = source
        self.instances = instances
        self.prices = prices
    }

    public func instance(named name: String) -> InstanceType? {
        instances.first { $0.name == name }
    }
}
