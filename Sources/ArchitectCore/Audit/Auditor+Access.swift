// Access checks over ACL bindings, and the lint rules over each broker's and topic's live configuration.

extension ClusterSnapshot.Acl {
    /// `Allow User:alice Write Topic:orders (Literal) from *`.
    public var description: String {
        "\(permission) \(principal) \(operation) \(resourceType):\(resourceName) (\(patternType)) from \(host)"
    }

    var isAllow: Bool { permission == "Allow" }
    var changes: Bool { ["Write", "All", "Create", "Delete", "Alter", "AlterConfigs"].contains(operation) }

    /// Whether this binding's resource pattern can match a resource that `other`'s can.
    func overlaps(_ other: Self) -> Bool {
        guard resourceType == other.resourceType else { return false }
        if resourceName == "*" || other.resourceName == "*" { return true }
        let mine = patternType == "Prefixed"
        let theirs = other.patternType == "Prefixed"
        switch (mine, theirs) {
        case (false, false): return resourceName == other.resourceName
        case (true, false): return other.resourceName.hasPrefix(resourceName)
        case (false, true): return resourceName.hasPrefix(other.resourceName)
        case (true, true):
            return resourceName.hasPrefix(other.resourceName) || other.resourceName.hasPrefix(resourceName)
        }
    }
}

extension AuditState {
    mutating func access() {
        let allowEveryone = snapshot.brokerConfigs.filter {
            $0.value["allow.everyone.if.no.acl.found"]?.value == "true"
        }
        .keys.compactMap { Int32($0) }.sorted()
        if !allowEveryone.isEmpty {
            add(
                AuditRules.allowEveryone,
                "allow.everyone.if.no.acl.found=true: every resource without an ACL is open to every principal",
                AuditLocation(brokers: allowEveryone))
        }
        let allows = snapshot.acls.filter(\.isAllow)
        for a in snapshot.acls {
            let location = AuditLocation(acl: a.description)
            if a.isAllow {
                if a.resourceName == "*" && a.operation == "All" && a.principal == "User:*" {
                    add(
                        AuditRules.allowAll,
                        "every principal may do everything on every \(a.resourceType.lowercased())", location)
                } else if a.principal == "User:*" && a.changes {
                    add(
                        AuditRules.wildcardPrincipalWrite,
                        "any authenticated principal may \(a.operation) \(a.resourceType.lowercased()) \(a.resourceName)",
                        location)
                } else if a.operation == "All" {
                    add(
                        AuditRules.principalAll,
                        "\(a.principal) may do everything on \(a.resourceType.lowercased()) \(a.resourceName)",
                        location,
                        severity: a.resourceName == "*" || a.resourceType == "Cluster" ? .error : nil)
                }
                if a.host == "*" && a.principal != "User:*" && (a.operation == "Write" || a.operation == "All")
                    && a.resourceName == "*"
                {
                    add(
                        AuditRules.wildcardHostWrite,
                        "\(a.principal) may write every \(a.resourceType.lowercased()) from any host", location)
                }
            } else if a.permission == "Deny" && allowEveryone.isEmpty {
                let matched = allows.contains { g in
                    (g.principal == a.principal || g.principal == "User:*" || a.principal == "User:*")
                        && (g.operation == a.operation || g.operation == "All" || a.operation == "All") && g.overlaps(a)
                }
                if !matched {
                    add(
                        AuditRules.deadDeny,
                        "no ACL allows \(a.principal) \(a.operation) on \(a.resourceType.lowercased()) \(a.resourceName), so this DENY never changes a decision",
                        location)
                }
            }
        }
    }

    /// Settings a value came from on purpose (not Kafka's default), as lint's input.
    static func settings(_ configs: [String: ClusterSnapshot.ConfigEntry], only: (ConfigValueSource) -> Bool)
        -> [String: ConfigSetting]
    {
        var out: [String: ConfigSetting] = [:]
        for (k, e) in configs where only(e.source) {
            guard let v = e.value else { continue }
            out[k] = ConfigSetting(key: k, value: v, line: 0)
        }
        return out
    }

    // Long because: broker units, topic units, the lint run and merging one finding seen on many brokers.
    mutating func configuration() {
        var units: [ConfigUnit] = []
        for (id, configs) in snapshot.brokerConfigs.sorted(by: { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) })
        where !configs.isEmpty {
            var u = ConfigUnit(
                file: "broker \(id)", name: id, kind: .broker, settings: Self.settings(configs) { $0.isExplicit })
            u.detectedFrom = "DescribeConfigs"
            units.append(u)
        }
        var unknownTopics = 0
        for t in snapshot.topics where !t.internal {
            guard !t.configs.isEmpty else {
                unknownTopics += 1
                continue
            }
            var u = ConfigUnit(
                file: "topic \(t.name)", name: t.name, kind: .topic,
                settings: Self.settings(t.configs) { $0 == .topic || $0 == .unknown },
                replicationFactor: t.partitions.map(\.replicas.count).max(), partitions: t.partitions.count)
            for (k, e) in t.configs where e.source != .topic && e.source != .default {
                if let v = e.value { u.inherited[k] = v }
            }
            u.detectedFrom = "DescribeConfigs"
            units.append(u)
        }
        if unknownTopics > 0 {
            notes.append(
                "configuration unknown for \(unknownTopics) topics (the cluster returned none): their lint rules were not run"
            )
        }
        if snapshot.brokerConfigs.values.allSatisfy(\.isEmpty) {
            notes.append("broker configuration unknown (the cluster returned none): broker lint rules were not run")
        }
        guard !units.isEmpty else { return }
        var linter = Linter()
        linter.version = policy.version
        linter.brokers = brokerIds.count
        linter.zones = Set(snapshot.brokers.compactMap(\.rack)).count
        var merged: [String: (finding: LintFinding, brokers: [Int32])] = [:]
        var order: [String] = []
        for f in linter.lint(units) {
            if f.kind == .broker, let id = f.name.flatMap({ Int32($0) }) {
                let key = "\(f.ruleId)|\(f.message)"
                if merged[key] == nil {
                    order.append(key)
                    merged[key] = (f, [])
                }
                merged[key]?.brokers.append(id)
            } else {
                let keys = f.configs.isEmpty ? "" : " [\(f.configs.joined(separator: ", "))]"
                findings.append(
                    AuditFinding(
                        ruleId: f.ruleId, area: .configuration, severity: f.severity, message: f.message + keys,
                        fix: f.fix, location: AuditLocation(topic: f.name)))
            }
        }
        for key in order {
            guard let (f, ids) = merged[key] else { continue }
            let keys = f.configs.isEmpty ? "" : " [\(f.configs.joined(separator: ", "))]"
            let location = ids.count == 1 ? AuditLocation(broker: ids[0]) : AuditLocation(brokers: ids.sorted())
            findings.append(
                AuditFinding(
                    ruleId: f.ruleId, area: .configuration, severity: f.severity, message: f.message + keys, fix: f.fix,
                    location: location))
        }
    }
}
