// What a live cluster said about itself, as plain values: the CLI reads the cluster, the reports render
// these. A saved snapshot or a hand-written fixture renders the same way.

/// Brokers, controller, topics and partitions, as the cluster's metadata described them.
public struct ClusterTopology: Sendable, Equatable {
    public struct Broker: Sendable, Equatable {
        public let id: Int32
        public let host: String
        public let port: Int32
        public let rack: String?

        public init(id: Int32, host: String, port: Int32, rack: String?) {
            self.id = id
            self.host = host
            self.port = port
            self.rack = rack
        }
    }

    public struct Partition: Sendable, Equatable {
        public let partition: Int32
        public let leader: Int32
        public let replicas: [Int32]
        public let isr: [Int32]
        public let offline: [Int32]
        public let errorCode: Int16

        public init(
            partition: Int32, leader: Int32, replicas: [Int32], isr: [Int32], offline: [Int32], errorCode: Int16
        ) {
            self.partition = partition
            self.leader = leader
            self.replicas = replicas
            self.isr = isr
            self.offline = offline
            self.errorCode = errorCode
        }
    }

    public struct Topic: Sendable, Equatable {
        public let name: String
        public let isInternal: Bool
        public let errorCode: Int16
        public let partitions: [Partition]

        public init(name: String, isInternal: Bool, errorCode: Int16, partitions: [Partition]) {
            self.name = name
            self.isInternal = isInternal
            self.errorCode = errorCode
            self.partitions = partitions
        }
    }

    public let clusterId: String?
    public let controllerId: Int32?
    public let brokers: [Broker]
    public var topics: [Topic]
    /// The Metadata request version the answer came in.
    public let metadataVersion: Int16

    /// Leaders and replicas per broker over every partition the metadata listed (kept when topics are filtered).
    public var brokerLoad: [Int32: (leaders: Int, replicas: Int)] = [:]

    public init(clusterId: String?, controllerId: Int32?, brokers: [Broker], topics: [Topic], metadataVersion: Int16) {
        self.clusterId = clusterId
        self.controllerId = controllerId
        self.brokers = brokers
        self.topics = topics
        self.metadataVersion = metadataVersion
        var load: [Int32: (leaders: Int, replicas: Int)] = [:]
        for b in brokers { load[b.id] = (0, 0) }
        for t in topics {
            for p in t.partitions {
                if p.leader >= 0 { load[p.leader, default: (0, 0)].leaders += 1 }
                for r in p.replicas { load[r, default: (0, 0)].replicas += 1 }
            }
        }
        brokerLoad = load
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.clusterId == b.clusterId && a.controllerId == b.controllerId && a.brokers == b.brokers && a.topics == b.topics
            && a.metadataVersion == b.metadataVersion
    }

    /// Which partitions `cluster describe` lists, as kafka-topics.sh --describe's filters.
    public struct Filter: Sendable, Equatable {
        public var topics: Set<String> = []
        public var underReplicated = false
        public var unavailable = false
        /// Topic → effective min.insync.replicas; set to list partitions whose ISR is below it.
        public var underMinIsr: [String: Int]? = nil
        public init() {}

        var filtersPartitions: Bool { underReplicated || unavailable || underMinIsr != nil }

        func keeps(_ t: Topic, _ p: Partition) -> Bool {
            if underReplicated && p.isr.count < p.replicas.count { return true }
            if unavailable && (p.leader < 0 || !p.offline.isEmpty && p.isr.isEmpty) { return true }
            if let min = underMinIsr?[t.name], p.isr.count < min { return true }
            return false
        }
    }

    /// The same topology with only the topics and partitions `filter` keeps (broker load still the whole cluster's).
    public func filtered(_ filter: Filter) -> ClusterTopology {
        var out = self
        out.topics = topics.compactMap { t in
            if !filter.topics.isEmpty && !filter.topics.contains(t.name) { return nil }
            guard filter.filtersPartitions else { return t }
            let kept = t.partitions.filter { filter.keeps(t, $0) }
            return kept.isEmpty
                ? nil : Topic(name: t.name, isInternal: t.isInternal, errorCode: t.errorCode, partitions: kept)
        }
        return out
    }
}

/// Per broker, the API versions it serves and what this client would use, like kafka-broker-api-versions.sh.
public struct BrokerAPIVersions: Sendable, Equatable {
    public struct API: Sendable, Equatable {
        /// Whether this client can talk to the broker on this API.
        public enum Usability: Sendable, Equatable {
            /// The highest version both sides support.
            case usable(Int16)
            /// This client does not implement the API.
            case notImplemented
            /// Both implement it, but their version ranges do not meet.
            case unusable
        }

        public let apiKey: Int16
        public let name: String?
        public let minVersion: Int16
        public let maxVersion: Int16
        public let usability: Usability

        public init(apiKey: Int16, name: String?, minVersion: Int16, maxVersion: Int16, usability: Usability) {
            self.apiKey = apiKey
            self.name = name
            self.minVersion = minVersion
            self.maxVersion = maxVersion
            self.usability = usability
        }
    }

    /// The broker as metadata names it; nil when the bootstrap address itself could not be described.
    public let brokerId: Int32?
    public let rack: String?
    public let address: String
    /// The APIs, or why the broker did not answer.
    public let apis: Result<[API], Unreachable>

    /// A broker that did not answer, and why in the user's words.
    public struct Unreachable: Error, Sendable, Equatable {
        public let reason: String
        public init(reason: String) { self.reason = reason }
    }

    public init(brokerId: Int32?, rack: String?, address: String, apis: Result<[API], Unreachable>) {
        self.brokerId = brokerId
        self.rack = rack
        self.address = address
        self.apis = apis
    }
}
