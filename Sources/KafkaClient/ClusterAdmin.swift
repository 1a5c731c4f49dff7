// The read path the first live commands need: bootstrap, API version negotiation, metadata.

import KafkaProtocol
import NIOCore
import NIOPosix

public struct BrokerAddress: Sendable, Hashable {
    public let host: String
    public let port: Int

    /// Parses `host:port` (and `[v6]:port`).
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public var description: String { "\(host):\(port)" }
}

/// An API a broker supports, and the version this client will use.
public struct ApiSupport: Sendable, Equatable {
    public let apiKey: Int16
    public let name: String?
    public let brokerMin: Int16
    public let brokerMax: Int16
    /// The highest version both sides support; nil when we do not implement it or the ranges do not meet.
    public let chosen: Int16?
}

/// One broker's answer to ApiVersions, or why it gave none.
public struct BrokerAPIAnswer: Sendable {
    public let broker: ClusterDescription.Broker
    /// The address actually used.
    public let address: String
    public let result: Result<[ApiSupport], ClusterError>
}

public struct ClusterDescription: Sendable, Equatable {
    public struct Broker: Sendable, Equatable {
        public let id: Int32
        public let host: String
        public let port: Int32
        public let rack: String?
    }
    public struct Partition: Sendable, Equatable {
        public let partition: Int32
        public let leader: Int32
        public let replicas: [Int32]
        public let isr: [Int32]
        public let offline: [Int32]
        public let errorCode: Int16
    }
    public struct Topic: Sendable, Equatable {
        public let name: String
        public let isInternal: Bool
        public let errorCode: Int16
        public let partitions: [Partition]
    }
    public let clusterId: String?
    public let controllerId: Int32?
    public let brokers: [Broker]
    public let topics: [Topic]
    public let metadataVersion: Int16
}

public final class ClusterAdmin: Sendable {
    public let timeout: Double
    public let settings: ConnectionSettings
    let group: EventLoopGroup

    /// The APIs this client implements, by key.
    public static let implemented: [Int16: ClosedRange<Int16>] = Dictionary(
        uniqueKeysWithValues: KafkaAPIs.requests.map { ($0.apiKey, $0.versions) })

    public static let apiNames: [Int16: String] = [
        0: "Produce", 1: "Fetch", 2: "ListOffsets", 3: "Metadata", 8: "OffsetCommit", 9: "OffsetFetch",
        10: "FindCoordinator",
        11: "JoinGroup", 12: "Heartbeat", 13: "LeaveGroup", 14: "SyncGroup", 15: "DescribeGroups", 16: "ListGroups",
        17: "SaslHandshake",
        18: "ApiVersions", 19: "CreateTopics", 20: "DeleteTopics", 21: "DeleteRecords", 22: "InitProducerId",
        23: "OffsetForLeaderEpoch",
        24: "AddPartitionsToTxn", 25: "AddOffsetsToTxn", 26: "EndTxn", 27: "WriteTxnMarkers", 28: "TxnOffsetCommit",
        29: "DescribeAcls",
        30: "CreateAcls", 31: "DeleteAcls", 32: "DescribeConfigs", 33: "AlterConfigs", 34: "AlterReplicaLogDirs",
        35: "DescribeLogDirs",
        36: "SaslAuthenticate", 37: "CreatePartitions", 38: "CreateDelegationToken", 39: "RenewDelegationToken",
        40: "ExpireDelegationToken",
        41: "DescribeDelegationToken", 42: "DeleteGroups", 43: "ElectLeaders", 44: "IncrementalAlterConfigs",
        45: "AlterPartitionReassignments",
        46: "ListPartitionReassignments", 47: "OffsetDelete", 48: "DescribeClientQuotas", 49: "AlterClientQuotas",
        50: "DescribeUserScramCredentials",
        51: "AlterUserScramCredentials", 55: "DescribeQuorum", 57: "UpdateFeatures", 60: "DescribeCluster",
        61: "DescribeProducers",
        64: "UnregisterBroker", 65: "DescribeTransactions", 66: "ListTransactions", 68: "ConsumerGroupHeartbeat",
        69: "ConsumerGroupDescribe",
        71: "GetTelemetrySubscriptions", 72: "PushTelemetry", 74: "ListClientMetricsResources",
        75: "DescribeTopicPartitions",
    ]

    /// When set, no request waits past it: each one gets the smaller of `timeout` and the time left.
    public let deadline: NIODeadline?

    public init(
        timeout: Double, settings: ConnectionSettings = .plaintext,
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton, deadline: NIODeadline? = nil
    ) {
        self.timeout = timeout
        self.settings = settings
        self.group = group
        self.deadline = deadline
    }

    /// The same client, whose requests all end by `deadline`.
    public func bounded(by deadline: NIODeadline) -> ClusterAdmin {
        ClusterAdmin(timeout: timeout, settings: settings, group: group, deadline: deadline)
    }

