// Everything the audit reads about a live cluster, as one versioned value: `cluster snapshot` writes it as
// JSON (docs/snapshot.md), `audit --snapshot` reads it back
// (ArchitectFile's SnapshotDecoding), and tests write small ones by hand. Unknown values are nil (JSON null),
// never invented; values Kafka marks sensitive are never kept.

/// Where a configuration value comes from (DescribeConfigs' ConfigSource).
public enum ConfigValueSource: String, Sendable, Equatable, Codable, CaseIterable {
    case `default`
    case `static`
    case dynamicBroker = "dynamic-broker"
    case dynamicDefault = "dynamic-default"
    case dynamicBrokerLogger = "dynamic-broker-logger"
    case topic
    case clientMetrics = "client-metrics"
    case group
    /// DescribeConfigs v0 carries no source, or a newer broker sent one this build does not know.
    case unknown

    /// Kafka's wire value (DescribeConfigsResponse ConfigSource).
    public init(wire: Int8) {
        switch wire {
        case 1: self = .topic
        case 2: self = .dynamicBroker
        case 3: self = .dynamicDefault
        case 4: self = .static
        case 5: self = .default
        case 6: self = .dynamicBrokerLogger
        case 7: self = .clientMetrics
        case 8: self = .group
        default: self = .unknown
        }
    }

    /// Set on purpose by someone (not Kafka's built-in default).
    public var isExplicit: Bool { self != .default }
}

public struct ClusterSnapshot: Sendable, Equatable, Encodable {
    /// The format version this build writes and reads.
    public static let currentSchemaVersion = 1

    public struct Broker: Sendable, Equatable, Encodable {
        public var id: Int32
        public var host: String
        public var port: Int32
        public var rack: String?

        enum CodingKeys: String, CodingKey { case id, host, port, rack }

        public init(id: Int32, host: String, port: Int32, rack: String? = nil) {
            self.id = id
            self.host = host
            self.port = port
            self.rack = rack
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(host, forKey: .host)
            try c.encode(port, forKey: .port)
            try c.encode(rack, forKey: .rack)
        }
    }

    /// One configuration value and where it comes from. `value` is nil when Kafka marks it sensitive (and
    /// `sensitive` is true) or gives none.
    public struct ConfigEntry: Sendable, Equatable, Encodable {
        public var value: String?
        public var source: ConfigValueSource
        public var sensitive: Bool

        enum CodingKeys: String, CodingKey { case value, source, sensitive }

        public init(value: String?, source: ConfigValueSource, sensitive: Bool = false) {
            self.value = sensitive ? nil : value
            self.source = source
            self.sensitive = sensitive
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(sensitive ? nil : value, forKey: .value)
            try c.encode(source, forKey: .source)
            if sensitive { try c.encode(true, forKey: .sensitive) }
        }
    }

    public struct Partition: Sendable, Equatable, Encodable {
        public var partition: Int32
        /// -1 when the partition has no leader.
        public var leader: Int32
        public var replicas: [Int32]
        public var isr: [Int32]
        public var offlineReplicas: [Int32]
        public var logStartOffset: Int64?
        public var logEndOffset: Int64?
        /// The largest replica's size on disk (DescribeLogDirs).
        public var sizeBytes: Int64?
        /// Rates over `cluster snapshot --rate-window`.
        public var bytesInPerSecond: Double?
        public var messagesInPerSecond: Double?
        /// A reassignment in progress (ListPartitionReassignments): `replicas` then holds the target and the
        /// replicas leaving; `addingReplicas` are joining, `removingReplicas` leaving. Empty when none.
        public var addingReplicas: [Int32] = []
        public var removingReplicas: [Int32] = []

        /// The replication factor the partition has now, before a move in progress adds its new replicas.
        public var replicationFactor: Int { replicas.count - addingReplicas.count }
        /// The replication factor a move in progress leads to.
        public var targetReplicationFactor: Int { replicas.count - removingReplicas.count }
        public var reassigning: Bool { !addingReplicas.isEmpty || !removingReplicas.isEmpty }

