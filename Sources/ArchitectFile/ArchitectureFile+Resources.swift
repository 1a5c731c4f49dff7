// The resources a file states explicitly for `diff`, `apply` and `import` (docs/sync.md): topics given by
// partitions and replication factor (with or without rates), their configs, and top-level ACLs and quotas.
// Every value Kafka would refuse is an error at its line, so `apply` never sends a request that must fail.

import ArchitectCore
import Yams

extension Reader {
    /// One `topics[]` entry: a workload to size (it has rates), a topic to manage (it has partitions and
    /// replicationFactor), or both.
    mutating func topicEntry(_ node: Node, _ path: String) throws -> (TopicWorkload?, ManagedTopic?) {
        guard case .mapping(let m) = node else { return (try topic(node, path), nil) }
        let f = Dictionary(m.compactMap { k, v in k.string.map { ($0, v) } }, uniquingKeysWith: { a, _ in a })
        let keys = Dictionary(m.compactMap { k, _ in k.string.map { ($0, k) } }, uniquingKeysWith: { a, _ in a })
        if let n = f["name"], let problem = KafkaNames.topicNameProblem(try string(n, "\(path).name")) {
            throw error(n, "\(path).name", problem)
        }
        let sized = f["messagesPerSecond"] != nil || f["messageSize"] != nil
        guard let rf = f["replicationFactor"] else {
            if !sized {
                _ = try mapping(node, path, known: Self.topicFields)
                throw error(
                    node, "\(path).messagesPerSecond",
                    "missing: give messagesPerSecond and messageSize to size the topic, or partitions and replicationFactor to manage it"
                )
            }
            if let c = keys["configs"] ?? keys["keyed"] {
                throw error(
                    c, "\(path).replicationFactor",
                    "configs and keyed are for managed topics: add replicationFactor and partitions (numbers)")
            }
            return (try topic(node, path), nil)
        }
        let workload = sized ? try topic(node, path) : nil
        let fields = try mapping(node, path, known: Self.topicFields)
        guard let nameNode = fields["name"] else {
            throw error(node, "\(path).name", "missing: add e.g. `name: orders`")
        }
        guard let p = fields["partitions"], try string(p, "\(path).partitions") != "auto" else {
            throw error(
                fields["partitions"] ?? node, "\(path).partitions",
                "a managed topic (one with replicationFactor) needs a partition count: add e.g. `partitions: 6`")
        }
        let partitions = try int(p, "\(path).partitions")
        guard (1...1_000_000).contains(partitions) else {
            throw error(p, "\(path).partitions", "must be between 1 and 1000000 (got \(partitions))")
        }
        let factor = try int(rf, "\(path).replicationFactor")
        guard (1...Int(Int16.max)).contains(factor) else {
            throw error(rf, "\(path).replicationFactor", "must be between 1 and 32767 (got \(factor))")
        }
        let configs = try fields["configs"].map { try topicConfigs($0, "\(path).configs") } ?? [:]
        let keyed = try fields["keyed"].map { try bool($0, "\(path).keyed") } ?? true
        let managed = ManagedTopic(
            name: try string(nameNode, "\(path).name"), partitions: partitions, replicationFactor: factor,
            configs: configs, keyed: keyed)
        return (workload, managed)
    }

    static let topicFields = [
        "name", "description", "messagesPerSecond", "messageSize", "compression", "compressionRatio", "retention",
        "retentionBytes", "consumerGroups", "peakToAverage", "partitions", "consumers", "processingTime", "lowVolume",
        "ordering", "compressionType", "replicationFactor", "configs", "keyed",
    ]

    /// A topic's `configs:` map, in Kafka's names and raw units.
    mutating func topicConfigs(_ node: Node, _ path: String) throws -> [String: String] {
        marks[path] = node.mark
        guard case .mapping(let m) = node else {
            throw error(node, path, "expected a mapping of Kafka topic configs, e.g. `retention.ms: 604800000`")
        }
        var out: [String: String] = [:]
        for (k, v) in m {
            guard let key = k.string else { throw error(k, path, "config names must be plain text") }
            let field = "\(path).\(key)"
            marks[field] = v.mark ?? k.mark
            guard KafkaNames.topicConfigs.contains(key) || key.hasPrefix("confluent.") else {
                let hint = suggestion(for: key, in: KafkaNames.topicConfigs.sorted()).map { "did you mean '\($0)'? " }
                throw error(k, field, "not a topic config Kafka knows; \(hint ?? "")see docs/sync.md for the list")
            }
            guard out[key] == nil else { throw error(k, field, "given twice; keep one") }
            let value = try string(v, field)
            if let problem = KafkaNames.topicConfigProblem(key, value) { throw error(v, field, problem) }
            out[key] = value
        }
        return out
    }

