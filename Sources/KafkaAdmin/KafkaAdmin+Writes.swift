// The admin requests that change a cluster, one resource per request so each change gets its own answer:
// CreateTopics, CreatePartitions, IncrementalAlterConfigs, DeleteTopics, CreateAcls, DeleteAcls,
// AlterClientQuotas. A request the broker answered without a result for the resource is reported as
// unconfirmed, never as applied.

import KafkaClient
import KafkaProtocol

/// How one change went.
public enum AdminOutcome: Sendable, Equatable {
    case applied
    /// The broker answered without an entry for the resource (Tansu's CreatePartitions): read it back.
    case unconfirmed(String)
    case failed(String)
}

extension KafkaAdmin {
    static let writeTimeoutMs: Int32 = 30_000

    static func outcome(_ code: Int16?, _ message: String?, what: String) -> AdminOutcome {
        guard let code else { return .unconfirmed("the broker's answer to \(what) had no entry for it") }
        if code == 0 { return .applied }
        return .failed("\(KafkaErrorCode.named(code).name)\(message.map { ": \($0)" } ?? "")")
    }

    static func failed(_ e: ClusterError) -> AdminOutcome { .failed(e.description) }

    /// The CreateTopics request `apply` sends for one topic (its configs in name order).
    public static func createTopicRequest(
        name: String, partitions: Int, replicationFactor: Int, configs: [String: String]
    )
        -> CreateTopicsRequest
    {
        let topic = CreateTopicsRequest.CreatableTopic(
            name: name, numPartitions: Int32(clamping: partitions),
            replicationFactor: Int16(clamping: replicationFactor),
            assignments: [],
            configs: configs.sorted { $0.key < $1.key }.map { .init(name: $0.key, value: $0.value) })
        return CreateTopicsRequest(topics: [topic], timeoutMs: writeTimeoutMs)
    }

    /// CreateTopics with the topic's configs, to the controller.
    public func createTopic(name: String, partitions: Int, replicationFactor: Int, configs: [String: String]) async
        -> AdminOutcome
    {
        let request = Self.createTopicRequest(
            name: name, partitions: partitions, replicationFactor: replicationFactor, configs: configs)
        do throws(ClusterError) {
            let r = try await pool.send(request, to: .controller)
            let result = r.topics.first { $0.name == name }
            return Self.outcome(result?.errorCode, result?.errorMessage, what: "CreateTopics")
        } catch { return Self.failed(error) }
    }

    public static func createPartitionsRequest(topic: String, count: Int) -> CreatePartitionsRequest {
        CreatePartitionsRequest(
            topics: [.init(name: topic, count: Int32(clamping: count), assignments: nil)], timeoutMs: writeTimeoutMs)
    }

    /// CreatePartitions up to `count` (the broker places the new replicas).
    public func createPartitions(topic: String, count: Int) async -> AdminOutcome {
        do throws(ClusterError) {
            let r = try await pool.send(Self.createPartitionsRequest(topic: topic, count: count), to: .controller)
            let result = r.results.first { $0.name == topic }
            return Self.outcome(result?.errorCode, result?.errorMessage, what: "CreatePartitions")
        } catch { return Self.failed(error) }
    }

    /// IncrementalAlterConfigs SET (operation 0) of one topic (resource type 2) config, or DELETE (operation 1,
    /// back to the broker's or Kafka's default) when `value` is nil: only that key changes.
    public static func setTopicConfigRequest(topic: String, key: String, value: String?)
        -> IncrementalAlterConfigsRequest
    {
        IncrementalAlterConfigsRequest(resources: [
            .init(
                resourceType: 2, resourceName: topic,
                configs: [.init(name: key, configOperation: value == nil ? 1 : 0, value: value)])
        ])
    }

    public func setTopicConfig(topic: String, key: String, value: String?) async -> AdminOutcome {
        do throws(ClusterError) {
            let r = try await pool.send(Self.setTopicConfigRequest(topic: topic, key: key, value: value))
            let result = r.responses.first { $0.resourceName == topic }
            return Self.outcome(result?.errorCode, result?.errorMessage, what: "IncrementalAlterConfigs")
        } catch { return Self.failed(error) }
    }

    /// DeleteTopics by name (v6 and later carry it in `topics`, earlier ones in `topicNames`).
    public static func deleteTopicRequest(_ name: String) -> DeleteTopicsRequest {
        DeleteTopicsRequest(topics: [.init(name: name)], topicNames: [name], timeoutMs: writeTimeoutMs)
    }

    /// DeleteTopics by name, to the controller.
    public func deleteTopic(_ name: String) async -> AdminOutcome {
        do throws(ClusterError) {
            let r = try await pool.send(Self.deleteTopicRequest(name), to: .controller)
            let result = r.responses.first { $0.name == name }
            return Self.outcome(result?.errorCode, result?.errorMessage, what: "DeleteTopics")
        } catch { return Self.failed(error) }
    }

    /// The wire codes of an ACL binding given in Kafka's names.
    public static func aclCodes(_ a: AclBinding) -> (resource: Int8, pattern: Int8, operation: Int8, permission: Int8)?
    {
        // Only concrete codes: Unknown, Any and Match are filters and would widen a DeleteAcls.
        func code(_ table: [Int8: String], _ name: String) -> Int8? {
            table.first { $0.key >= 2 && $0.value != "Match" && $0.value.lowercased() == name.lowercased() }?.key
        }
        guard let r = code(AclNames.resourceTypes, a.resourceType), let p = code(AclNames.patternTypes, a.patternType),
            let o = code(AclNames.operations, a.operation), let q = code(AclNames.permissions, a.permission)
        else { return nil }
        return (r, p, o, q)
    }

