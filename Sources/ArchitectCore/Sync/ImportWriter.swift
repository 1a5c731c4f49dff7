// `import`: a cluster snapshot written as an architecture file that `diff` reports in sync — its topics
// (partitions, replication factor, the configs set on the topic), ACLs and quotas, each section with a comment
// saying where its values came from. Kafka's internal topics are left out. Pure: the same snapshot gives the
// same bytes.

public struct ImportWriter: Sendable {
    public init() {}

    public struct Result: Sendable, Equatable {
        public var yaml: String
        public var topics: Int
        public var acls: Int
        public var quotas: Int
        /// What the file could not include, and why (a read the cluster did not serve).
        public var notes: [String]
    }

    // Long because: one section after another, each with the comment saying where it came from.
    public func write(_ s: ClusterSnapshot) -> Result {
        let topics = s.topics.filter { !$0.internal && !$0.name.hasPrefix("__") }.sorted { $0.name < $1.name }
        let noConfigs = s.unsupported.first { $0.api == "DescribeConfigs" || $0.api == "DescribeConfigs (topics)" }
        let noAcls = s.unsupported.first { $0.api == "DescribeAcls" }
        let noQuotas = s.unsupported.first { $0.api == "DescribeClientQuotas" }
        var notes: [String] = []
        var y = """
            # Imported by `kafka-architect import` from cluster \(s.clusterId ?? "(no id)") at \(s.takenAt).
            # `kafka-architect diff` reports this file in sync with that cluster; edit it and `apply` the change.
            # Format: docs/sync.md.
            version: 1
            name: \(Self.quote(s.clusterId ?? "imported"))

            """
        if !topics.isEmpty {
            y += """

                # Topics: partitions and replication factor from Metadata; configs are the ones set on the topic
                # (DescribeConfigs source "topic"), Kafka's and the brokers' defaults left out. keyed: true is assumed,
                # so a partition increase is flagged as moving keys; set keyed: false for topics without keys.

                """
            if let u = noConfigs {
                y += "# The cluster reported no topic configs (\(u.api): \(u.reason)): add any the topics set.\n"
                notes.append("topic configs not read: \(u.api) — \(u.reason)")
            }
            y += "topics:\n"
            for t in topics {
                let rf = t.partitions.map(\.replicas.count).min() ?? 0
                y += "  - name: \(Self.quote(t.name))\n    partitions: \(t.partitions.count)\n"
                y += "    replicationFactor: \(rf)\n"
                let set = t.configs.filter { $0.value.source == .topic }.sorted { $0.key < $1.key }
                var shown: [(String, String)] = []
                var left: [String] = []
                for (k, v) in set {
                    if v.sensitive || v.value == nil {
                        left.append("\(k) is set on the topic but sensitive: its value is not shown; add it by hand")
                    } else if !KafkaNames.topicConfigs.contains(k) && !k.hasPrefix("confluent.") {
                        left.append("\(k) = \(v.value ?? "") is not a topic config this build knows: left out")
                    } else if let problem = KafkaNames.topicConfigProblem(k, v.value ?? "") {
                        left.append("\(k) = \(v.value ?? "") left out: \(problem)")
                    } else {
                        shown.append((k, v.value ?? ""))
                    }
                }
                if !shown.isEmpty {
                    y += "    configs:\n"
                    for (k, v) in shown { y += "      \(k): \(Self.quote(v))\n" }
                }
                for l in left {
                    y += "    # \(l)\n"
                    notes.append("\(t.name): \(l)")
                }
            }
        }
        y += aclSection(s.acls, unread: noAcls, notes: &notes)
        y += quotaSection(s.quotas, unread: noQuotas, notes: &notes)
        return Result(yaml: y, topics: topics.count, acls: s.acls.count, quotas: s.quotas.count, notes: notes)
    }

    func aclSection(_ acls: [ClusterSnapshot.Acl], unread: ClusterSnapshot.Unsupported?, notes: inout [String])
        -> String
    {
        if let u = unread {
            notes.append("ACLs not read: \(u.api) — \(u.reason)")
            return "\n# ACLs: not read (\(u.api): \(u.reason)).\n"
        }
        guard !acls.isEmpty else { return "" }
        var y = ""
        var comments = ""
        for a in acls.sorted(by: { SyncPlanner.aclName($0) < SyncPlanner.aclName($1) }) {
            if let ok = KafkaNames.aclSupported[a.resourceType], a.operation != "All", !ok.contains(a.operation) {
                let why =
                    "\(SyncPlanner.aclName(a)): \(a.operation) does not apply to a \(a.resourceType), it grants nothing"
                comments += "# left out: \(why)\n"
                notes.append("ACL left out: \(why)")
                continue
            }
            if KafkaNames.aclSupported[a.resourceType] == nil
                || !KafkaNames.aclOperations.contains(a.operation) || !["Literal", "Prefixed"].contains(a.patternType)
            {
                let why = "\(SyncPlanner.aclName(a)): not a binding this file format can state"
                comments += "# left out: \(why)\n"
                notes.append("ACL left out: \(why)")
                continue
            }
            y += "  - principal: \(Self.quote(a.principal))\n    operation: \(a.operation)\n"
            switch a.resourceType {
            case "Cluster": y += "    cluster: true\n"
            default: y += "    resourceType: \(a.resourceType)\n    name: \(Self.quote(a.resourceName))\n"
            }
            y += "    patternType: \(a.patternType.lowercased())\n    permission: \(a.permission.lowercased())\n"
            y += "    host: \(Self.quote(a.host))\n"
        }
        return "\n# ACLs from DescribeAcls, one binding per entry.\n" + comments + (y.isEmpty ? "" : "acls:\n" + y)
    }

    func quotaSection(_ quotas: [ClusterSnapshot.Quota], unread: ClusterSnapshot.Unsupported?, notes: inout [String])
        -> String
    {
        if let u = unread {
            notes.append("quotas not read: \(u.api) — \(u.reason)")
            return "\n# Quotas: not read (\(u.api): \(u.reason)).\n"
        }
        guard !quotas.isEmpty else { return "" }
        var y = "\n# Client quotas from DescribeClientQuotas; byte rates in bytes per second.\nquotas:\n"
        let byKafka = Dictionary(KafkaNames.quotaKeys.map { ($0.kafka, $0.file) }, uniquingKeysWith: { a, _ in a })
        for q in quotas.sorted(by: { SyncPlanner.quotaName($0.entity) < SyncPlanner.quotaName($1.entity) }) {
            var first = true
            func line(_ text: String) {
                y += (first ? "  - " : "    ") + text + "\n"
                first = false
            }
            if let u = q.entity.user { line("user: \(Self.quote(u))") }
            if let c = q.entity.clientId { line("clientId: \(Self.quote(c))") }
            if let ip = q.entity.ip { line("ip: \(Self.quote(ip))") }
            for (k, v) in q.values.sorted(by: { $0.key < $1.key }) {
                guard let name = byKafka[k] else {
                    line("# \(k) = \(SyncPlanner.number(v)) is a quota this file format does not name; left out")
                    continue
                }
                line("\(name): \(SyncPlanner.number(v))")
            }
        }
        return y
    }

    /// A YAML double-quoted scalar: every value reads back as the same string, whatever it holds.
    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 {
                    let hex = String(c.value, radix: 16)
                    out += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }
}
