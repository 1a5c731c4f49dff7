// Access checks over ACL bindings, and the lint rules over each broker's and topic's live configuration.

extension ClusterSnapshot.Acl {
    /// `Allow User:alice Write Topic:orders (Literal) from *`.
    public var description: String {
        "\(permission) \(principal) \(operation) \(resourceType):\(resourceName) (\(patternType)) from \(host)"
    }

    var isAllow: Bool { permission == "Allow" }
    var changes: Bool {
        ["Write", "All", "Create", "Delete", "Alter", "AlterConfigs", "ClusterAction"].contains(operation)
    }

    /// Only a Literal `*` is Kafka's wildcard; a Prefixed `*` matches names beginning with the character `*`.
    var isWildcard: Bool { resourceName == "*" && patternType == "Literal" }

    /// Everyone: any authenticated principal, and on a PLAINTEXT listener the anonymous one too.
    var isEveryone: Bool { principal == "User:*" || principal == "User:ANONYMOUS" }

    /// The operations an ALLOW grants: Read, Write, Delete and Alter imply Describe; AlterConfigs implies
    /// DescribeConfigs (Kafka's authorizer).
    var grants: Set<String> {
        switch operation {
        case "Read", "Write", "Delete", "Alter": [operation, "Describe"]
        case "AlterConfigs": [operation, "DescribeConfigs"]
        default: [operation]
        }
    }

    /// Whether this binding's resource pattern can match a resource that `other`'s can.
    func overlaps(_ other: Self) -> Bool {
        guard resourceType == other.resourceType else { return false }
        if isWildcard || other.isWildcard { return true }
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
    // Long because: the allow.everyone checks, then one pass over the bindings with each ALLOW and DENY rule.
    mutating func access() {
        let allowEveryone = snapshot.brokerConfigs.filter {
            $0.value["allow.everyone.if.no.acl.found"]?.value == "true"
        }
        .keys.compactMap { Int32($0) }.sorted()
        let hidden = snapshot.brokerConfigs.filter {
            $0.value["allow.everyone.if.no.acl.found"].map { $0.value == nil && $0.sensitive } ?? false
        }.keys.compactMap { Int32($0) }.sorted()
        if !hidden.isEmpty {
            // Kafka returns authorizer properties it has no definition for as sensitive: the value is hidden.
            notes.append(
                "allow.everyone.if.no.acl.found cannot be read on brokers \(hidden.map(String.init).joined(separator: ", ")) (Kafka reports authorizer properties as sensitive): check server.properties; KA-ACC-004 was not checked there"
            )
        }
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
                let everyone = a.principal == "User:ANONYMOUS" ? "unauthenticated clients" : "every principal"
                let plaintext = a.principal == "User:*" ? " (on a PLAINTEXT listener, unauthenticated clients too)" : ""
                if a.isWildcard && a.operation == "All" && a.isEveryone {
                    add(
                        AuditRules.allowAll,
                        "\(everyone) may do everything on every \(a.resourceType.lowercased())\(plaintext)", location)
                } else if a.isEveryone && a.changes {
                    add(
                        AuditRules.wildcardPrincipalWrite,
                        "\(everyone) may \(a.operation) \(a.resourceType.lowercased()) \(a.resourceName)\(plaintext)",
                        location)
                } else if a.isEveryone && a.isWildcard && (a.operation == "Read" || a.operation == "Describe") {
                    add(
                        AuditRules.everyoneReads,
                        "\(everyone) may \(a.operation) every \(a.resourceType.lowercased())\(plaintext)", location)
                } else if a.operation == "All" && !a.isEveryone {
                    add(
                        AuditRules.principalAll,
                        "\(a.principal) may do every operation on \(a.resourceType.lowercased()) \(a.resourceName)",
                        location,
                        severity: a.isWildcard || a.resourceType == "Cluster" ? .error : nil)
                }
                if a.host == "*" && !a.isEveryone && (a.operation == "Write" || a.operation == "All") && a.isWildcard {
                    add(
                        AuditRules.wildcardHostWrite,
                        "\(a.principal) may write every \(a.resourceType.lowercased()) from any host", location)
                }
            } else if a.permission == "Deny" && allowEveryone.isEmpty {
                let matched = allows.contains { g in
                    (g.principal == a.principal || g.principal == "User:*" || a.principal == "User:*")
                        && (g.grants.contains(a.operation) || g.operation == "All" || a.operation == "All")
                        && g.overlaps(a)
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
                replicationFactor: t.partitions.map(\.replicationFactor).max(), partitions: t.partitions.count)
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
        let topicConfigs = Dictionary(snapshot.topics.map { ($0.name, $0.configs) }) { a, _ in a }
        for f in linter.lint(units) {
            if f.kind == .broker, let id = f.name.flatMap({ Int32($0) }) {
                let key = "\(f.ruleId)|\(f.message)"
                if merged[key] == nil {
                    order.append(key)
                    merged[key] = (f, [])
                }
                merged[key]?.brokers.append(id)
            } else {
                // A topic finding whose keys the topic only inherits from the brokers is the brokers' finding
                // (reported once there), not one per topic with "remove the override".
                let configs = f.name.flatMap { topicConfigs[$0] } ?? [:]
                let inheritedOnly =
                    !f.configs.isEmpty
                    && f.configs.allSatisfy { k in configs[k].map { $0.source != .topic } ?? false }
                if inheritedOnly { continue }
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
