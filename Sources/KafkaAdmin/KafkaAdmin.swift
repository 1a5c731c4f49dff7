// Typed admin calls over the pooled client (kadm's role): each reads one thing the cluster knows and returns
// it as plain values, broker by broker where the answer lives on each broker. An API a broker does not offer
// comes back as a `ClusterError` whose `unsupportedAPI` names it, so the caller can degrade rather than fail.

import KafkaClient
import KafkaProtocol
import NIOCore

public struct ConfigEntryInfo: Sendable, Equatable {
    public let name: String
    /// nil when Kafka marks it sensitive or gives none.
    public let value: String?
    /// DescribeConfigs' ConfigSource (1 topic … 8 group); -1 when the version carries none (v0).
    public let source: Int8
    public let isSensitive: Bool
    public let readOnly: Bool
    /// v0 only: whether the value is Kafka's default.
    public let isDefault: Bool

    public init(name: String, value: String?, source: Int8, isSensitive: Bool, readOnly: Bool, isDefault: Bool) {
        self.name = name
        self.value = isSensitive ? nil : value
        self.source = source
        self.isSensitive = isSensitive
        self.readOnly = readOnly
        self.isDefault = isDefault
    }
}

public struct ReplicaSize: Sendable, Equatable {
    public let topic: String
    public let partition: Int32
    public let sizeBytes: Int64
    public let isFuture: Bool
}

public struct BrokerLogDir: Sendable, Equatable {
    public let broker: Int32
    public let path: String
    /// NONE, or KAFKA_STORAGE_ERROR for an offline directory.
    public let errorCode: Int16
    /// nil before DescribeLogDirs v4.
    public let totalBytes: Int64?
    public let usableBytes: Int64?
    public let replicas: [ReplicaSize]
}

public struct GroupListing: Sendable, Equatable {
    public let groupId: String
    public let protocolType: String
    public let state: String?
    /// The broker that listed it (its coordinator).
    public let broker: Int32
}

public struct GroupMemberDescription: Sendable, Equatable {
    public let memberId: String
    public let groupInstanceId: String?
    public let clientId: String
    public let host: String
    /// Topic → partitions, decoded from a consumer's assignment; empty for other protocols.
    public let assignment: [String: [Int32]]
}

public struct GroupDescription: Sendable, Equatable {
    public let groupId: String
    public let errorCode: Int16
    public let state: String
    public let protocolType: String
    public let protocolName: String
    public let members: [GroupMemberDescription]
}

public struct CommittedOffsetInfo: Sendable, Equatable {
    public let topic: String
    public let partition: Int32
    public let offset: Int64
    public let metadata: String?
}

public struct AclBinding: Sendable, Equatable, Hashable {
    public let resourceType: String
    public let resourceName: String
    public let patternType: String
    public let principal: String
    public let host: String
    public let operation: String
    public let permission: String

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

public struct ClientQuotaEntry: Sendable, Equatable {
    /// Entity type (`user`, `client-id`, `ip`) → name; nil for the default entity.
    public let entity: [String: String?]
    public let values: [String: Double]
}

/// A partition reassignment in progress (ListPartitionReassignments).
public struct ReassignmentInfo: Sendable, Equatable {
    public let topic: String
    public let partition: Int32
    /// Metadata's replica list during the move: the target and the replicas leaving.
    public let replicas: [Int32]
    public let adding: [Int32]
    public let removing: [Int32]
}

public struct TransactionDescription: Sendable, Equatable {
    public let transactionalId: String
    public let state: String
    public let producerId: Int64
    public let startTimeMs: Int64
    public let timeoutMs: Int32
    public let partitions: [String: [Int32]]
}

public struct TopicPartitionKey: Sendable, Hashable, Comparable {
    public let topic: String
    public let partition: Int32
    public init(_ topic: String, _ partition: Int32) {
        self.topic = topic
        self.partition = partition
    }
    public static func < (a: Self, b: Self) -> Bool { (a.topic, a.partition) < (b.topic, b.partition) }
}

/// Kafka's names for the enums in ACL messages, as kafka-acls.sh prints them.
public enum AclNames {
    public static let resourceTypes: [Int8: String] = [
        0: "Unknown", 1: "Any", 2: "Topic", 3: "Group", 4: "Cluster", 5: "TransactionalId", 6: "DelegationToken",
        7: "User",
    ]
    public static let patternTypes: [Int8: String] = [0: "Unknown", 1: "Any", 2: "Match", 3: "Literal", 4: "Prefixed"]
    public static let operations: [Int8: String] = [
        0: "Unknown", 1: "Any", 2: "All", 3: "Read", 4: "Write", 5: "Create", 6: "Delete", 7: "Alter", 8: "Describe",
        9: "ClusterAction", 10: "DescribeConfigs", 11: "AlterConfigs", 12: "IdempotentWrite", 13: "CreateTokens",
        14: "DescribeTokens",
    ]
    public static let permissions: [Int8: String] = [0: "Unknown", 1: "Any", 2: "Deny", 3: "Allow"]
}

public struct KafkaAdmin: Sendable {
    public let pool: BrokerPool

