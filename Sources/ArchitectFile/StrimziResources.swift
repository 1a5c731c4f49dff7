// Strimzi resources as configurations to review. Strimzi fields that are not Kafka config keys
// (listeners, authorization, storage, replicas, roles, JVM options, TLS and authentication towards
// the cluster) become the keys the rules read: real Kafka keys where Strimzi sets one
// (`listeners`, `listener.security.protocol.map`, `authorizer.class.name`, `broker.rack`,
// `zookeeper.connect`), `strimzi.*` keys otherwise. Each keeps the line of its YAML field.

import ArchitectCore
import Yams

enum StrimziResources {
    /// Strimzi kinds and the configuration kind each becomes.
    static let kinds: [String: ConfigKind] = [
        "Kafka": .broker, "KafkaNodePool": .nodepool, "KafkaTopic": .topic, "KafkaUser": .user,
        "KafkaConnect": .connect, "KafkaMirrorMaker2": .mirrormaker, "KafkaBridge": .bridge,
        "KafkaConnector": .connector,
    ]

    // Long because: one switch over every Kubernetes kind a stream may hold.
    static func read(_ doc: Node, line: Int, file: String, into load: inout ConfigLoad) {
        guard case .mapping = doc else { return }
        let kind = doc.field("kind")?.string ?? ""
        let api = doc.field("apiVersion")?.string ?? ""
        let name = doc.field("metadata")?.field("name")?.string
        let label = doc.field("metadata")?.field("labels")?.field("strimzi.io/cluster")?.string
        let described = "\(kind)\(name.map { " '\($0)'" } ?? "")"
        guard api.hasPrefix("kafka.strimzi.io/"), let configKind = kinds[kind] else {
            let why =
                api.hasPrefix("kafka.strimzi.io/") || api.hasPrefix("core.strimzi.io/")
                ? "a Strimzi resource with no Kafka configuration to review" : "not a Kafka resource"
            load.notices.append(LintNotice(file: file, line: line, message: "skipped \(described): \(why)"))
            return
        }
        var unit = ConfigUnit(
            file: file, name: name, kind: configKind, settings: [:], anchorLine: doc.field("spec")?.mark?.line ?? line)
        unit.detectedFrom = "Strimzi \(kind)"
        unit.cluster = kind == "Kafka" ? name : label
        let spec = doc.field("spec")
        switch kind {
        case "Kafka": kafka(spec, line: line, into: &unit)
        case "KafkaNodePool": nodePool(spec, line: line, into: &unit)
        case "KafkaTopic": topic(spec, line: line, into: &unit)
        case "KafkaUser": user(spec, line: line, into: &unit)
        case "KafkaConnect": client(spec, line: line, config: spec?.field("config"), into: &unit)
        case "KafkaBridge": bridge(spec, line: line, into: &unit)
        case "KafkaMirrorMaker2": mirrorMaker(spec, line: line, into: &unit)
        default: connector(spec, line: line, into: &unit)
        }
        if name == nil { unit.name = unit.kind == .topic ? spec?.field("topicName")?.string : nil }
        if let topicName = spec?.field("topicName")?.string, unit.kind == .topic { unit.name = topicName }
        // Labels kafka-architect's generator writes: kafka-architect.io/purpose, kafka-architect.io/ordering.
        if let purpose = doc.field("metadata")?.field("labels")?.field("kafka-architect.io/purpose")?.string {
            unit.traits.insert(purpose)
        }
        if doc.field("metadata")?.field("labels")?.field("kafka-architect.io/ordering")?.string == "global" {
            unit.traits.insert("global-ordering")
        }
        set(&unit, "strimzi.kind", "kind", kind, doc.field("kind"))
        if name != nil { set(&unit, "strimzi.name", "metadata.name", name ?? "", doc.field("metadata")?.field("name")) }
        if let label {
            set(
                &unit, "strimzi.cluster", "metadata.labels.strimzi.io/cluster", label,
                doc.field("metadata")?.field("labels"))
        }
        load.units.append(unit)
    }

    // MARK: Kafka and node pools

