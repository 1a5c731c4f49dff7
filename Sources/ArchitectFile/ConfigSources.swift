// Configuration review inputs that are YAML: Strimzi resources and the architecture file.

import ArchitectCore
import Yams

/// What one input file gave: configurations, documents skipped with a notice, broken documents.
public struct ConfigLoad: Sendable {
    public var units: [ConfigUnit] = []
    public var notices: [LintNotice] = []
    public var errors: [ArchitectureFileError] = []

    public init(units: [ConfigUnit] = [], notices: [LintNotice] = [], errors: [ArchitectureFileError] = []) {
        self.units = units
        self.notices = notices
        self.errors = errors
    }
}

public enum ConfigSources {
    /// Top-level keys of an architecture file: one of them marks a YAML file as one.
    static let architectureKeys: Set<String> = [
        "topics", "services", "domains", "policy", "environment", "tenants", "slos", "coPartition",
    ]

    /// A YAML file: a Kubernetes stream (Strimzi resources reviewed, other kinds skipped with a notice,
    /// a broken document named with its line while the others are still reviewed), an architecture
    /// file, or neither (skipped with a notice).
    public static func yaml(_ text: String, file: String) -> ConfigLoad {
        var load = ConfigLoad()
        let documents = YAMLStream.documents(text)
        var parsed: [(Node, Int)] = []
        for d in documents {
            do {
                // Blank lines before the document keep every mark at its line in the whole file.
                if let node = try Yams.compose(yaml: String(repeating: "\n", count: d.line - 1) + d.text) {
                    parsed.append((node, d.line))
                }
            } catch let e as YamlError {
                load.errors.append(Reader(file: file).yamlError(e, text: text))
            } catch {
                load.errors.append(
                    ArchitectureFileError(
                        file: file, line: d.line, column: 1, field: "", message: "not valid YAML: \(error)"))
            }
        }
        let isKubernetes = parsed.contains { node, _ in node["kind"] != nil && node["apiVersion"] != nil }
        if !isKubernetes, parsed.count == 1, load.errors.isEmpty, case .mapping(let m) = parsed[0].0,
            m.keys.contains(where: { architectureKeys.contains($0.string ?? "") })
        {
            do {
                load.units = try architecture(text, file: file)
            } catch {
                load.errors.append(error)
            }
            return load
        }
        if !isKubernetes {
            if load.errors.isEmpty {
                load.notices.append(
                    LintNotice(
                        file: file, line: 0,
                        message:
                            "not a Kafka configuration (YAML with neither Kubernetes resources nor architecture topics); skipped"
                    ))
            }
            return load
        }
        for (node, line) in parsed {
            StrimziResources.read(node, line: node.mark?.line ?? line, file: file, into: &load)
        }
        return load
    }

    /// Whether YAML text holds Strimzi resources (rather than an architecture file).
    public static func isStrimzi(_ text: String) -> Bool {
        text.contains("kafka.strimzi.io/")
    }

    /// Strimzi resources, several documents per file; throws the first broken document.
    public static func strimzi(_ text: String, file: String) throws(ArchitectureFileError) -> [ConfigUnit] {
        let load = yaml(text, file: file)
        if let e = load.errors.first { throw e }
        return load.units
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
