// Runs every audit check over a snapshot: health of partitions and brokers, access rules, and the lint
// rules on live configuration. One pass over partitions feeds every per-broker count.

public struct Auditor: Sendable {
    public var policy: AuditPolicy

    public init(policy: AuditPolicy = AuditPolicy()) { self.policy = policy }

    public func audit(_ s: ClusterSnapshot) -> AuditReport {
        var state = AuditState(snapshot: s, policy: policy)
        state.partitionHealth()
        state.brokerBalance()
        state.placement()
        state.topicPolicy()
        state.storage()
        state.groupsAndTransactions()
        state.access()
        state.configuration()
        let findings = state.findings.sorted { a, b in
            if a.severity != b.severity { return a.severity > b.severity }
            if a.ruleId != b.ruleId { return a.ruleId < b.ruleId }
            return a.location.description < b.location.description
        }
        return AuditReport(
            summary: state.summary(), findings: findings, unsupported: s.unsupported, complete: s.complete,
            missing: s.missing, notes: state.notes)
    }
}

/// Partitions named in a finding: all when few, else the first ten and a count.
func partitionList(_ ps: [Int32]) -> String {
    let sorted = ps.sorted()
    let shown = sorted.prefix(10).map(String.init).joined(separator: ", ")
    return sorted.count > 10 ? "\(shown), … (\(sorted.count) in all)" : shown
}

struct AuditState {
    let snapshot: ClusterSnapshot
    let policy: AuditPolicy
    var findings: [AuditFinding] = []
    var notes: [String] = []
    let brokerIds: [Int32]
    var leaders: [Int32: Int] = [:]
    var replicas: [Int32: Int] = [:]
    var preferred: [Int32: Int] = [:]
    var preferredNotLeading: [Int32: Int] = [:]
    var counts = (underReplicated: 0, underMinIsr: 0, atMinIsr: 0, offline: 0)
    /// Broker-level defaults that topics inherit: the first broker's explicit values.
    let brokerDefaults: [String: String]

    init(snapshot: ClusterSnapshot, policy: AuditPolicy) {
        self.snapshot = snapshot
        self.policy = policy
        brokerIds = snapshot.brokers.map(\.id).sorted()
        var defaults: [String: String] = [:]
        let ids = snapshot.brokerConfigs.keys.sorted { (Int($0) ?? Int.max, $0) < (Int($1) ?? Int.max, $1) }
        if let first = ids.first(where: { !(snapshot.brokerConfigs[$0]?.isEmpty ?? true) }),
            let configs = snapshot.brokerConfigs[first]
        {
            for (k, e) in configs { if let v = e.value { defaults[k] = v } }
        }
        brokerDefaults = defaults
    }

    mutating func add(_ rule: AuditRule, _ message: String, _ location: AuditLocation, severity: LintSeverity? = nil) {
        findings.append(AuditFinding(rule, message, location, severity: severity))
    }

    /// The topic's effective min.insync.replicas, or nil when no configuration was read.
    func minIsr(_ t: ClusterSnapshot.Topic) -> Int? {
        if let v = t.configs["min.insync.replicas"]?.value { return Int(v) }
        if let v = brokerDefaults["min.insync.replicas"] { return Int(v) }
        return t.configs.isEmpty && snapshot.brokerConfigs.values.allSatisfy(\.isEmpty) ? nil : 1
    }

    func summary() -> AuditSummary {
        AuditSummary(
            clusterId: snapshot.clusterId, takenAt: snapshot.takenAt, brokers: snapshot.brokers.count,
            racks: Set(snapshot.brokers.compactMap(\.rack)).count, topics: snapshot.topics.count,
            partitions: snapshot.topics.reduce(0) { $0 + $1.partitions.count },
            replicas: replicas.values.reduce(0, +), groups: snapshot.groups.count, acls: snapshot.acls.count,
            underReplicated: counts.underReplicated, underMinIsr: counts.underMinIsr, atMinIsr: counts.atMinIsr,
            offline: counts.offline,
            leadersByBroker: brokerIds.map { ($0, leaders[$0] ?? 0, replicas[$0] ?? 0) })
    }

    // MARK: Partitions