    public init(pool: BrokerPool) { self.pool = pool }

    /// Runs `body` for every broker in parallel, each answer or error kept by broker id.
    func perBroker<T: Sendable>(
        _ ids: [Int32], _ body: @escaping @Sendable (Int32) async throws(ClusterError) -> T
    ) async -> [Int32: Result<T, ClusterError>] {
        await withTaskGroup(of: (Int32, Result<T, ClusterError>).self) { group in
            for id in ids {
                group.addTask {
                    do throws(ClusterError) { return (id, .success(try await body(id))) } catch {
                        return (id, .failure(error))
                    }
                }
            }
            var out: [Int32: Result<T, ClusterError>] = [:]
            for await (id, r) in group { out[id] = r }
            return out
        }
    }

    static func check(_ code: Int16, _ what: String, message: String? = nil) throws(ClusterError) {
        guard code != 0 else { return }
        let e = KafkaErrorCode.named(code)
        throw ClusterError(address: what, reason: "\(e.name)\(message.map { ": \($0)" } ?? "")", code: e)
    }

    // MARK: Cluster and configuration

    /// DescribeCluster: id, controller and brokers as the controller sees them.
    public func describeCluster() async throws(ClusterError) -> DescribeClusterResponse {
        let r = try await pool.send(DescribeClusterRequest())
        try Self.check(r.errorCode, "DescribeCluster", message: r.errorMessage)
        return r
    }

    static func entries(_ r: DescribeConfigsResponse.DescribeConfigsResult) -> [ConfigEntryInfo] {
        r.configs.map {
            ConfigEntryInfo(
                name: $0.name, value: $0.isSensitive ? nil : $0.value, source: $0.configSource,
                isSensitive: $0.isSensitive, readOnly: $0.readOnly, isDefault: $0.isDefault)
        }
    }

    /// Each broker's configuration, asked of that broker (static values live only there).
    public func brokerConfigs(_ ids: [Int32]) async -> [Int32: Result<[ConfigEntryInfo], ClusterError>] {
        let pool = self.pool
        return await perBroker(ids) { (id: Int32) async throws(ClusterError) -> [ConfigEntryInfo] in
            let r = try await pool.send(
                DescribeConfigsRequest(resources: [.init(resourceType: 4, resourceName: String(id))]),
                to: .broker(id))
            guard let result = r.results.first else { return [] }
            try Self.check(result.errorCode, "broker \(id)", message: result.errorMessage)
            return Self.entries(result)
        }
    }