        enum CodingKeys: String, CodingKey {
            case partition, leader, replicas, isr, offlineReplicas, logStartOffset, logEndOffset, sizeBytes,
                bytesInPerSecond, messagesInPerSecond, addingReplicas, removingReplicas
        }

        public init(
            partition: Int32, leader: Int32, replicas: [Int32], isr: [Int32], offlineReplicas: [Int32] = [],
            logStartOffset: Int64? = nil, logEndOffset: Int64? = nil, sizeBytes: Int64? = nil,
            bytesInPerSecond: Double? = nil, messagesInPerSecond: Double? = nil
        ) {
            self.partition = partition
            self.leader = leader
            self.replicas = replicas
            self.isr = isr
            self.offlineReplicas = offlineReplicas
            self.logStartOffset = logStartOffset
            self.logEndOffset = logEndOffset
            self.sizeBytes = sizeBytes
            self.bytesInPerSecond = bytesInPerSecond
            self.messagesInPerSecond = messagesInPerSecond
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(partition, forKey: .partition)
            try c.encode(leader, forKey: .leader)
            try c.encode(replicas, forKey: .replicas)
            try c.encode(isr, forKey: .isr)
            try c.encode(offlineReplicas, forKey: .offlineReplicas)
            try c.encode(logStartOffset, forKey: .logStartOffset)
            try c.encode(logEndOffset, forKey: .logEndOffset)
            try c.encode(sizeBytes, forKey: .sizeBytes)
            try c.encodeIfPresent(bytesInPerSecond, forKey: .bytesInPerSecond)
            try c.encodeIfPresent(messagesInPerSecond, forKey: .messagesInPerSecond)
            if !addingReplicas.isEmpty { try c.encode(addingReplicas, forKey: .addingReplicas) }
            if !removingReplicas.isEmpty { try c.encode(removingReplicas, forKey: .removingReplicas) }
        }
    }

    public struct Topic: Sendable, Equatable, Encodable {
        public var name: String
        public var `internal`: Bool
        /// Effective configuration, key → value and source; empty when the cluster gave none.
        public var configs: [String: ConfigEntry]
        public var partitions: [Partition]

        public init(name: String, internal: Bool = false, configs: [String: ConfigEntry] = [:], partitions: [Partition])
        {
            self.name = name
            self.internal = `internal`
            self.configs = configs
            self.partitions = partitions
        }

    }

    public struct LogDir: Sendable, Equatable, Encodable {
        public var broker: Int32
        public var path: String
        public var totalBytes: Int64?
        public var usableBytes: Int64?
        /// Bytes of the partition replicas the directory holds.
        public var partitionBytes: Int64?
        /// The directory's error (KAFKA_STORAGE_ERROR: an offline log dir), nil when healthy.
        public var error: String?

        enum CodingKeys: String, CodingKey { case broker, path, totalBytes, usableBytes, partitionBytes, error }

        public init(
            broker: Int32, path: String, totalBytes: Int64? = nil, usableBytes: Int64? = nil,
            partitionBytes: Int64? = nil, error: String? = nil
        ) {
            self.broker = broker
            self.path = path
            self.totalBytes = totalBytes
            self.usableBytes = usableBytes
            self.partitionBytes = partitionBytes
            self.error = error
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(broker, forKey: .broker)
            try c.encode(path, forKey: .path)
            try c.encode(totalBytes, forKey: .totalBytes)
            try c.encode(usableBytes, forKey: .usableBytes)
            try c.encode(partitionBytes, forKey: .partitionBytes)
            try c.encode(error, forKey: .error)
        }
    }

    public struct TopicPartitions: Sendable, Equatable, Encodable {
        public var topic: String
        public var partitions: [Int32]
        public init(topic: String, partitions: [Int32]) {
            self.topic = topic
            self.partitions = partitions
        }
    }