    /// How long the next request may wait: `timeout`, or less when the deadline is nearer (at least 50 ms,
    /// so a request past the deadline still fails as a timeout rather than not being sent).
    var requestTimeout: Double {
        guard let deadline else { return timeout }
        let left = Double((deadline - .now()).nanoseconds) / 1e9
        return max(0.05, min(timeout, left))
    }

    /// Connects to one broker with this admin's timeout and security settings.
    public func connect(_ address: BrokerAddress) async throws(ClusterError) -> KafkaConnection {
        try await KafkaConnection.connect(
            host: address.host, port: address.port, timeout: requestTimeout, settings: settings, group: group)
    }

    /// Connects to the first bootstrap address that answers.
    public func connectAny(_ addresses: [BrokerAddress]) async throws(ClusterError) -> KafkaConnection {
        var last = ClusterError(
            address: addresses.map(\.description).joined(separator: ","), reason: "no bootstrap address")
        for a in addresses {
            do { return try await connect(a) } catch { last = error }
        }
        throw last
    }

    /// ApiVersions v0 (accepted by every broker from 0.10 to 4.x) and the version chosen per API.
    public func apiVersions(_ c: KafkaConnection) async throws(ClusterError) -> [ApiSupport] {
        let r = try await c.send(ApiVersionsRequest(), version: 0, timeout: requestTimeout)
        if r.errorCode != 0 {
            throw ClusterError(address: c.address, reason: "ApiVersions failed with error code \(r.errorCode)")
        }
        return r.apiKeys.map { k in
            var chosen: Int16? = nil
            if let ours = Self.implemented[k.apiKey] {
                let top = min(k.maxVersion, ours.upperBound)
                if top >= max(k.minVersion, ours.lowerBound) { chosen = top }
            }
            return ApiSupport(
                apiKey: k.apiKey, name: Self.apiNames[k.apiKey], brokerMin: k.minVersion, brokerMax: k.maxVersion,
                chosen: chosen)
        }.sorted { $0.apiKey < $1.apiKey }
    }

    /// Brokers, controller and every topic's partitions, with the highest Metadata version both support.
    /// Every broker's API versions, each asked on its own connection: a broker that is down is
    /// reported with why, the others still answer. Fails only when no bootstrap broker describes the cluster.
    public func apiVersionsByBroker(_ bootstrap: [BrokerAddress]) async throws(ClusterError) -> [BrokerAPIAnswer] {
        let description = try await describeAny(bootstrap)
        var answers: [BrokerAPIAnswer] = []
        for b in description.brokers {
            let address = BrokerAddress(host: b.host, port: Int(b.port))
            do {
                let c = try await connect(address)
                let result: Result<[ApiSupport], ClusterError>
                do { result = .success(try await apiVersions(c)) } catch { result = .failure(error) }
                await c.close()
                answers.append(BrokerAPIAnswer(broker: b, address: c.address, result: result))
            } catch {
                answers.append(BrokerAPIAnswer(broker: b, address: address.description, result: .failure(error)))
            }
        }
        return answers
    }

    /// Metadata from the first bootstrap broker that answers (the connection closed either way).
    public func describeAny(_ bootstrap: [BrokerAddress]) async throws(ClusterError) -> ClusterDescription {
        let c = try await connectAny(bootstrap)
        do {
            let d = try await describe(c)
            await c.close()
            return d
        } catch {
            await c.close()
            throw error
        }
    }

    public func describe(_ c: KafkaConnection) async throws(ClusterError) -> ClusterDescription {
        let apis = try await apiVersions(c)
        guard let version = apis.first(where: { $0.apiKey == 3 })?.chosen else {
            throw ClusterError(address: c.address, reason: "the broker offers no Metadata version this client speaks")
        }
        // v0 asks for all topics with an empty list; v1+ with null.
        let request = MetadataRequest(topics: version == 0 ? [] : nil, allowAutoTopicCreation: false)
        let r = try await c.send(request, version: version, timeout: requestTimeout)
        let brokers = r.brokers.map { b in
            ClusterDescription.Broker(id: b.nodeId, host: b.host, port: b.port, rack: b.rack)
        }.sorted { $0.id < $1.id }
        let topics = r.topics.map { t in
            ClusterDescription.Topic(
                name: t.name ?? "", isInternal: t.isInternal, errorCode: t.errorCode,
                partitions: t.partitions.map { p in
                    ClusterDescription.Partition(
                        partition: p.partitionIndex, leader: p.leaderId, replicas: p.replicaNodes, isr: p.isrNodes,
                        offline: p.offlineReplicas, errorCode: p.errorCode)
                }.sorted { $0.partition < $1.partition })
        }.sorted { $0.name < $1.name }
        // Before v2 there is no controller id (the field reads as its default, -1).
        return ClusterDescription(
            clusterId: r.clusterId, controllerId: version >= 1 ? r.controllerId : nil, brokers: brokers,
            topics: topics, metadataVersion: version)
    }

}
