// Configuration review inputs that are YAML: Strimzi resources and the architecture file.

import ArchitectCore
import Yams

/// What one input file gave: configurations, documents skipped with a notice, broken documents.
public struct ConfigLoad: Sendable {
    public var units: [ConfigUnit] = []
    public var notices: [LintNotice] = []
    public var errors: [ArchitectureFileError] = []
    /// Kafka Streams application ids an architecture file declares (its design keeps state for them).
    public var statefulApplications: [String] = []

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
                if let node = try Yams.compose(yaml: String(repeating: "\n", count: d.line - 1) + d.text, .basic) {
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
        let isKubernetes = parsed.contains { node, _ in node.field("kind") != nil && node.field("apiVersion") != nil }
        if !isKubernetes, parsed.count == 1, load.errors.isEmpty, case .mapping(let m) = parsed[0].0,
            m.keys.contains(where: { architectureKeys.contains($0.string ?? "") })
        {
            do {
                load.units = try architecture(text, file: file)
                load.statefulApplications = try streamsApplications(text, file: file)
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
    /// An architecture file's topics as topic configurations: its `topics:` (policy RF and min ISR,
    /// retention, partitions) and, with a design, every derived topic (its partitions, factor and
    /// configs; entities with total ordering and dead-letter topics marked as such; the naming
    /// convention when the file states one).
    public static func architecture(_ text: String, file: String) throws(ArchitectureFileError) -> [ConfigUnit] {
        let (a, lines) = try ArchitectureFile.parseWithLines(text, file: file)
        let isrLine = lines["policy.minInsyncReplicas"] ?? lines["policy"] ?? 1
        var units = a.workloads.enumerated().map { i, t in
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
            if t.partitions != nil {
                settings["strimzi.partitions"] = ConfigSetting(
                    key: "\(path).partitions", value: String(t.partitions ?? 0),
                    line: lines["\(path).partitions"] ?? anchor)
            }
            settings["replication.factor"] = ConfigSetting(
                key: "policy.replicationFactor", value: String(a.policy.replicationFactor),
                line: lines["policy.replicationFactor"] ?? isrLine)
            var unit = ConfigUnit(
                file: file, name: t.name, kind: .topic, settings: settings, anchorLine: anchor,
                replicationFactor: a.policy.replicationFactor, partitions: t.partitions)
            unit.detectedFrom = "architecture file topics"
            if let brokers = a.environment.brokers { unit.traits.insert("brokers=\(brokers)") }
            return unit
        }
        // A design's topics come with their derived configs (segment.ms, partitions, …): they replace
        // the plain workloads the design also feeds the planner.
        let designed = designTopics(a, text: text, file: file, namingLine: lines["naming"])
        let names = Set(designed.compactMap(\.name))
        units.removeAll { $0.name.map(names.contains) ?? false }
        return units + designed
    }

    /// The application ids of the Kafka Streams services a design declares.
    static func streamsApplications(_ text: String, file: String) throws(ArchitectureFileError) -> [String] {
        let a = try ArchitectureFile.parse(text, file: file)
        guard a.design != nil, let result = try? DesignAdvisor.derive(a) else { return [] }
        return result.clientConfigs.filter { $0.role == .streams }
            .compactMap { c in c.properties.first { $0.key == "application.id" }?.value }
    }

    /// The topics a design derives, as topic configurations located at their entity's name.
    static func designTopics(_ a: Architecture, text: String, file: String, namingLine: Int?) -> [ConfigUnit] {
        guard let design = a.design, let result = try? DesignAdvisor.derive(a) else { return [] }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func line(of entity: String) -> Int {
            let short = entity.split(separator: ".").last.map(String.init) ?? entity
            let i = lines.firstIndex { l in
                let t = l.drop { $0 == " " || $0 == "-" }
                return t == "name: \(short)" || t == "name: \"\(short)\""
            }
            return i.map { $0 + 1 } ?? 1
        }
        let total = Set(design.entities.filter { $0.ordering == .total }.map { "\($0.domain).\($0.name)" })
        let naming = namingLine.map { _ in namingRegex(design.naming) }
        return result.topics.map { t in
            let at = line(of: t.entity)
            var settings = [String: ConfigSetting]()
            for c in t.configs { settings[c.key] = ConfigSetting(key: c.key, value: c.value, line: at) }
            settings["replication.factor"] = ConfigSetting(
                key: "replicationFactor", value: String(t.replicationFactor), line: at)
            settings["strimzi.partitions"] = ConfigSetting(key: "partitions", value: String(t.partitions), line: at)
            var unit = ConfigUnit(
                file: file, name: t.name, kind: .topic, settings: settings, anchorLine: at,
                replicationFactor: t.replicationFactor, partitions: t.partitions)
            unit.detectedFrom = "architecture file design"
            unit.traits.insert(t.purpose.rawValue)
            if total.contains(t.entity) { unit.traits.insert("global-ordering") }
            if let naming, t.purpose == .main { unit.traits.insert("naming=\(naming)") }
            if let brokers = a.environment.brokers { unit.traits.insert("brokers=\(brokers)") }
            return unit
        }
    }

    /// A naming template (`<domain>.<entity>.<kind>`) as a whole-name regular expression; a tenant
    /// prefix may lead.
    static func namingRegex(_ template: String) -> String {
        var out = ""
        var inPlaceholder = false
        for ch in template {
            if ch == "<" {
                inPlaceholder = true
                out += "[A-Za-z0-9_-]+"
            } else if ch == ">" {
                inPlaceholder = false
            } else if !inPlaceholder {
                out += "\\^$.|?*+()[]{}".contains(ch) ? "\\\(ch)" : String(ch)
            }
        }
        return "([A-Za-z0-9_-]+[._-])?" + out
    }
}