    /// `acls:` and `quotas:`, top level.
    mutating func resources(_ fields: [String: Node], into arch: inout Architecture) throws {
        if let a = fields["acls"] {
            for (i, node) in try sequence(a, "acls").enumerated() {
                arch.managed.acls += try acl(node, "acls[\(i)]")
            }
        }
        if let q = fields["quotas"] {
            arch.managed.quotas = try sequence(q, "quotas").enumerated().map { i, node in
                try quota(node, "quotas[\(i)]")
            }
            var seen: [String: Int] = [:]
            for (i, q) in arch.managed.quotas.enumerated() {
                let name = SyncPlanner.quotaName(q.entity)
                if let first = seen[name] {
                    throw error(
                        at: "quotas[\(i)]", "the quota for \(name) is already given at quotas[\(first)]; merge them")
                }
                seen[name] = i
            }
        }
    }

    // Long because: each field of an ACL entry, checked against what Kafka accepts, in the file's order.
    mutating func acl(_ node: Node, _ path: String) throws -> [ClusterSnapshot.Acl] {
        let f = try mapping(
            node, path,
            known: [
                "principal", "operation", "operations", "topic", "group", "transactionalId", "cluster",
                "resourceType", "name", "patternType", "permission", "host",
            ])
        guard let p = f["principal"] else {
            throw error(node, "\(path).principal", "missing: add e.g. `principal: User:billing`")
        }
        let principal = try string(p, "\(path).principal")
        let parts = principal.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw error(p, "\(path).principal", "'\(principal)' is not TYPE:NAME, e.g. User:billing or User:*")
        }
        // Kafka compares principal types exactly: `user:billing` is a different principal that nobody is.
        if parts[0] != "User" && parts[0].lowercased() == "user" {
            throw error(
                p, "\(path).principal", "principal types are case-sensitive: write User:\(parts[1]), not \(principal)")
        }
        let (type, name) = try aclResource(f, node, path)
        let opNodes: [(Node, String)]
        if let one = f["operation"] {
            if f["operations"] != nil {
                throw error(one, "\(path).operation", "give operation or operations, not both")
            }
            opNodes = [(one, "\(path).operation")]
        } else if let many = f["operations"] {
            opNodes = try sequence(many, "\(path).operations").enumerated().map { ($1, "\(path).operations[\($0)]") }
        } else {
            throw error(
                node, "\(path).operation", "missing: add e.g. `operation: Read` or `operations: [Read, Describe]`")
        }
        let pattern = try f["patternType"].map { try string($0, "\(path).patternType").lowercased() } ?? "literal"
        guard ["literal", "prefixed"].contains(pattern) else {
            throw error(f["patternType"] ?? node, "\(path).patternType", "'\(pattern)' is not literal or prefixed")
        }
        let permission = try f["permission"].map { try string($0, "\(path).permission").lowercased() } ?? "allow"
        guard ["allow", "deny"].contains(permission) else {
            throw error(f["permission"] ?? node, "\(path).permission", "'\(permission)' is not allow or deny")
        }
        let host = try f["host"].map { try string($0, "\(path).host") } ?? "*"
        // Kafka matches the client's IP address exactly, or `*`: a pattern or a hostname grants nothing.
        if host != "*" && !KafkaNames.isIPAddress(host) {
            throw error(
                f["host"] ?? node, "\(path).host",
                "'\(host)' is not * or an IP address: Kafka compares the client's address exactly, so it would grant nothing"
            )
        }
        return try opNodes.map { n, field in
            let given = try string(n, field)
            guard let op = KafkaNames.aclOperations.first(where: { $0.lowercased() == given.lowercased() }) else {
                throw error(
                    n, field,
                    "'\(given)' is not an ACL operation; Kafka's are \(KafkaNames.aclOperations.joined(separator: ", "))"
                )
            }
            if op != "All", let ok = KafkaNames.aclSupported[type], !ok.contains(op) {
                throw error(
                    n, field,
                    "\(op) does not apply to a \(type) (it would grant nothing); a \(type) takes \(ok.sorted().joined(separator: ", ")) or All"
                )
            }
            return ClusterSnapshot.Acl(
                resourceType: type, resourceName: name, patternType: pattern == "prefixed" ? "Prefixed" : "Literal",
                principal: principal, host: host, operation: op, permission: permission == "deny" ? "Deny" : "Allow")
        }
    }

    /// The resource an ACL entry names: `topic: orders`, `group: billing`, `transactionalId: …`, `cluster: true`
    /// or `resourceType:` with `name:`.
    mutating func aclResource(_ f: [String: Node], _ node: Node, _ path: String) throws -> (String, String) {
        let given = [("topic", "Topic"), ("group", "Group"), ("transactionalId", "TransactionalId")].filter {
            f[$0.0] != nil
        }
        let count = given.count + (f["cluster"] != nil ? 1 : 0) + (f["resourceType"] != nil ? 1 : 0)
        guard count == 1 else {
            throw error(
                node, "\(path).topic",
                count == 0
                    ? "missing: name the resource with topic:, group:, transactionalId:, cluster: true, or resourceType: and name:"
                    : "name one resource per entry (topic:, group:, transactionalId:, cluster: or resourceType:)")
        }
        if let (key, type) = given.first, let n = f[key] {
            let name = try string(n, "\(path).\(key)")
            if name.isEmpty { throw error(n, "\(path).\(key)", "empty: name the \(type) (`*` for every one)") }
            return (type, name)
        }
        if let c = f["cluster"] {
            guard try bool(c, "\(path).cluster") else {
                throw error(
                    c, "\(path).cluster", "cluster: false names nothing: write cluster: true, or name a resource")
            }
            return ("Cluster", "kafka-cluster")
        }
        guard let t = f["resourceType"] else { return ("Cluster", "kafka-cluster") }
        let s = try string(t, "\(path).resourceType")
        guard let type = KafkaNames.aclSupported.keys.first(where: { $0.lowercased() == s.lowercased() }) else {
            throw error(
                t, "\(path).resourceType",
                "'\(s)' is not a resource type; Kafka's are \(KafkaNames.aclSupported.keys.sorted().joined(separator: ", "))"
            )
        }
        if type == "Cluster" { return (type, "kafka-cluster") }
        guard let n = f["name"] else { throw error(node, "\(path).name", "missing: the \(type)'s name") }
        let name = try string(n, "\(path).name")
        if name.isEmpty { throw error(n, "\(path).name", "empty: name the \(type) (`*` for every one)") }
        return (type, name)
    }

    /// One `quotas[]` entry: an entity (user, clientId, both, or ip) and its limits.
    mutating func quota(_ node: Node, _ path: String) throws -> ClusterSnapshot.Quota {
        let f = try mapping(node, path, known: ["user", "clientId", "ip"] + KafkaNames.quotaKeys.map(\.file))
        let entity = try quotaEntity(f, node, path)
        var values: [String: Double] = [:]
        for (key, kafka) in KafkaNames.quotaKeys {
            guard let v = f[key] else { continue }
            let field = "\(path).\(key)"
            if (kafka == "connection_creation_rate") != (entity.ip != nil) {
                throw error(
                    v, field,
                    entity.ip != nil
                        ? "an ip quota takes only connectionCreationRate" : "connectionCreationRate is an ip quota")
            }
            let text = try string(v, field)
            let value: Double
            if let plain = Double(text), plain.isFinite {
                value = plain
            } else if key.hasSuffix("ByteRate") {
                value = try byteRate(v, field)
            } else {
                throw error(v, field, "'\(text)' is not a number")
            }
            guard value >= 0 else { throw error(v, field, "cannot be negative (got \(text))") }
            // Kafka types the byte rates as LONG and the connection rate as INT, and refuses a fraction.
            if kafka != "request_percentage" && kafka != "controller_mutation_rate" {
                guard value == value.rounded(), value < 9.2e18 else {
                    throw error(
                        v, field,
                        "Kafka takes a whole number of \(key.hasSuffix("ByteRate") ? "bytes per second" : "connections per second") (got \(text) = \(value))"
                    )
                }
                if kafka == "connection_creation_rate" && value > Double(Int32.max) {
                    throw error(v, field, "at most \(Int32.max) (got \(text))")
                }
            }
            values[kafka] = value
        }
        if values.isEmpty {
            throw error(node, path, "give at least one limit: producerByteRate, consumerByteRate, requestPercentage, …")
        }
        return ClusterSnapshot.Quota(entity: entity, values: values)
    }

    /// A quota's entity, as Kafka would take it.
    func quotaEntity(_ f: [String: Node], _ node: Node, _ path: String) throws -> ClusterSnapshot.QuotaEntity {
        let entity = ClusterSnapshot.QuotaEntity(
            user: try f["user"].map { try string($0, "\(path).user") },
            clientId: try f["clientId"].map { try string($0, "\(path).clientId") },
            ip: try f["ip"].map { try string($0, "\(path).ip") })
        if entity.user == nil && entity.clientId == nil && entity.ip == nil {
            throw error(
                node, "\(path).user", "missing: give user:, clientId: (or both), or ip: (`<default>` for the default)")
        }
        if entity.ip != nil && (entity.user != nil || entity.clientId != nil) {
            throw error(f["ip"] ?? node, "\(path).ip", "an ip quota stands alone: give ip or user/clientId, not both")
        }
        if let u = entity.user, u.hasPrefix("User:") {
            throw error(
                f["user"] ?? node, "\(path).user",
                "a quota's user is the principal's name without its type: write \(u.dropFirst(5)), not \(u)")
        }
        if let ip = entity.ip, ip != "<default>", !KafkaNames.isIPAddress(ip) {
            throw error(
                f["ip"] ?? node, "\(path).ip",
                "'\(ip)' is not an IP address (Kafka takes an IPv4 or IPv6 address, or <default>)")
        }
        for (field, name) in [("user", entity.user), ("clientId", entity.clientId)] where name?.isEmpty == true {
            throw error(f[field] ?? node, "\(path).\(field)", "empty: give a name, or <default> for the default entity")
        }
        return entity
    }
}