    static func kafka(_ spec: Node?, line: Int, into unit: inout ConfigUnit) {
        let kafka = spec?.field("kafka")
        let config = kafka?.field("config")
        unit.settings = settings(config)
        unit.anchorLine = config?.mark?.line ?? kafka?.mark?.line ?? line
        if let v = kafka?.field("version")?.string ?? kafka?.field("metadataVersion")?.string,
            let version = KafkaVersion(v)
        {
            unit.version = version
        }
        if case .sequence(let listeners)? = kafka?.field("listeners") {
            self.listeners(Array(listeners), at: keyLine(kafka, "listeners") ?? line, into: &unit)
        }
        if let auth = kafka?.field("authorization") {
            setAtKey(
                &unit, "authorizer.class.name", "spec.kafka.authorization",
                "strimzi:\(auth.field("type")?.string ?? "")",
                parent: kafka, "authorization")
        }
        if let r = kafka?.field("replicas") { set(&unit, "strimzi.replicas", "spec.kafka.replicas", r.string ?? "", r) }
        if let rack = kafka?.field("rack") {
            setAtKey(
                &unit, "broker.rack", "spec.kafka.rack", "strimzi:\(rack.field("topologyKey")?.string ?? "")",
                parent: kafka,
                "rack")
        }
        if spec?.field("zookeeper") != nil {
            setAtKey(&unit, "zookeeper.connect", "spec.zookeeper", "strimzi:zookeeper", parent: spec, "zookeeper")
        }
        storage(kafka?.field("storage"), path: "spec.kafka.storage", into: &unit)
        resources(kafka, path: "spec.kafka", into: &unit)
    }

    /// Listeners as Kafka would see them: NAME://:port, the protocol map (tls, SASL), and mTLS as
    /// client authentication required; `strimzi.listener.<name>` keeps the Strimzi fields.
    static func listeners(_ listeners: [Node], at line: Int, into unit: inout ConfigUnit) {
        var names: [String] = []
        var map: [String] = []
        for l in listeners {
            let name = (l.field("name")?.string ?? "listener").uppercased()
            let tls = l.field("tls")?.flag ?? false
            let auth = l.field("authentication")?.field("type")?.string
            let sasl = auth.map { $0.hasPrefix("scram") || $0 == "oauth" || $0 == "custom" } ?? false
            let proto = sasl ? (tls ? "SASL_SSL" : "SASL_PLAINTEXT") : (tls ? "SSL" : "PLAINTEXT")
            names.append("\(name)://:\(l.field("port")?.string ?? "0")")
            map.append("\(name):\(proto)")
            let lineOf = l.mark?.line ?? line
            if auth == "tls" {
                unit.settings["listener.name.\(name.lowercased()).ssl.client.auth"] = ConfigSetting(
                    key: "spec.kafka.listeners[\(name.lowercased())].authentication", value: "required", line: lineOf)
            }
            if let auth, auth.hasPrefix("scram") {
                unit.settings["listener.name.\(name.lowercased()).sasl.enabled.mechanisms"] = ConfigSetting(
                    key: "spec.kafka.listeners[\(name.lowercased())].authentication", value: "SCRAM-SHA-512",
                    line: lineOf)
            }
            unit.settings["strimzi.listener.\(name.lowercased())"] = ConfigSetting(
                key: "spec.kafka.listeners[\(name.lowercased())]",
                value: "type=\(l.field("type")?.string ?? "");tls=\(tls);authentication=\(auth ?? "none")", line: lineOf
            )
        }
        unit.settings["listeners"] = ConfigSetting(
            key: "spec.kafka.listeners", value: names.joined(separator: ","), line: line)
        unit.settings["listener.security.protocol.map"] = ConfigSetting(
            key: "spec.kafka.listeners", value: map.joined(separator: ","), line: line)
    }

    static func nodePool(_ spec: Node?, line: Int, into unit: inout ConfigUnit) {
        if let r = spec?.field("replicas") { set(&unit, "strimzi.replicas", "spec.replicas", r.string ?? "", r) }
        if case .sequence(let roles)? = spec?.field("roles") {
            set(
                &unit, "strimzi.roles", "spec.roles", roles.compactMap(\.string).joined(separator: ","),
                spec?.field("roles"))
        }
        storage(spec?.field("storage"), path: "spec.storage", into: &unit)
        resources(spec, path: "spec", into: &unit)
    }

    /// Storage: ephemeral anywhere (a JBOD volume included) and deleteClaim: true anywhere.
    static func storage(_ node: Node?, path: String, into unit: inout ConfigUnit) {
        guard let node else { return }
        var volumes = [node]
        if case .sequence(let v)? = node.field("volumes") { volumes += v }
        if let eph = volumes.first(where: { $0.field("type")?.string == "ephemeral" }) {
            set(&unit, "strimzi.storage.type", "\(path).type", "ephemeral", eph.field("type") ?? eph)
        } else if let t = node.field("type")?.string {
            set(&unit, "strimzi.storage.type", "\(path).type", t, node.field("type"))
        }
        if let del = volumes.first(where: { $0.field("deleteClaim")?.flag == true }) {
            set(&unit, "strimzi.storage.deleteClaim", "\(path).deleteClaim", "true", del.field("deleteClaim") ?? del)
        }
    }

