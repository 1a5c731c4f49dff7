// Configuration review inputs that are YAML: Strimzi resources and the architecture file.

import ArchitectCore
import Yams

public enum ConfigSources {
    /// Whether YAML text holds Strimzi resources (rather than an architecture file).
    public static func isStrimzi(_ text: String) -> Bool {
        text.contains("kafka.strimzi.io/")
    }

    /// Strimzi resources, several documents per file: Kafka (spec.kafka.config → broker),
    /// KafkaTopic (spec.config, partitions, replicas → topic). KafkaNodePool and KafkaUser carry no
    /// Kafka configuration and are accepted without a unit.
    public static func strimzi(_ text: String, file: String) throws(ArchitectureFileError) -> [ConfigUnit] {
        let documents: [Node]
        do {
            documents = Array(try Yams.compose_all(yaml: text))
        } catch let e as YamlError {
            throw Reader(file: file).yamlError(e, text: text)
        } catch {
            throw ArchitectureFileError(file: file, line: 0, column: 0, field: "", message: "not valid YAML: \(error)")
        }
        var units: [ConfigUnit] = []
        for doc in documents {
            guard case .mapping = doc else { continue }
            let kind = doc["kind"]?.string ?? ""
            let name = doc["metadata"]?["name"]?.string
            let line = doc.mark?.line ?? 1
            switch kind {
            case "Kafka":
                units.append(strimziKafka(doc, name: name, line: line, file: file))
            case "KafkaTopic":
                units.append(strimziTopic(doc, name: name, line: line, file: file))
            case "KafkaUser":
                units.append(strimziUser(doc, name: name, line: line, file: file))
            case "KafkaNodePool", "KafkaConnect", "KafkaMirrorMaker2", "KafkaRebalance", "KafkaBridge":
                continue
            default:
                throw ArchitectureFileError(
                    file: file, line: line, column: 1, field: "kind",
                    message:
                        "'\(kind)' is not a Strimzi resource this tool reviews (Kafka, KafkaNodePool, KafkaTopic, KafkaUser)"
                )
            }
        }
        return units
    }

    /// A Kafka resource as a broker configuration: spec.kafka.config, with its listeners and
    /// authorization mapped to the config keys the rules read. `line` is the document's.
    static func strimziKafka(_ doc: Node, name: String?, line: Int, file: String) -> ConfigUnit {
        let kafka = doc["spec"]?["kafka"]
        let config = kafka?["config"]
        var unit = ConfigUnit(
            file: file, name: name, kind: .broker, settings: settings(config),
            anchorLine: config?.mark?.line ?? line)
        // Listeners and authorization are Strimzi fields, not config keys: map them to what the rules read.
        if case .sequence(let listeners)? = kafka?["listeners"] {
            let described = listeners.map { l -> String in
                let tls = l["tls"]?.bool ?? false
                let sasl =
                    l["authentication"]?["type"]?.string.map {
                        $0.hasPrefix("scram") || $0 == "oauth" || $0 == "custom"
                    } ?? false
                let proto = sasl ? (tls ? "SASL_SSL" : "SASL_PLAINTEXT") : (tls ? "SSL" : "PLAINTEXT")
                return "\(proto)://\(l["name"]?.string ?? "listener"):\(l["port"]?.int ?? 0)"
            }
            unit.settings["listeners"] = ConfigSetting(
                key: "spec.kafka.listeners", value: described.joined(separator: ","),
                line: kafka?["listeners"]?.mark?.line ?? line)
        }
        if let auth = kafka?["authorization"] {
            unit.settings["authorizer.class.name"] = ConfigSetting(
                key: "spec.kafka.authorization", value: "strimzi:\(auth["type"]?.string ?? "")",
                line: auth.mark?.line ?? line)
        }
        return unit
    }