    // Long because: one pass over every partition counts per broker and files the four per-topic health findings.
    mutating func partitionHealth() {
        var minIsrUnknown = 0
        for t in snapshot.topics {
            var leaderless: [Int32] = []
            var under: [Int32] = []
            var belowMin: [Int32] = []
            var atMin: [Int32] = []
            var offline: [Int32] = []
            var unmeetable: [Int32] = []
            var outOfSync: Set<Int32> = []
            let min = minIsr(t)
            if min == nil { minIsrUnknown += 1 }
            for p in t.partitions {
                if p.leader >= 0 { leaders[p.leader, default: 0] += 1 } else { leaderless.append(p.partition) }
                for r in p.replicas { replicas[r, default: 0] += 1 }
                // A preferred election can only move leadership to an in-sync preferred replica.
                if let first = p.replicas.first, p.leader >= 0, p.isr.contains(first) {
                    preferred[first, default: 0] += 1
                    if p.leader != first { preferredNotLeading[first, default: 0] += 1 }
                }
                // Kafka's own rule: during a move the replicas joining are still catching up, and a partition is
                // under-replicated only when its ISR is smaller than the replica set it is moving to.
                if p.isr.count < p.targetReplicationFactor {
                    under.append(p.partition)
                    for r in p.replicas where !p.isr.contains(r) && !p.addingReplicas.contains(r) {
                        outOfSync.insert(r)
                    }
                }
                if !p.offlineReplicas.isEmpty { offline.append(p.partition) }
                if let min, p.leader >= 0 {
                    if p.replicationFactor < min {
                        unmeetable.append(p.partition)
                    } else if p.isr.count < min {
                        belowMin.append(p.partition)
                    } else if p.isr.count == min && p.replicas.count > min {
                        atMin.append(p.partition)
                    }
                }
            }
            counts.offline += leaderless.count
            counts.underReplicated += under.count
            counts.underMinIsr += belowMin.count + unmeetable.count
            counts.atMinIsr += atMin.count
            let n = t.partitions.count
            func loc(_ ps: [Int32]) -> AuditLocation {
                AuditLocation(topic: t.name, partition: ps.count == 1 ? ps[0] : nil)
            }
            if !leaderless.isEmpty {
                add(
                    AuditRules.leaderless,
                    "\(leaderless.count) of \(n) partitions have no leader: \(partitionList(leaderless)); nothing can be read or written there",
                    loc(leaderless))
            }
            if !under.isEmpty {
                let brokers = outOfSync.sorted().map(String.init).joined(separator: ", ")
                add(
                    AuditRules.underReplicated,
                    "\(under.count) of \(n) partitions are under-replicated: \(partitionList(under)) (out of sync: broker \(brokers))",
                    loc(under))
            }
            if let min, !belowMin.isEmpty {
                add(
                    AuditRules.underMinIsr,
                    "\(belowMin.count) of \(n) partitions have fewer in-sync replicas than min.insync.replicas=\(min): \(partitionList(belowMin)); acks=all producers fail with NOT_ENOUGH_REPLICAS",
                    loc(belowMin))
            }
            if let min, !unmeetable.isEmpty {
                add(
                    AuditRules.underMinIsr,
                    "\(unmeetable.count) of \(n) partitions have fewer replicas than min.insync.replicas=\(min): \(partitionList(unmeetable)); acks=all writes can never succeed there. Nothing is missing: raise the replication factor to \(min) or more, or lower min.insync.replicas",
                    loc(unmeetable))
            }
            if let min, !atMin.isEmpty {
                add(
                    AuditRules.atMinIsr,
                    "\(atMin.count) of \(n) partitions are at min.insync.replicas=\(min): \(partitionList(atMin)); one more replica lost stops acks=all writes",
                    loc(atMin))
            }
            if !offline.isEmpty {
                let brokers = Set(t.partitions.flatMap(\.offlineReplicas)).sorted().map(String.init).joined(
                    separator: ", ")
                add(
                    AuditRules.offlineReplicas,
                    "\(offline.count) of \(n) partitions have offline replicas (on broker \(brokers)): \(partitionList(offline))",
                    loc(offline))
            }
        }
        if minIsrUnknown > 0 {
            notes.append(
                "min.insync.replicas unknown for \(minIsrUnknown) topics (the cluster returned no configuration): under- and at-min-ISR not checked there"
            )
        }
    }

    // MARK: Brokers

