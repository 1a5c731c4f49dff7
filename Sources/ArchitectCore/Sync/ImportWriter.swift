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
        var notes: [String] = []
        var topics: [ClusterSnapshot.Topic] = []
        for t in s.topics.sorted(by: { $0.name < $1.name }) {
            if let why = SyncScope.topicExcluded(t) {
                if !t.internal && !t.name.hasPrefix("__") { notes.append("\(t.name): left out, \(why)") }
            } else {
                topics.append(t)
            }
        }
        let noConfigs = s.unsupported.first { $0.api == "DescribeConfigs" || $0.api == "DescribeConfigs (topics)" }
        let noAcls = s.unsupported.first { $0.api == "DescribeAcls" }
        let noQuotas = s.unsupported.first { $0.api == "DescribeClientQuotas" }
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
                let rf = t.partitions.map(\.targetReplicationFactor).min() ?? 0
                y += "  - name: \(Self.quote(t.name))\n    partitions: \(t.partitions.count)\n"
                y += "    replicationFactor: \(rf)\n"
                if let shape = Self.shapeNote(t) {
                    y += "    # \(shape)\n"
                    notes.append("\(t.name): \(shape)")
                }
                let set = t.configs.filter { $0.value.source == .topic }.sorted { $0.key < $1.key }
                var shown: [(String, String)] = []
                var left: [String] = []
                for (k, v) in set {
                    if let why = SyncScope.configExcluded(k, v) {
                        left.append(why)
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
        let acls = aclSection(s.acls, unread: noAcls, notes: &notes)
        let quotas = quotaSection(s.quotas, unread: noQuotas, notes: &notes)
        y += acls.yaml + quotas.yaml
        return Result(yaml: y, topics: topics.count, acls: acls.count, quotas: quotas.count, notes: notes)
    }

    /// What the file's one replication factor cannot say: partitions that differ, or a move in progress.
    static func shapeNote(_ t: ClusterSnapshot.Topic) -> String? {
        let moving = t.partitions.filter(\.reassigning).map { String($0.partition) }
        if !moving.isEmpty {
            return
                "a reassignment is in progress on partitions \(moving.joined(separator: ",")): the replication factor is the one it moves to"
        }
        let text = SyncPlanner.rfText(t)
        return text.contains("–") ? "partitions differ, \(text): diff reports it until a reassignment evens them" : nil
    }

    func aclSection(_ acls: [ClusterSnapshot.Acl], unread: ClusterSnapshot.Unsupported?, notes: inout [String])
        -> (yaml: String, count: Int)
    {
        if let u = unread {
            notes.append("ACLs not read: \(u.api) — \(u.reason)")
            return ("\n# ACLs: not read (\(u.api): \(u.reason)).\n", 0)
        }
        guard !acls.isEmpty else { return ("", 0) }
        var y = ""
        var comments = ""
        var count = 0
        for a in acls.sorted(by: { SyncPlanner.aclName($0) < SyncPlanner.aclName($1) }) {
            if let why = SyncScope.aclExcluded(a) {
                comments += "# left out: \(why)\n"
                notes.append("ACL left out: \(why)")
                continue
            }
            count += 1
            y += "  - principal: \(Self.quote(a.principal))\n    operation: \(a.operation)\n"
            switch a.resourceType {
            case "Cluster": y += "    cluster: true\n"
            default: y += "    resourceType: \(a.resourceType)\n    name: \(Self.quote(a.resourceName))\n"
            }
            y += "    patternType: \(a.patternType.lowercased())\n    permission: \(a.permission.lowercased())\n"
            y += "    host: \(Self.quote(a.host))\n"
        }
        return (
            "\n# ACLs from DescribeAcls, one binding per entry.\n" + comments + (y.isEmpty ? "" : "acls:\n" + y), count
        )
    }

    func quotaSection(_ quotas: [ClusterSnapshot.Quota], unread: ClusterSnapshot.Unsupported?, notes: inout [String])
        -> (yaml: String, count: Int)
    {
        if let u = unread {
            notes.append("quotas not read: \(u.api) — \(u.reason)")
            return ("\n# Quotas: not read (\(u.api): \(u.reason)).\n", 0)
        }
        guard !quotas.isEmpty else { return ("", 0) }
        var entries = ""
        var comments = ""
        var count = 0
        for q in quotas.sorted(by: { SyncPlanner.quotaName($0.entity) < SyncPlanner.quotaName($1.entity) }) {
            let name = SyncPlanner.quotaName(q.entity)
            var named: [String] = []
            var left: [String] = []
            for (k, v) in q.values.sorted(by: { $0.key < $1.key }) {
                if let file = SyncScope.quotaFileName(k) {
                    named.append("\(file): \(SyncPlanner.number(v))")
                } else {
                    left.append("\(k) = \(SyncPlanner.number(v)) is a quota this file format does not name; left out")
                }
            }
            for l in left { notes.append("quota \(name): \(l)") }
            guard !named.isEmpty else {
                comments += left.map { "# quota \(name): \($0)\n" }.joined()
                continue
            }
            count += 1
            var lines: [String] = []
            if let u = q.entity.user { lines.append("user: \(Self.quote(u))") }
            if let c = q.entity.clientId { lines.append("clientId: \(Self.quote(c))") }
            if let ip = q.entity.ip { lines.append("ip: \(Self.quote(ip))") }
            lines += named
            entries += lines.enumerated().map { ($0.offset == 0 ? "  - " : "    ") + $0.element + "\n" }.joined()
            entries += left.map { "    # \($0)\n" }.joined()
        }
        let head = "\n# Client quotas from DescribeClientQuotas; byte rates in bytes per second.\n" + comments
        return (head + (entries.isEmpty ? "" : "quotas:\n" + entries), count)
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