    /// Topics' effective configurations, 200 topics per request; a topic the broker refuses is left out
    /// and named in `errors`.
    public func topicConfigs(_ names: [String]) async throws(ClusterError) -> (
        configs: [String: [ConfigEntryInfo]], errors: [String: String]
    ) {
        var configs: [String: [ConfigEntryInfo]] = [:]
        var errors: [String: String] = [:]
        var start = 0
        while start < names.count {
            let chunk = names[start..<min(names.count, start + 200)]
            start += 200
            let r = try await pool.send(
                DescribeConfigsRequest(resources: chunk.map { .init(resourceType: 2, resourceName: $0) }))
            for result in r.results {
                if result.errorCode != 0 {
                    errors[result.resourceName] = KafkaErrorCode.named(result.errorCode).name
                } else {
                    configs[result.resourceName] = Self.entries(result)
                }
            }
        }
        return (configs, errors)
    }

    /// Each broker's log directories with their sizes and the replicas they hold.
    public func logDirs(_ ids: [Int32]) async -> [Int32: Result<[BrokerLogDir], ClusterError>] {
        let pool = self.pool
        return await perBroker(ids) { (id: Int32) async throws(ClusterError) -> [BrokerLogDir] in
            let address = try await pool.address(of: .broker(id))
            let version = try await pool.requiredVersion(of: DescribeLogDirsRequest.self, at: address)
            let r = try await pool.send(DescribeLogDirsRequest(topics: nil), version: version, to: address)
            try Self.check(r.errorCode, "broker \(id)")
            return r.results.map { d in
                BrokerLogDir(
                    broker: id, path: d.logDir, errorCode: d.errorCode,
                    totalBytes: version >= 4 && d.totalBytes >= 0 ? d.totalBytes : nil,
                    usableBytes: version >= 4 && d.usableBytes >= 0 ? d.usableBytes : nil,
                    replicas: d.topics.flatMap { t in
                        t.partitions.map {
                            ReplicaSize(
                                topic: t.name, partition: $0.partitionIndex, sizeBytes: $0.partitionSize,
                                isFuture: $0.isFutureKey)
                        }
                    })
            }
        }
    }

    // MARK: Offsets

    /// The offsets at `timestamp` (-1 latest, -2 earliest) of `partitions`, each asked of its leader; a leader
    /// that moved is looked up again once.
    public func listOffsets(_ partitions: [TopicPartitionKey], timestamp: Int64) async throws(ClusterError)
        -> [TopicPartitionKey: Int64]
    {
        try await listOffsetsByLeader(partitions, timestamp: timestamp).offsets
    }

    /// The same, with the leaders that failed (their partitions are left out of `offsets`).
    /// `isolationLevel` 1 (read_committed) gives the last stable offset for `timestamp` -1.
    public func listOffsetsByLeader(
        _ partitions: [TopicPartitionKey], timestamp: Int64, isolationLevel: Int8 = 0
    ) async throws(ClusterError) -> (offsets: [TopicPartitionKey: Int64], failures: [Int32: ClusterError]) {
        var out: [TopicPartitionKey: Int64] = [:]
        var failures: [Int32: ClusterError] = [:]
        var todo = partitions
        for attempt in 0..<2 where !todo.isEmpty {
            let meta = try await pool.metadata(refresh: attempt > 0)
            var leaders: [TopicPartitionKey: Int32] = [:]
            for t in meta.topics {
                for p in t.partitions { leaders[TopicPartitionKey(t.name, p.partition)] = p.leader }
            }
            let byLeader = Dictionary(grouping: todo.filter { (leaders[$0] ?? -1) >= 0 }) { leaders[$0] ?? -1 }
            let pool = self.pool
            let answers = await perBroker(Array(byLeader.keys)) {
                (leader: Int32) async throws(ClusterError) -> [(TopicPartitionKey, Int16, Int64)] in
                try await Self.listOffsets(
                    byLeader[leader] ?? [], timestamp: timestamp, isolationLevel: isolationLevel, leader: leader,
                    pool: pool)
            }
            var retry: [TopicPartitionKey] = []
            for (leader, r) in answers {
                let rows: [(TopicPartitionKey, Int16, Int64)]
                switch r {
                case .success(let v):
                    rows = v
                    failures[leader] = nil
                case .failure(let e):
                    failures[leader] = e
                    continue
                }
                for (key, code, offset) in rows {
                    if code == 0 {
                        out[key] = offset
                    } else if KafkaErrorCode.named(code).retriable {
                        retry.append(key)
                    }
                }
            }
            todo = retry
        }
        return (out, failures)
    }