    public struct Member: Sendable, Equatable, Encodable {
        public var memberId: String
        public var clientId: String?
        public var host: String?
        public var assignment: [TopicPartitions]

        enum CodingKeys: String, CodingKey { case memberId, clientId, host, assignment }

        public init(memberId: String, clientId: String? = nil, host: String? = nil, assignment: [TopicPartitions] = [])
        {
            self.memberId = memberId
            self.clientId = clientId
            self.host = host
            self.assignment = assignment
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(memberId, forKey: .memberId)
            try c.encode(clientId, forKey: .clientId)
            try c.encode(host, forKey: .host)
            try c.encode(assignment, forKey: .assignment)
        }
    }

    public struct CommittedOffset: Sendable, Equatable, Encodable {
        public var topic: String
        public var partition: Int32
        public var offset: Int64
        public init(topic: String, partition: Int32, offset: Int64) {
            self.topic = topic
            self.partition = partition
            self.offset = offset
        }
    }

    public struct Group: Sendable, Equatable, Encodable {
        public var groupId: String
        /// Stable, Empty, PreparingRebalance, …; nil when the cluster did not say (Tansu: Unknown).
        public var state: String?
        public var protocolType: String?
        public var members: [Member]
        public var offsets: [CommittedOffset]

        enum CodingKeys: String, CodingKey { case groupId, state, protocolType, members, offsets }

        public init(
            groupId: String, state: String? = nil, protocolType: String? = nil, members: [Member] = [],
            offsets: [CommittedOffset] = []
        ) {
            self.groupId = groupId
            self.state = state
            self.protocolType = protocolType
            self.members = members
            self.offsets = offsets
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(groupId, forKey: .groupId)
            try c.encode(state, forKey: .state)
            try c.encode(protocolType, forKey: .protocolType)
            try c.encode(members, forKey: .members)
            try c.encode(offsets, forKey: .offsets)
        }
    }

    /// One ACL binding, in Kafka's words (`Topic`, `Literal`, `User:alice`, `*`, `Write`, `Allow`).
    public struct Acl: Sendable, Equatable, Codable {
        public var resourceType: String
        public var resourceName: String
        public var patternType: String
        public var principal: String
        public var host: String
        public var operation: String
        public var permission: String

        public init(
            resourceType: String, resourceName: String, patternType: String, principal: String, host: String,
            operation: String, permission: String
        ) {
            self.resourceType = resourceType
            self.resourceName = resourceName
            self.patternType = patternType
            self.principal = principal
            self.host = host
            self.operation = operation
            self.permission = permission
        }
    }

    public struct QuotaEntity: Sendable, Equatable, Codable {
        /// A user name, `<default>` for the default user, nil when the quota is not per user.
        public var user: String?
        public var clientId: String?
        /// An IP quota's address (connection-rate quotas), nil otherwise.
        public var ip: String?

        enum CodingKeys: String, CodingKey { case user, clientId, ip }
        public init(user: String? = nil, clientId: String? = nil, ip: String? = nil) {
            self.user = user
            self.clientId = clientId
            self.ip = ip
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(user, forKey: .user)
            try c.encode(clientId, forKey: .clientId)
            try c.encodeIfPresent(ip, forKey: .ip)
        }
    }

    public struct Quota: Sendable, Equatable, Encodable {
        public var entity: QuotaEntity
        public var values: [String: Double]
        public init(entity: QuotaEntity, values: [String: Double]) {
            self.entity = entity
            self.values = values
        }
    }

    /// An ongoing or recent transaction (ListTransactions + DescribeTransactions).
    public struct Transaction: Sendable, Equatable, Encodable {
        public var transactionalId: String
        public var state: String
        public var producerId: Int64
        /// When it began (ms since the epoch), nil when not ongoing.
        public var startTimeMs: Int64?
        public var timeoutMs: Int32?
        public var partitions: [TopicPartitions]