    /// JVM heap and container memory, for the heap-against-memory rule.
    static func resources(_ node: Node?, path: String, into unit: inout ConfigUnit) {
        if let xmx = node?.field("jvmOptions")?.field("-Xmx") {
            set(&unit, "strimzi.jvm.xmx", "\(path).jvmOptions.-Xmx", xmx.string ?? "", xmx)
        }
        let memory =
            node?.field("resources")?.field("limits")?.field("memory")
            ?? node?.field("resources")?.field("requests")?.field("memory")
        if let memory {
            set(&unit, "strimzi.memory", "\(path).resources.memory", memory.string ?? "", memory)
        }
    }

    // MARK: Topics and users

    static func topic(_ spec: Node?, line: Int, into unit: inout ConfigUnit) {
        let config = spec?.field("config")
        unit.settings = settings(config)
        unit.anchorLine = spec?.mark?.line ?? line
        unit.replicationFactor = spec?.field("replicas")?.string.flatMap { Int($0) }
        unit.partitions = spec?.field("partitions")?.string.flatMap { Int($0) }
        if let r = spec?.field("replicas") { set(&unit, "replication.factor", "spec.replicas", r.string ?? "", r) }
        if let p = spec?.field("partitions") { set(&unit, "strimzi.partitions", "spec.partitions", p.string ?? "", p) }
    }

    /// A KafkaUser: its authentication and authorization types, and each ACL as
    /// `acl.<i>` = type|name|patternType|operations.
    static func user(_ spec: Node?, line: Int, into unit: inout ConfigUnit) {
        if let auth = spec?.field("authentication") {
            set(&unit, "authentication.type", "spec.authentication.type", auth.field("type")?.string ?? "", auth)
        }
        if let authz = spec?.field("authorization") {
            set(&unit, "authorization.type", "spec.authorization.type", authz.field("type")?.string ?? "", authz)
            if case .sequence(let acls)? = authz.field("acls") {
                for (i, acl) in acls.enumerated() {
                    set(&unit, "acl.\(i)", "spec.authorization.acls[\(i)]", aclValue(acl), acl)
                }
            }
        }
    }

    /// One Strimzi ACL as type|name|patternType|operations (operations comma-separated, the
    /// `operations` list then the single `operation`).
    static func aclValue(_ acl: Node) -> String {
        let resource = acl.field("resource")
        let type = resource?.field("type")?.string ?? ""
        let resourceName = resource?.field("name")?.string ?? ""
        let pattern = resource?.field("patternType")?.string ?? "literal"
        var operations: [String] = []
        if case .sequence(let ops)? = acl.field("operations") { operations = ops.compactMap(\.string) }
        if let op = acl.field("operation")?.string { operations.append(op) }
        return "\(type)|\(resourceName)|\(pattern)|\(operations.joined(separator: ","))"
    }

    // MARK: Connect, bridge, MirrorMaker 2, connectors

    /// A Strimzi client of the cluster (KafkaConnect; the bridge and MirrorMaker 2 build on it):
    /// replicas, bootstrap servers, TLS and authentication towards the cluster, and its config.
    static func client(_ spec: Node?, line: Int, config: Node?, into unit: inout ConfigUnit) {
        for (k, s) in settings(config) { unit.settings[k] = s }
        if unit.kind == .connect { unit.aliasClientPrefixes() }
        if let config { unit.anchorLine = config.mark?.line ?? unit.anchorLine }
        if let r = spec?.field("replicas") { set(&unit, "strimzi.replicas", "spec.replicas", r.string ?? "", r) }
        connection(spec, alias: nil, path: "spec", into: &unit)
        resources(spec, path: "spec", into: &unit)
    }

    /// TLS and authentication towards one Kafka cluster (`strimzi.tls`, `strimzi.authentication`,
    /// prefixed `strimzi.cluster.<alias>.` for MirrorMaker 2).
    static func connection(_ node: Node?, alias: String?, path: String, into unit: inout ConfigUnit) {
        guard let node else { return }
        let prefix = alias.map { "strimzi.cluster.\($0)." } ?? "strimzi."
        if let b = node.field("bootstrapServers") {
            set(&unit, "\(prefix)bootstrap", "\(path).bootstrapServers", b.string ?? "", b)
        }
        set(
            &unit, "\(prefix)tls", "\(path).tls", node.field("tls") == nil ? "false" : "true", node.field("tls") ?? node
        )
        set(
            &unit, "\(prefix)authentication", "\(path).authentication",
            node.field("authentication")?.field("type")?.string ?? "",
            node.field("authentication") ?? node)
    }

    static func bridge(_ spec: Node?, line: Int, into unit: inout ConfigUnit) {
        client(spec, line: line, config: nil, into: &unit)
        for side in ["producer", "consumer", "adminClient"] {
            for (k, s) in settings(spec?.field(side)?.field("config")) {
                unit.settings["\(side).\(k)"] = ConfigSetting(
                    key: "spec.\(side).config.\(k)", value: s.value, line: s.line)
            }
        }
    }

