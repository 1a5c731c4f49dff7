// The architecture file's model: a cluster's environment, its policy, and the topics it carries.
// Later capabilities (services, keys, tenants, SLOs) extend this same value.

/// Everything the planner needs to know about one Kafka cluster and its workloads.
public struct Architecture: Sendable, Equatable {
    public var name: String
    public var environment: Environment
    public var policy: Policy
    public var topics: [TopicWorkload]
    /// Domains, services, tenants and SLOs, when the file describes an event-driven design.
    public var design: DesignModel? = nil
    /// Resources the file states explicitly for `diff`, `apply` and `import`: topics given by partitions and
    /// replication factor (sized or not), top-level ACLs and quotas.
    public var managed = DesiredState()
    /// The clusters a design spans and how they replicate; nil for a one-cluster file.
    public var clusters: MultiClusterSpec? = nil

    public init(
        name: String = "cluster", environment: Environment = .init(), policy: Policy = .init(), topics: [TopicWorkload]
    ) {
        self.name = name
        self.environment = environment
        self.policy = policy
        self.topics = topics
    }
}

/// Where the cluster runs and on what.
public struct Environment: Sendable, Equatable {
    public var provider: Provider = .aws
    public var region: String = "us-east-1"
    public var availabilityZones: Int = 3
    /// `nil` lets the planner choose the cheapest instance type that satisfies every constraint.
    public var instance: String? = nil
    /// `nil` lets the planner size the cluster; a number fixes it and turns the plan into a check.
    public var brokers: Int? = nil
    public var storage: StorageType = .gp3
    public var tieredStorage: TieredStorage? = nil
    /// KIP-392 rack-aware follower fetching for consumers.
    public var followerFetching: Bool = false
    public var controller: ControllerMode = .kraft
    /// TLS on client and inter-broker listeners: disables zero-copy and costs CPU.
    public var tls: Bool = true
    /// Machine specifications given in the file, used by name like catalog types.
    public var machines: [InstanceType] = []
    /// What the cluster is for: production settings are the strictest (e.g. schemas registered by CI,
    /// never by clients).
    public var stage: Stage = .production
    /// How instance hours are bought: on demand, or a 3-year commitment where the catalog has its price.
    public var pricing: Pricing = .onDemand
    /// KRaft controllers (3 tolerate one failure, 5 tolerate two); MSK runs its own at no charge.
    public var controllers: Int = 3

    public init() {}

    /// The deployment the provider means.
    public var deployment: Deployment { provider == .msk ? .msk : .ec2 }
}

/// How instance hours are bought.
public enum Pricing: String, Sendable, Equatable, CaseIterable, Codable {
    case onDemand = "on-demand"
    /// A 3-year commitment (standard reserved instances or an EC2 instance savings plan).
    case reserved3y = "reserved-3y"
}

/// A deployment stage.
public enum Stage: String, Sendable, Equatable, CaseIterable {
    case production, staging, development
}

public enum Provider: String, Sendable, Equatable, CaseIterable {
    /// Self-managed brokers on EC2.
    case aws
    /// Amazon MSK provisioned (Standard brokers).
    case msk
    /// Machines described in the file only; no catalog prices.
    case custom
}

public enum StorageType: String, Sendable, Equatable, CaseIterable {
    case gp3, gp2, st1, io2
    /// The instance's own NVMe drives (i3en, i4i, …).
    case localNVMe = "local-nvme"

    public var isBlockStorage: Bool { self != .localNVMe }
}

public enum ControllerMode: String, Sendable, Equatable, CaseIterable {
    case kraft
    case zookeeper
}

/// KIP-405 tiered storage: recent segments on broker disks, the rest in object storage.
public struct TieredStorage: Sendable, Equatable {
    /// `local.retention.ms`: how long segments stay on broker disks.
    public var localRetentionSeconds: Double

    public init(localRetentionSeconds: Double) {
        self.localRetentionSeconds = localRetentionSeconds
    }
}

/// The rules the cluster is sized by.
public struct Policy: Sendable, Equatable {
    public var replicationFactor: Int = 3
    public var minInsyncReplicas: Int = 2
    /// Fraction of each resource's capacity the plan may use at peak.
    public var targetUtilization: Double = 0.6
    /// Extra disk kept free beyond retained data: total = retained × (1 + margin).
    public var freeSpaceMargin: Double = 0.3
    /// The load multiple the plan must also hold (growth plan and partition counts).
    public var growthFactor: Double = 2
    /// A fixed bound on the data one broker holds; `nil` leaves it to the recovery target.
    public var maxStoragePerBroker: Double? = nil
    /// How long re-replicating a replaced broker may take: bounds the data one broker may hold.
    public var recoveryTargetSeconds: Double = 4 * 3600
    /// After losing one broker, or a whole zone, the survivors' network, disk throughput and CPU stay within
    /// this fraction of their capacity (1 = 100% of baseline).
    public var failureCeiling: Double = 1
    /// Share of consumer reads that miss the page cache and read disk (or object storage, when tiered):
    /// lagging consumers catching up, replays. AKalculator assumes 25% of consume traffic is historical.
    public var cacheMissReadShare: Double = 0.25
    /// The p99 produce latency acks=all producers must meet, if there is a target (a design's SLO sets it).
    public var produceLatencyP99Seconds: Double? = nil
    /// The producers' batching wait (linger.ms): the design's client configurations use 10 ms.
    public var producerLingerSeconds: Double = 0.010
    /// Round trip between zones, and within one.
    public var crossZoneRoundTripSeconds: Double = 0.002
    public var sameZoneRoundTripSeconds: Double = 0.0005
    /// Sustained produce throughput one partition handles (bytes/s).
    public var partitionWriteThroughput: Double = 10e6
    /// Sustained consume throughput one partition handles per consumer group (bytes/s).
    public var partitionReadThroughput: Double = 10e6
    /// Network traffic (in + out) one vCPU moves at full load; `nil` uses the TLS or plaintext default.
    public var cpuThroughputPerCore: Double? = nil