    static func listOffsets(
        _ partitions: [TopicPartitionKey], timestamp: Int64, isolationLevel: Int8 = 0, leader: Int32, pool: BrokerPool
    ) async throws(ClusterError) -> [(TopicPartitionKey, Int16, Int64)] {
        let address = try await pool.address(of: .broker(leader))
        let negotiated = try await pool.requiredVersion(of: ListOffsetsRequest.self, at: address)
        // librdkafka 2.0.2's mock writes the leader epoch twice in multi-partition v4/v5 answers: v3 carries all
        // this needs, and every broker from 0.11 to 4.x accepts it.
        let floor = (try await pool.apiVersions(address)[ListOffsetsRequest.apiKey]?.lowerBound) ?? 0
        // read_committed needs v2.
        let version = max(isolationLevel > 0 ? 2 : 1, min(negotiated, max(3, floor)))
        let topics = Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }.map { t, ps in
            ListOffsetsRequest.ListOffsetsTopic(
                name: t, partitions: ps.map { .init(partitionIndex: $0.partition, timestamp: timestamp) })
        }
        let r = try await pool.send(
            ListOffsetsRequest(replicaId: -1, isolationLevel: isolationLevel, topics: topics), version: version,
            to: address)
        return r.topics.flatMap { t in
            t.partitions.map {
                (
                    TopicPartitionKey(t.name, $0.partitionIndex), $0.errorCode,
                    version == 0 ? ($0.oldStyleOffsets.first ?? -1) : $0.offset
                )
            }
        }
    }

    // MARK: Groups

    /// Every group each broker coordinates.
    public func listGroups(_ ids: [Int32]) async -> [Int32: Result<[GroupListing], ClusterError>] {
        let pool = self.pool
        return await perBroker(ids) { (id: Int32) async throws(ClusterError) -> [GroupListing] in
            let r = try await pool.send(ListGroupsRequest(), to: .broker(id))
            try Self.check(r.errorCode, "broker \(id)")
            return r.groups.map {
                GroupListing(
                    groupId: $0.groupId, protocolType: $0.protocolType,
                    state: $0.groupState.isEmpty ? nil : $0.groupState, broker: id)
            }
        }
    }

    /// Groups described by their coordinators, 100 per request.
    public func describeGroups(_ ids: [String]) async throws(ClusterError) -> [GroupDescription] {
        var byCoordinator: [BrokerAddress: [String]] = [:]
        for id in ids { byCoordinator[try await pool.address(of: .groupCoordinator(id)), default: []].append(id) }
        var out: [GroupDescription] = []
        for (address, groups) in byCoordinator.sorted(by: { $0.key.description < $1.key.description }) {
            var start = 0
            while start < groups.count {
                let chunk = Array(groups[start..<min(groups.count, start + 100)])
                start += 100
                let version = try await pool.requiredVersion(of: DescribeGroupsRequest.self, at: address)
                let r = try await pool.send(DescribeGroupsRequest(groups: chunk), version: version, to: address)
                out += r.groups.map { g in
                    GroupDescription(
                        groupId: g.groupId, errorCode: g.errorCode, state: g.groupState, protocolType: g.protocolType,
                        protocolName: g.protocolData,
                        members: g.members.map { m in
                            GroupMemberDescription(
                                memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId,
                                host: m.clientHost,
                                assignment: g.protocolType == "consumer" ? Self.assignment(m.memberAssignment) : [:])
                        })
                }
            }
        }
        return out
    }