    /// MirrorMaker 2: the Connect cluster's worker config (spec.clusters[connectCluster].config or
    /// spec.target.config), each mirror's connector configs, and each cluster's TLS and authentication.
    static func mirrorMaker(_ spec: Node?, line: Int, into unit: inout ConfigUnit) {
        if let r = spec?.field("replicas") { set(&unit, "strimzi.replicas", "spec.replicas", r.string ?? "", r) }
        let connectAlias = spec?.field("connectCluster")?.string
        var clusters: [(String, Node, String)] = []
        if case .sequence(let list)? = spec?.field("clusters") {
            for (i, c) in list.enumerated() {
                clusters.append((c.field("alias")?.string ?? "\(i)", c, "spec.clusters[\(i)]"))
            }
        }
        if let target = spec?.field("target") {
            clusters.append((target.field("alias")?.string ?? "target", target, "spec.target"))
        }
        var mirrors: [Node] = []
        if case .sequence(let list)? = spec?.field("mirrors") { mirrors = Array(list) }
        for (i, m) in mirrors.enumerated() {
            if let source = m.field("source") {
                clusters.append((source.field("alias")?.string ?? "source\(i)", source, "spec.mirrors[\(i)].source"))
            }
        }
        var names: [String] = []
        for (alias, c, path) in clusters {
            names.append(alias)
            connection(c, alias: alias, path: path, into: &unit)
            let isConnect = path == "spec.target" || alias == connectAlias
            for (k, s) in settings(c.field("config")) {
                // The Connect cluster's worker config as is; every other cluster's client config under its alias.
                if isConnect && unit.settings[k] == nil { unit.settings[k] = s }
                if !isConnect { unit.settings["\(alias).\(k)"] = s }
            }
        }
        set(&unit, "clusters", "spec.clusters", names.joined(separator: ","), spec?.field("clusters") ?? spec)
        for m in mirrors {
            for part in ["sourceConnector", "checkpointConnector", "heartbeatConnector"] {
                for (k, s) in settings(m.field(part)?.field("config")) where unit.settings[k] == nil {
                    unit.settings[k] = s
                }
                if m.field(part) != nil { unit.traits.insert(part) }
            }
        }
        unit.anchorLine = spec?.mark?.line ?? line
    }

    static func connector(_ spec: Node?, line: Int, into unit: inout ConfigUnit) {
        unit.settings = settings(spec?.field("config"))
        if let c = spec?.field("class") { set(&unit, "connector.class", "spec.class", c.string ?? "", c) }
        if let t = spec?.field("tasksMax") { set(&unit, "tasks.max", "spec.tasksMax", t.string ?? "", t) }
        unit.anchorLine = spec?.mark?.line ?? line
    }

    // MARK: Helpers

    static func set(_ unit: inout ConfigUnit, _ key: String, _ field: String, _ value: String, _ node: Node?) {
        unit.settings[key] = ConfigSetting(key: field, value: value, line: node?.mark?.line ?? unit.anchorLine)
    }

    /// The line of `key` itself in a mapping (a mapping value's own mark is its first child's line).
    static func keyLine(_ parent: Node?, _ key: String) -> Int? {
        guard let parent, case .mapping(let m) = parent else { return nil }
        return m.first { $0.key.string == key }?.key.mark?.line
    }

    static func setAtKey(
        _ unit: inout ConfigUnit, _ key: String, _ field: String, _ value: String, parent: Node?, _ name: String
    ) {
        unit.settings[key] = ConfigSetting(
            key: field, value: value, line: keyLine(parent, name) ?? parent?.field(name)?.mark?.line ?? unit.anchorLine)
    }

    /// A config mapping as settings: scalars as written, lists comma-joined.
    static func settings(_ node: Node?) -> [String: ConfigSetting] {
        guard let node, case .mapping(let m) = node else { return [:] }
        var out: [String: ConfigSetting] = [:]
        for (k, v) in m {
            guard let key = k.string else { continue }
            let value: String
            switch v {
            case .scalar(let s): value = s.string
            case .sequence(let seq): value = seq.compactMap(\.string).joined(separator: ",")
            default: value = ""
            }
            out[key] = ConfigSetting(key: key, value: value, line: k.mark?.line ?? 0)
        }
        return out
    }
}

extension Node {
    /// A mapping's value for a string key, found by comparing key text: `node["key"]` builds a
    /// node and resolves its tag with regular expressions on every lookup.
    func field(_ key: String) -> Node? {
        guard case .mapping(let m) = self else { return nil }
        return m.first { $0.key.string == key }?.value
    }

    /// A YAML 1.1 boolean written as a plain scalar (true/false, yes/no, on/off).
    var flag: Bool? {
        switch string?.lowercased() {
        case "true", "yes", "on": true
        case "false", "no", "off": false
        default: nil
        }
    }
}
