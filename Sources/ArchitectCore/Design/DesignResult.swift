// What `kafka-architect design` derives from a design model: the reviewed topology.

public struct DesignedTopic: Sendable, Equatable {
    public enum Purpose: String, Sendable, Equatable, Codable {
        case main, retry
        case deadLetter = "dead-letter"
        /// A platform's own topic (a Connect worker cluster's configs, offsets and status).
        case `internal`
    }
    public let name: String
    public let purpose: Purpose
    /// The entity (`domain.entity`) it carries.
    public let entity: String
    public let partitions: Int
    public let replicationFactor: Int
    /// Topic-level configuration in a stable order (cleanup.policy, min.insync.replicas, retention, compression, …).
    public let configs: [(key: String, value: String)]
    /// Why the partition count, retention and other choices are what they are.
    public let notes: [String]
    public let tenant: String?

    public static func == (a: DesignedTopic, b: DesignedTopic) -> Bool {
        a.name == b.name && a.purpose == b.purpose && a.entity == b.entity && a.partitions == b.partitions
            && a.replicationFactor == b.replicationFactor && a.configs.map(\.key) == b.configs.map(\.key)
            && a.configs.map(\.value) == b.configs.map(\.value) && a.notes == b.notes && a.tenant == b.tenant
    }

    public func config(_ key: String) -> String? { configs.first { $0.key == key }?.value }
}

public struct ConsumerGroup: Sendable, Equatable {
    public let id: String
    public let service: String
    public let topics: [String]
    /// The group's lag SLO: the tightest `maxLag` of its uses, else `slos.maxConsumerLag`.
    public var maxLagSeconds: Double? = nil
}

public struct AclEntry: Sendable, Equatable, Hashable {
    public enum ResourceType: String, Sendable, Codable {
        case topic, group
        case transactionalId = "transactional-id"
        case cluster
    }
    public enum PatternType: String, Sendable, Codable { case literal, prefixed }
    public let principal: String
    public let resourceType: ResourceType
    public let resourceName: String
    public let patternType: PatternType
    /// Kafka operation names: Read, Write, Describe, IdempotentWrite.
    public let operation: String
}

/// One principal's share of its tenant's quota. Kafka enforces quotas per user (and client id) and per
/// broker, with no quota shared across principals: a tenant budget given to each of its n principals
/// would allow n times the budget, so each gets budget ÷ n (`shareOf` = n).
public struct TenantQuota: Sendable, Equatable {
    public let tenant: String
    public let principal: String
    public let producerByteRate: Double?
    public let consumerByteRate: Double?
    public let requestPercentage: Double?
    /// How many principals share the tenant's budget (this one has 1/shareOf of it).
    public var shareOf: Int = 1
}

public struct ClientConfig: Sendable, Equatable {
    public enum Role: String, Sendable, Codable {
        case producer, consumer
        /// A Kafka Streams application's one configuration (its producer, consumer and admin inside).
        case streams
        /// A Kafka Connect worker's configuration.
        case connectWorker = "connect-worker"
    }
    public let service: String
    public let role: Role
    public let guarantee: DeliveryGuarantee
    /// Java client property names, in a stable order.
    public let properties: [(key: String, value: String)]
    /// Why a property has the value it has, by key (a comment above it in the generated files).
    public var reasons: [String: String] = [:]

    public static func == (a: ClientConfig, b: ClientConfig) -> Bool {
        a.service == b.service && a.role == b.role && a.guarantee == b.guarantee
            && a.properties.map(\.key) == b.properties.map(\.key)
            && a.properties.map(\.value) == b.properties.map(\.value)
    }
}

public struct DesignFinding: Sendable, Equatable {
    public let code: String
    public let severity: LintSeverity
    /// The topic or service it is about.
    public let subject: String
    public let message: String
    public let fix: String
}

public struct DesignResult: Sendable, Equatable {
    public let name: String
    public let topics: [DesignedTopic]
    public let consumerGroups: [ConsumerGroup]
    public let acls: [AclEntry]
    public let quotas: [TenantQuota]
    public let clientConfigs: [ClientConfig]
    public let findings: [DesignFinding]
    public let plan: CapacityPlan
}