    /// A consumer's assignment bytes (ConsumerProtocolAssignment), or nothing when they do not parse.
    public static func assignment(_ bytes: ByteBuffer) -> [String: [Int32]] {
        var b = bytes
        guard let version = try? b.readKafkaInteger("Assignment.Version", as: Int16.self), version >= 0 else {
            return [:]
        }
        let v = min(version, ConsumerProtocolAssignment.versions.upperBound)
        guard let a = try? ConsumerProtocolAssignment(version: v, from: &b) else { return [:] }
        var out: [String: [Int32]] = [:]
        for t in a.assignedPartitions { out[t.topic, default: []] += t.partitions }
        return out
    }

    // MARK: Access and quotas

    /// Every ACL binding.
    public func acls() async throws(ClusterError) -> [AclBinding] {
        let r = try await pool.send(
            DescribeAclsRequest(resourceTypeFilter: 1, patternTypeFilter: 1, operation: 1, permissionType: 1))
        try Self.check(r.errorCode, "DescribeAcls", message: r.errorMessage)
        return r.resources.flatMap { res in
            res.acls.map {
                AclBinding(
                    resourceType: AclNames.resourceTypes[res.resourceType] ?? "\(res.resourceType)",
                    resourceName: res.resourceName,
                    patternType: AclNames.patternTypes[res.patternType] ?? "\(res.patternType)",
                    principal: $0.principal, host: $0.host,
                    operation: AclNames.operations[$0.operation] ?? "\($0.operation)",
                    permission: AclNames.permissions[$0.permissionType] ?? "\($0.permissionType)")
            }
        }
    }

    /// Every client quota.
    public func clientQuotas() async throws(ClusterError) -> [ClientQuotaEntry] {
        let r = try await pool.send(DescribeClientQuotasRequest(components: [], strict: false))
        try Self.check(r.errorCode, "DescribeClientQuotas", message: r.errorMessage)
        return (r.entries ?? []).map { e in
            ClientQuotaEntry(
                entity: Dictionary(e.entity.map { ($0.entityType, $0.entityName) }) { a, _ in a },
                values: Dictionary(e.values.map { ($0.key, $0.value) }) { a, _ in a })
        }
    }

    // MARK: Reassignments

    /// Every partition reassignment in progress, from the controller.
    public func reassignments() async throws(ClusterError) -> [ReassignmentInfo] {
        let r = try await pool.send(ListPartitionReassignmentsRequest(timeoutMs: 30_000, topics: nil), to: .controller)
        try Self.check(r.errorCode, "ListPartitionReassignments", message: r.errorMessage)
        return r.topics.flatMap { t in
            t.partitions.map {
                ReassignmentInfo(
                    topic: t.name, partition: $0.partitionIndex, replicas: $0.replicas, adding: $0.addingReplicas,
                    removing: $0.removingReplicas)
            }
        }
    }

    // MARK: Transactions

    /// Transactions every broker coordinates, described by their coordinators.
    public func transactions(_ ids: [Int32]) async throws(ClusterError) -> [TransactionDescription] {
        let pool = self.pool
        let listed = await perBroker(ids) { (id: Int32) async throws(ClusterError) -> [String] in
            let r = try await pool.send(ListTransactionsRequest(), to: .broker(id))
            try Self.check(r.errorCode, "broker \(id)")
            return r.transactionStates.map(\.transactionalId)
        }
        var out: [TransactionDescription] = []
        for (id, r) in listed.sorted(by: { $0.key < $1.key }) {
            let txIds: [String]
            switch r {
            case .success(let v): txIds = v
            case .failure(let e): throw e
            }
            guard !txIds.isEmpty else { continue }
            let d = try await pool.send(DescribeTransactionsRequest(transactionalIds: txIds), to: .broker(id))
            out += d.transactionStates.filter { $0.errorCode == 0 }.map { t in
                TransactionDescription(
                    transactionalId: t.transactionalId, state: t.transactionState, producerId: t.producerId,
                    startTimeMs: t.transactionStartTimeMs, timeoutMs: t.transactionTimeoutMs,
                    partitions: Dictionary(t.topics.map { ($0.topic, $0.partitions) }) { a, b in a + b })
            }
        }
        return out
    }
}