    // Long because: leaders, replicas, idle brokers, preferred leaders and per-broker counts are one comparison each.
    mutating func brokerBalance() {
        let registered = Set(brokerIds)
        let absent = replicas.keys.filter { !registered.contains($0) }.sorted()
        if !absent.isEmpty {
            add(
                AuditRules.absentBrokers,
                "brokers \(absent.map(String.init).joined(separator: ", ")) hold \(absent.reduce(0) { $0 + (replicas[$1] ?? 0) }) replicas but are not in the cluster's metadata (down, fenced or removed)",
                AuditLocation(brokers: absent))
        }
        guard brokerIds.count > 1 else { return }
        let n = Double(brokerIds.count)
        let totalReplicas = brokerIds.reduce(0) { $0 + (replicas[$1] ?? 0) }
        let totalLeaders = brokerIds.reduce(0) { $0 + (leaders[$1] ?? 0) }
        let idle = brokerIds.filter { (replicas[$0] ?? 0) == 0 }
        func spread(_ counts: [Int32: Int]) -> String {
            brokerIds.map { "\($0): \(counts[$0] ?? 0)" }.joined(separator: ", ")
        }
        if totalReplicas > 0, !idle.isEmpty {
            add(
                AuditRules.idleBrokers,
                "brokers \(idle.map(String.init).joined(separator: ", ")) hold no partition replicas while the others hold \(totalReplicas) (replicas per broker: \(spread(replicas)))",
                AuditLocation(brokers: idle))
        }
        let meanReplicas = Double(totalReplicas) / n
        let heavy = brokerIds.filter {
            Double(replicas[$0] ?? 0) > policy.skewRatio * meanReplicas && Double(replicas[$0] ?? 0) - meanReplicas >= 2
        }
        if !heavy.isEmpty {
            let idleNote = idle.isEmpty ? "" : "; idle: broker \(idle.map(String.init).joined(separator: ", "))"
            add(
                AuditRules.replicaSkew,
                "replicas are uneven: \(spread(replicas)) (mean \(Self.format(meanReplicas)); brokers above \(policy.skewRatio)× the mean: \(heavy.map(String.init).joined(separator: ", "))\(idleNote))",
                AuditLocation(brokers: (heavy + idle).sorted()))
        }
        let meanLeaders = Double(totalLeaders) / n
        let heavyLeaders = brokerIds.filter {
            Double(leaders[$0] ?? 0) > policy.skewRatio * meanLeaders && Double(leaders[$0] ?? 0) - meanLeaders >= 2
        }
        if !heavyLeaders.isEmpty {
            add(
                AuditRules.leaderSkew,
                "leaders are uneven: \(spread(leaders)) (mean \(Self.format(meanLeaders)); above \(policy.skewRatio)× the mean: \(heavyLeaders.map(String.init).joined(separator: ", ")))",
                AuditLocation(brokers: heavyLeaders))
        }
        let configuredLimit = brokerDefaults["leader.imbalance.per.broker.percentage"].flatMap { Double($0) } != nil
        let imbalanceLimit =
            brokerDefaults["leader.imbalance.per.broker.percentage"].flatMap { Double($0) }
            ?? policy.preferredLeaderImbalancePercent
        for b in brokerIds {
            let pref = preferred[b] ?? 0
            let off = preferredNotLeading[b] ?? 0
            guard pref > 0 else { continue }
            let pct = Double(off) * 100 / Double(pref)
            if pct > imbalanceLimit {
                add(
                    AuditRules.preferredLeader,
                    "broker \(b) is the preferred leader of \(pref) partitions but leads only \(pref - off) (\(Self.format(pct))% imbalance, above Kafka's leader.imbalance.per.broker.percentage \(Self.format(imbalanceLimit))%\(configuredLimit ? "" : ", its default"); a KRaft controller with auto.leader.rebalance.enable moves every such partition back)",
                    AuditLocation(broker: b))
            }
        }
        for b in brokerIds where (replicas[b] ?? 0) > policy.maxReplicasPerBroker {
            add(
                AuditRules.partitionsPerBroker,
                "broker \(b) holds \(replicas[b] ?? 0) partition replicas, above the guidance of \(policy.maxReplicasPerBroker) per broker",
                AuditLocation(broker: b))
        }
    }