    public static func createAclRequest(_ a: AclBinding) -> CreateAclsRequest? {
        guard let c = aclCodes(a) else { return nil }
        return CreateAclsRequest(creations: [
            .init(
                resourceType: c.resource, resourceName: a.resourceName, resourcePatternType: c.pattern,
                principal: a.principal, host: a.host, operation: c.operation, permissionType: c.permission)
        ])
    }

    /// CreateAcls of one binding.
    public func createAcl(_ a: AclBinding) async -> AdminOutcome {
        guard let request = Self.createAclRequest(a) else { return .failed("not an ACL Kafka knows: \(a)") }
        do throws(ClusterError) {
            let r = try await pool.send(request)
            return Self.outcome(r.results.first?.errorCode, r.results.first?.errorMessage, what: "CreateAcls")
        } catch { return Self.failed(error) }
    }

    /// DeleteAcls with a filter matching exactly one binding (every field given, none a wildcard filter).
    public static func deleteAclRequest(_ a: AclBinding) -> DeleteAclsRequest? {
        guard let c = aclCodes(a) else { return nil }
        return DeleteAclsRequest(filters: [
            .init(
                resourceTypeFilter: c.resource, resourceNameFilter: a.resourceName, patternTypeFilter: c.pattern,
                principalFilter: a.principal, hostFilter: a.host, operation: c.operation, permissionType: c.permission)
        ])
    }

    public func deleteAcl(_ a: AclBinding) async -> AdminOutcome {
        guard let request = Self.deleteAclRequest(a) else { return .failed("not an ACL Kafka knows: \(a)") }
        do throws(ClusterError) {
            let r = try await pool.send(request)
            let result = r.filterResults.first
            if let result, result.errorCode == 0, result.matchingAcls.isEmpty {
                return .unconfirmed("DeleteAcls matched no binding (already gone?)")
            }
            return Self.outcome(result?.errorCode, result?.errorMessage, what: "DeleteAcls")
        } catch { return Self.failed(error) }
    }

    /// AlterClientQuotas of one key for one entity (types in name order); `value` nil removes the key.
    public static func setClientQuotaRequest(entity: [String: String?], key: String, value: Double?)
        -> AlterClientQuotasRequest
    {
        let e = entity.sorted { $0.key < $1.key }.map {
            AlterClientQuotasRequest.EntityData(entityType: $0.key, entityName: $0.value)
        }
        return AlterClientQuotasRequest(entries: [
            .init(entity: e, ops: [.init(key: key, value: value ?? 0, remove: value == nil)])
        ])
    }

    public func setClientQuota(entity: [String: String?], key: String, value: Double?) async -> AdminOutcome {
        do throws(ClusterError) {
            let r = try await pool.send(Self.setClientQuotaRequest(entity: entity, key: key, value: value))
            return Self.outcome(r.entries.first?.errorCode, r.entries.first?.errorMessage, what: "AlterClientQuotas")
        } catch { return Self.failed(error) }
    }
}

extension KafkaAdmin {
    /// The admin write APIs `apply` sends, by Kafka's name.
    public enum WriteAPI: String, Sendable, CaseIterable {
        case createTopics = "CreateTopics"
        case createPartitions = "CreatePartitions"
        case incrementalAlterConfigs = "IncrementalAlterConfigs"
        case deleteTopics = "DeleteTopics"
        case createAcls = "CreateAcls"
        case deleteAcls = "DeleteAcls"
        case alterClientQuotas = "AlterClientQuotas"

        /// Sent to the controller (or, in KRaft, a broker that forwards to it), or to any broker.
        var target: BrokerTarget {
            switch self {
            case .createTopics, .createPartitions, .deleteTopics: .controller
            default: .any
            }
        }
    }

    /// The write APIs among `apis` that the broker each would go to does not offer (ApiVersions), each with
    /// why; empty when all are there. Asked before the first write, so a plan the cluster cannot take changes
    /// nothing.
    public func unavailable(_ apis: Set<WriteAPI>) async throws(ClusterError) -> [WriteAPI: String] {
        var out: [WriteAPI: String] = [:]
        for api in WriteAPI.allCases where apis.contains(api) {
            let address = try await pool.address(of: api.target)
            let offered: Int16?
            switch api {
            case .createTopics: offered = try await pool.version(of: CreateTopicsRequest.self, at: address)
            case .createPartitions: offered = try await pool.version(of: CreatePartitionsRequest.self, at: address)
            case .incrementalAlterConfigs:
                offered = try await pool.version(of: IncrementalAlterConfigsRequest.self, at: address)
            case .deleteTopics: offered = try await pool.version(of: DeleteTopicsRequest.self, at: address)
            case .createAcls: offered = try await pool.version(of: CreateAclsRequest.self, at: address)
            case .deleteAcls: offered = try await pool.version(of: DeleteAclsRequest.self, at: address)
            case .alterClientQuotas: offered = try await pool.version(of: AlterClientQuotasRequest.self, at: address)
            }
            if offered == nil { out[api] = "not offered by broker \(address.description) (ApiVersions)" }
        }
        return out
    }
}