    /// A KafkaTopic resource as a topic configuration: spec.config, partitions and replicas. `line`
    /// is the document's.
    static func strimziTopic(_ doc: Node, name: String?, line: Int, file: String) -> ConfigUnit {
        let spec = doc["spec"]
        let config = spec?["config"]
        var unit = ConfigUnit(
            file: file, name: name ?? spec?["topicName"]?.string, kind: .topic, settings: settings(config),
            anchorLine: spec?.mark?.line ?? line)
        unit.replicationFactor = spec?["replicas"]?.int
        unit.partitions = spec?["partitions"]?.int
        if let r = spec?["replicas"] {
            unit.settings["replication.factor"] = ConfigSetting(
                key: "replicas", value: r.string ?? "", line: r.mark?.line ?? line)
        }
        return unit
    }

    /// A KafkaUser resource as a user: its authentication and authorization types, and each ACL as
    /// `acl.<i>` = type|name|patternType|operations. `line` is the document's.
    static func strimziUser(_ doc: Node, name: String?, line: Int, file: String) -> ConfigUnit {
        let spec = doc["spec"]
        var settings: [String: ConfigSetting] = [:]
        if let auth = spec?["authentication"] {
            settings["authentication.type"] = ConfigSetting(
                key: "spec.authentication.type", value: auth["type"]?.string ?? "",
                line: auth.mark?.line ?? line)
        }
        if let authz = spec?["authorization"] {
            settings["authorization.type"] = ConfigSetting(
                key: "spec.authorization.type", value: authz["type"]?.string ?? "",
                line: authz.mark?.line ?? line)
            if case .sequence(let acls)? = authz["acls"] {
                for (i, acl) in acls.enumerated() {
                    settings["acl.\(i)"] = ConfigSetting(
                        key: "spec.authorization.acls[\(i)]", value: aclValue(acl), line: acl.mark?.line ?? line)
                }
            }
        }
        return ConfigUnit(
            file: file, name: name, kind: .user, settings: settings, anchorLine: spec?.mark?.line ?? line)
    }

    /// One Strimzi ACL as type|name|patternType|operations (operations comma-separated, the
    /// `operations` list then the single `operation`).
    static func aclValue(_ acl: Node) -> String {
        let resource = acl["resource"]
        let type = resource?["type"]?.string ?? ""
        let resourceName = resource?["name"]?.string ?? ""
        let pattern = resource?["patternType"]?.string ?? "literal"
        var operations =
            acl["operations"].flatMap { node -> [String]? in
                if case .sequence(let ops) = node { return ops.compactMap(\.string) }
                return nil
            } ?? []
        if let op = acl["operation"]?.string { operations.append(op) }
        return "\(type)|\(resourceName)|\(pattern)|\(operations.joined(separator: ","))"
    }

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

    /// An architecture file's topics as topic configurations (policy RF and min ISR, retention).
    public static func architecture(_ text: String, file: String) throws(ArchitectureFileError) -> [ConfigUnit] {
        let (a, lines) = try ArchitectureFile.parseWithLines(text, file: file)
        let isrLine = lines["policy.minInsyncReplicas"] ?? lines["policy"] ?? 1
        return a.workloads.enumerated().map { i, t in
            let path = "topics[\(i)]"
            let anchor = lines[path] ?? 1
            var settings: [String: ConfigSetting] = [
                "min.insync.replicas": ConfigSetting(
                    key: "policy.minInsyncReplicas", value: String(a.policy.minInsyncReplicas), line: isrLine)
            ]
            if let r = t.retentionSeconds {
                settings["retention.ms"] = ConfigSetting(
                    key: "\(path).retention", value: String(Int64(r * 1000)), line: lines["\(path).retention"] ?? anchor
                )
            }
            if let b = t.retentionBytesPerPartition {
                settings["retention.bytes"] = ConfigSetting(
                    key: "\(path).retentionBytes", value: String(Int64(b)),
                    line: lines["\(path).retentionBytes"] ?? anchor)
            }
            settings["replication.factor"] = ConfigSetting(
                key: "policy.replicationFactor", value: String(a.policy.replicationFactor),
                line: lines["policy.replicationFactor"] ?? isrLine)
            return ConfigUnit(
                file: file, name: t.name, kind: .topic, settings: settings, anchorLine: anchor,
                replicationFactor: a.policy.replicationFactor, partitions: t.partitions)
        }
    }
}