    public init() {}
}

public enum CompressionCodec: String, Sendable, Equatable, CaseIterable {
    case none, gzip, snappy, lz4, zstd

    /// Single-core speed on uncompressed bytes (compress, decompress), bytes/s: the zstd README's lzbench table
    /// (Core i7-9700K, Silesia corpus) for zstd -1, lz4 and snappy; lz4's README for zlib -6 (Kafka's gzip
    /// level). Kafka's zstd default is level 3, which compresses 20–50% slower than level 1 (lzbench: -2 and -5
    /// at 82% and 30% of -1's speed), so recompression to zstd costs up to twice what is shown.
    public var speed: (compress: Double, decompress: Double)? {
        switch self {
        case .none: nil
        case .zstd: (510e6, 1580e6)
        case .lz4: (700e6, 4000e6)
        case .snappy: (530e6, 1660e6)
        case .gzip: (36e6, 445e6)
        }
    }

    /// Typical ratio (uncompressed ÷ compressed) for JSON-like payloads, used when the file gives none.
    /// Measured ratios vary widely with payload and batch size; give `compressionRatio` when known.
    public var typicalRatio: Double {
        switch self {
        case .none: 1
        case .gzip: 3
        case .snappy: 2
        case .lz4: 2.5
        case .zstd: 3.5
        }
    }
}

/// One topic (or a group of alike topics) and the load it carries.
public struct TopicWorkload: Sendable, Equatable {
    public var name: String
    /// Average messages per second.
    public var messagesPerSecond: Double
    /// Average uncompressed message size in bytes (key + value + headers).
    public var messageSize: Double
    public var compression: CompressionCodec = .none
    /// Uncompressed ÷ compressed; 1 means no saving.
    public var compressionRatio: Double = 1
    /// `retention.ms` in seconds; `nil` with no size limit means Kafka's default of 7 days.
    public var retentionSeconds: Double? = nil
    /// `retention.bytes`: a per-partition limit, as in Kafka.
    public var retentionBytesPerPartition: Double? = nil
    public var consumerGroups: Int = 1
    /// Peak rate ÷ average rate.
    public var peakToAverage: Double = 1
    /// `nil` derives the count (see `PartitionAdvisor`).
    public var partitions: Int? = nil
    /// Consumers wanted in one group; a derived partition count is at least this.
    public var consumers: Int? = nil
    /// Processing time per message, seconds; drives the concurrency a derived count must allow.
    public var processingTimeSeconds: Double? = nil
    /// A low-volume topic (configuration, reference data): a derived count skips the one-per-broker floor.
    public var lowVolume = false
    /// Ordering across all keys is needed: one partition.
    public var globalOrdering = false
    /// The topic's `compression.type`: `nil` keeps the producer's codec (Kafka's default, `producer`); another
    /// codec makes the broker recompress every batch.
    public var topicCompression: CompressionCodec? = nil
    /// `cleanup.policy=compact`: never tiered (KIP-405 tiers only deleted-by-time/size topics), so its
    /// retained data stays on broker disks.
    public var compacted = false
    /// Never tiered although the cluster tiers (the design says `tieredStorage: false`).
    public var keepLocal = false
    /// Kept forever (`retention.ms=-1`): sized for `foreverSizingSeconds` of writes.
    public var keptForever = false
    /// Distinct keys a compacted topic holds: then it keeps about keys × record size, twice over before
    /// the cleaner runs (`min.cleanable.dirty.ratio` 0.5), not days of writes.
    public var keyCount: Double? = nil

    public init(
        name: String, messagesPerSecond: Double, messageSize: Double,
        compression: CompressionCodec = .none, compressionRatio: Double? = nil,
        retentionSeconds: Double? = nil, retentionBytesPerPartition: Double? = nil,
        consumerGroups: Int = 1, peakToAverage: Double = 1, partitions: Int? = nil
    ) {
        self.name = name
        self.messagesPerSecond = messagesPerSecond
        self.messageSize = messageSize
        self.compression = compression
        self.compressionRatio = compressionRatio ?? compression.typicalRatio
        self.retentionSeconds = retentionSeconds
        self.retentionBytesPerPartition = retentionBytesPerPartition
        self.consumerGroups = consumerGroups
        self.peakToAverage = peakToAverage
        self.partitions = partitions
    }

    /// Kafka's default `retention.ms` (7 days), applied when neither time nor size is given.
    public static let defaultRetentionSeconds: Double = 7 * 86_400
    /// How long a topic kept forever is sized for: one year of writes, stated wherever it is used.
    public static let foreverSizingSeconds: Double = 365 * 86_400
}