        public init(
            transactionalId: String, state: String, producerId: Int64, startTimeMs: Int64? = nil,
            timeoutMs: Int32? = nil, partitions: [TopicPartitions] = []
        ) {
            self.transactionalId = transactionalId
            self.state = state
            self.producerId = producerId
            self.startTimeMs = startTimeMs
            self.timeoutMs = timeoutMs
            self.partitions = partitions
        }
    }

    /// An API the cluster did not answer, on which brokers, and why.
    public struct Unsupported: Sendable, Equatable, Encodable {
        public var api: String
        public var brokers: [Int32]
        public var reason: String
        public init(api: String, brokers: [Int32], reason: String) {
            self.api = api
            self.brokers = brokers
            self.reason = reason
        }
    }

    public var schemaVersion: Int
    /// ISO 8601, UTC.
    public var takenAt: String
    /// The snapshot time in ms since the epoch (what age checks compare with).
    public var takenAtMs: Int64?
    public var clusterId: String?
    public var controllerId: Int32?
    public var brokers: [Broker]
    /// Broker id (as text) → key → value and source.
    public var brokerConfigs: [String: [String: ConfigEntry]]
    public var topics: [Topic]
    public var logDirs: [LogDir]
    public var groups: [Group]
    public var acls: [Acl]
    public var quotas: [Quota]
    public var transactions: [Transaction]
    public var unsupported: [Unsupported]
    /// False when a read the snapshot needs failed (not an API the cluster lacks): `missing` says which.
    public var complete: Bool
    public var missing: [String]
    /// Seconds between the two log-end offset reads the per-partition rates come from.
    public var rateWindowSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case schemaVersion, takenAt, takenAtMs, clusterId, controllerId, brokers, brokerConfigs, topics, logDirs, groups
        case acls, quotas, transactions, unsupported, complete, missing, rateWindowSeconds
    }

    public init(
        takenAt: String, takenAtMs: Int64? = nil, clusterId: String? = nil, controllerId: Int32? = nil,
        brokers: [Broker] = [], brokerConfigs: [String: [String: ConfigEntry]] = [:], topics: [Topic] = [],
        logDirs: [LogDir] = [], groups: [Group] = [], acls: [Acl] = [], quotas: [Quota] = [],
        transactions: [Transaction] = [], unsupported: [Unsupported] = [], complete: Bool = true,
        missing: [String] = [], rateWindowSeconds: Double? = nil
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.takenAt = takenAt
        self.takenAtMs = takenAtMs
        self.clusterId = clusterId
        self.controllerId = controllerId
        self.brokers = brokers
        self.brokerConfigs = brokerConfigs
        self.topics = topics
        self.logDirs = logDirs
        self.groups = groups
        self.acls = acls
        self.quotas = quotas
        self.transactions = transactions
        self.unsupported = unsupported
        self.complete = complete
        self.missing = missing
        self.rateWindowSeconds = rateWindowSeconds
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(takenAt, forKey: .takenAt)
        try c.encode(takenAtMs, forKey: .takenAtMs)
        try c.encode(clusterId, forKey: .clusterId)
        try c.encode(controllerId, forKey: .controllerId)
        try c.encode(brokers, forKey: .brokers)
        try c.encode(brokerConfigs, forKey: .brokerConfigs)
        try c.encode(topics, forKey: .topics)
        try c.encode(logDirs, forKey: .logDirs)
        try c.encode(groups, forKey: .groups)
        try c.encode(acls, forKey: .acls)
        try c.encode(quotas, forKey: .quotas)
        try c.encode(transactions, forKey: .transactions)
        try c.encode(unsupported, forKey: .unsupported)
        try c.encode(complete, forKey: .complete)
        try c.encode(missing, forKey: .missing)
        try c.encodeIfPresent(rateWindowSeconds, forKey: .rateWindowSeconds)
    }
}