    static func format(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    // MARK: Racks

    mutating func placement() {
        let rackOf = Dictionary(snapshot.brokers.map { ($0.id, $0.rack) }) { a, _ in a }
        let racks = Set(snapshot.brokers.compactMap(\.rack))
        let unracked = snapshot.brokers.filter { $0.rack == nil }.map(\.id).sorted()
        if !racks.isEmpty && !unracked.isEmpty {
            add(
                AuditRules.missingRack,
                "brokers \(unracked.map(String.init).joined(separator: ", ")) have no rack while others are in racks \(racks.sorted().joined(separator: ", "))",
                AuditLocation(brokers: unracked))
        }
        guard racks.count > 1 else { return }
        for t in snapshot.topics {
            var shared: [Int32] = []
            var example = ""
            for p in t.partitions where p.replicas.count > 1 {
                var seen: Set<String> = []
                var duplicate: String? = nil
                // Replicas on brokers without a known rack (down, or unset) are left out, not guessed.
                let known = p.replicas.filter { (rackOf[$0] ?? nil) != nil }
                for r in known { if let rack = rackOf[r] ?? nil, !seen.insert(rack).inserted { duplicate = rack } }
                let possible = min(known.count, racks.count)
                if seen.count < possible {
                    shared.append(p.partition)
                    if example.isEmpty {
                        example =
                            "partition \(p.partition) on brokers \(p.replicas.map(String.init).joined(separator: ", ")) has two replicas in rack \(duplicate ?? "?")"
                    }
                }
            }
            if !shared.isEmpty {
                add(
                    AuditRules.rackSharing,
                    "\(shared.count) of \(t.partitions.count) partitions keep replicas in one rack although \(racks.count) racks exist (e.g. \(example)); losing that rack loses them",
                    AuditLocation(topic: t.name, partition: shared.count == 1 ? shared[0] : nil))
            }
        }
    }

    // MARK: Topics

    mutating func topicPolicy() {
        if !brokerIds.isEmpty && brokerIds.count < policy.replicationFactor {
            add(
                AuditRules.tooFewBrokers,
                "\(counted(brokerIds.count, "broker")), fewer than the replication factor of \(policy.replicationFactor) the policy asks for: no topic can have it",
                AuditLocation())
        }
        let internalNames: Set<String> = ["__consumer_offsets", "__transaction_state"]
        for t in snapshot.topics {
            // The smallest replica set is the topic's weakest partition (the largest would hide it).
            let rf = t.partitions.map(\.replicationFactor).min() ?? 0
            let lowRF = t.partitions.filter { $0.replicationFactor == rf }.map(\.partition)
            let which =
                lowRF.count == t.partitions.count ? "" : " (partitions \(partitionList(lowRF)); the others have more)"
            if internalNames.contains(t.name) {
                let min = minIsr(t)
                var problems: [String] = []
                if rf < 3 && brokerIds.count >= 3 { problems.append("replication factor \(rf)") }
                if let min, min < 2 && rf >= 2 { problems.append("min.insync.replicas \(min)") }
                if !problems.isEmpty {
                    add(
                        AuditRules.internalTopics,
                        "\(t.name) has \(problems.joined(separator: " and ")); committed offsets\(t.name == "__transaction_state" ? " and transaction state" : "") can be lost with one broker",
                        AuditLocation(topic: t.name))
                }
                continue
            }
            if t.internal || t.name.hasPrefix("__") { continue }
            let target = min(policy.replicationFactor, max(1, brokerIds.count))
            if rf < target {
                add(
                    AuditRules.replicationBelowPolicy,
                    "replication factor \(rf)\(which), below the policy of \(policy.replicationFactor)\(rf == 1 ? ": one broker's loss loses data" : "")",
                    AuditLocation(topic: t.name), severity: rf == 1 ? .error : nil)
            } else if rf > policy.replicationFactor {
                add(
                    AuditRules.replicationAbovePolicy,
                    "replication factor \(rf), above the policy of \(policy.replicationFactor)",
                    AuditLocation(topic: t.name))
            }
            let n = t.partitions.count
            if n == 1 {
                add(
                    AuditRules.singlePartition, "one partition: one consumer and one leader carry the whole topic",
                    AuditLocation(topic: t.name))
            } else if brokerIds.count > 1 && n % brokerIds.count != 0 {
                add(
                    AuditRules.notMultipleOfBrokers,
                    "\(n) partitions on \(brokerIds.count) brokers: \(n % brokerIds.count) brokers lead one more partition than the others",
                    AuditLocation(topic: t.name))
            }
        }
    }

    // MARK: Storage

    mutating func storage() {
        guard !snapshot.logDirs.isEmpty else {
            if snapshot.unsupported.contains(where: { $0.api.hasPrefix("DescribeLogDirs") }) {
                notes.append(
                    "log directories unknown (DescribeLogDirs not offered): disk use and data skew not checked")
            }
            return
        }
        var bytes: [Int32: Int64] = [:]
        for d in snapshot.logDirs {
            if let e = d.error {
                add(
                    AuditRules.diskUsage, "log directory \(d.path) is offline (\(e)); its replicas are unavailable",
                    AuditLocation(broker: d.broker), severity: .error)
                continue
            }
            if let p = d.partitionBytes, p >= 0 { bytes[d.broker, default: 0] &+= p }
            guard let total = d.totalBytes, let usable = d.usableBytes, total > 0 else { continue }
            guard usable >= 0, usable <= total else { continue }
            let used = (Double(total) - Double(usable)) / Double(total)
            if used >= policy.diskWarnFraction {
                add(
                    AuditRules.diskUsage,
                    "log directory \(d.path) is \(Self.format(used * 100))% full (\(usable / 1_073_741_824) GiB free of \(total / 1_073_741_824) GiB)",
                    AuditLocation(broker: d.broker), severity: used >= policy.diskErrorFraction ? .error : .warning)
            }
        }
        guard brokerIds.count > 1, !bytes.isEmpty else { return }
        // Brokers whose log dirs were not reported (offline, or DescribeLogDirs failed) are unknown, not empty.
        let measured = brokerIds.filter { bytes[$0] != nil }
        guard measured.count > 1 else { return }
        let total = measured.reduce(0.0) { $0 + Double(bytes[$1] ?? 0) }
        guard total > 0 else { return }
        let mean = total / Double(measured.count)
        let heavy = measured.filter { Double(bytes[$0] ?? 0) > policy.skewRatio * mean }
        if !heavy.isEmpty {
            let spread = brokerIds.map { "\($0): \(bytes[$0].map(Self.gib) ?? "unknown")" }.joined(separator: ", ")
            add(
                AuditRules.diskSkew,
                "data is uneven: \(spread) (mean \(Self.gib(Int64(mean))); above \(policy.skewRatio)× the mean: \(heavy.map(String.init).joined(separator: ", ")))",
                AuditLocation(brokers: heavy))
        }
    }

    static func duration(_ ms: Int64) -> String {
        ms >= 3_600_000 ? "\(format(Double(ms) / 3_600_000)) h" : ms >= 60_000 ? "\(ms / 60_000) min" : "\(ms / 1000) s"
    }

    static func gib(_ b: Int64) -> String {
        b >= 1_073_741_824 ? "\(format(Double(b) / 1_073_741_824)) GiB" : "\(format(Double(b) / 1_048_576)) MiB"
    }

    // MARK: Groups and transactions

    mutating func groupsAndTransactions() {
        // Members are unknown when DescribeGroups failed: an empty list then says nothing.
        let membersUnknown = snapshot.missing.contains { $0.hasPrefix("DescribeGroups") }
        if membersUnknown { notes.append("group members unknown (DescribeGroups failed): inactive groups not checked") }
        for g in snapshot.groups
        where !membersUnknown && g.members.isEmpty && !g.offsets.isEmpty && (g.state == nil || g.state == "Empty") {
            let assigner =
                (g.protocolType ?? "").isEmpty
                ? " (no protocol type: it may commit with assign(), as Spark or Flink do)" : ""
            add(
                AuditRules.inactiveGroup,
                "no members, committed offsets on \(counted(Set(g.offsets.map(\.topic)).count, "topic")) (state \(g.state ?? "unknown"))\(assigner)",
                AuditLocation(group: g.groupId))
        }
        guard let now = snapshot.takenAtMs else { return }
        // The coordinator aborts a transaction once its own timeout passes (checked every 10 s); one still open a
        // minute after that, or stuck between prepare and complete, is hanging.
        let states: Set<String> = ["Ongoing", "PrepareCommit", "PrepareAbort"]
        for t in snapshot.transactions where states.contains(t.state) {
            guard let start = t.startTimeMs, start > 0, start <= now else { continue }
            let timeout = Int64(max(0, t.timeoutMs ?? 60_000))
            let age = now - start
            if age > timeout + 60_000 {
                let parts = t.partitions.map {
                    "\($0.topic)[\($0.partitions.map(String.init).joined(separator: ","))]"
                }.joined(separator: " ")
                add(
                    AuditRules.hangingTransaction,
                    "transactional id \(t.transactionalId) (producer \(t.producerId)) has been \(t.state) for \(Self.duration(age)), past its \(Self.duration(timeout)) timeout; it pins the last stable offset of \(parts.isEmpty ? "its partitions" : parts)",
                    AuditLocation(topic: t.partitions.first?.topic))
            }
        }
    }
}
