import ArchitectBalance
import ArchitectCore
import ArchitectReports
import Foundation

/// What `rebalance` prints: each goal before and after, what moves, the throttle and time, the commands.
struct RebalanceReport: Encodable {
    var clusterId: String?
    var takenAt: String
    var result: RebalanceResult
    var throttle: ThrottleEstimate
    var notes: [String]
    var output: String?
    var rollback: String?
    var bootstrap: String
    /// What the brokers lack to meet a capacity goal, in words; nil when they have enough.
    var shortfall: [String]

    enum CodingKeys: String, CodingKey {
        case clusterId, takenAt, goals, moves, replicasMoved, bytesMoved, leadershipChanges, throttle, notes, output,
            rollback, shortfall, satisfied
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(clusterId, forKey: .clusterId)
        try c.encode(takenAt, forKey: .takenAt)
        try c.encode(result.goals, forKey: .goals)
        try c.encode(result.moves, forKey: .moves)
        try c.encode(result.replicasMoved, forKey: .replicasMoved)
        try c.encode(result.bytesMoved, forKey: .bytesMoved)
        try c.encode(result.leadershipChanges, forKey: .leadershipChanges)
        try c.encode(throttle, forKey: .throttle)
        try c.encode(notes, forKey: .notes)
        try c.encode(output, forKey: .output)
        try c.encode(rollback, forKey: .rollback)
        try c.encode(shortfall, forKey: .shortfall)
        try c.encode(result.unmetHardGoals.isEmpty, forKey: .satisfied)
    }

    /// For each capacity goal that fails: the load the brokers carry against what they may carry.
    static func shortfall(_ r: RebalanceResult, _ o: RebalanceOptions) -> [String] {
        var out: [String] = []
        let s = r.final
        for g in r.unmetHardGoals {
            let resource: BrokerResource? =
                switch g.name {
                case "DiskCapacityGoal": .disk
                case "NetworkInboundCapacityGoal": .networkIn
                case "NetworkOutboundCapacityGoal": .networkOut
                case "ReplicaCapacityGoal": .replicas
                default: nil
                }
            guard let resource else {
                out.append("\(g.name): \(g.after?.text ?? "not met")")
                continue
            }
            let threshold = resource == .disk ? o.onlyAbove ?? o.diskThreshold : resource == .replicas ? 1 : 0.8
            let load = s.brokers.indices.reduce(0.0) { $0 + resource.value(s, $1) }
            let caps = s.destinations.compactMap { resource.capacity(s.brokers[$0].capacity) }
            let allowed = caps.reduce(0, +) * threshold
            if load > allowed, let each = caps.first, each > 0 {
                var more = Int(((load - allowed) / (each * threshold)).rounded(.up))
                // Racks hold their share whatever the total: each rack short of room needs its own brokers.
                var perRack = ""
                if s.rackCount > 1 {
                    var short: [String] = []
                    var total = 0
                    for r in Set(s.destinations.map { s.rackOf[$0] }).sorted() {
                        let members = s.destinations.filter { s.rackOf[$0] == r }
                        let rackLoad = members.reduce(0.0) { $0 + resource.value(s, $1) }
                        let rackAllowed =
                            members.reduce(0.0) { $0 + (resource.capacity(s.brokers[$1].capacity) ?? 0) } * threshold
                        let n =
                            rackLoad > rackAllowed
                            ? Int(((rackLoad - rackAllowed) / (each * threshold)).rounded(.up)) : 0
                        total += n
                        if n > 0 { short.append("\(n) in \(s.brokers[members[0]].rack ?? "?")") }
                    }
                    if total > more {
                        more = total
                        perRack = " (racks hold their share: \(short.joined(separator: ", ")))"
                    } else if !short.isEmpty {
                        perRack = " (\(short.joined(separator: ", ")))"
                    }
                }
                out.append(
                    "\(g.name): the brokers carry \(resource.format(load)); at \(BalanceFormat.percent(threshold)) of capacity they may carry \(resource.format(allowed)) — \(resource.format(load - allowed)) short, about \(more) more broker\(more == 1 ? "" : "s") of this size\(perRack)"
                )
            } else {
                out.append(
                    "\(g.name): \(g.after?.text ?? "not met") — the total fits, but racks, replica placement or --max-moves keep it from spreading"
                )
            }
        }
        return out
    }

    // Long because: the report's sections in order — header, goals table, moves, throttle, commands, notes.
    func text() -> String {
        let r = result
        let adds = r.initial.brokers.filter(\.added).map { String($0.id) }
        let removes = r.initial.brokers.filter(\.removing).map { String($0.id) }
        var out =
            "Rebalance plan for cluster \(clusterId ?? "(no id)") (read \(takenAt)): \(r.initial.brokerCount) brokers"
        if !adds.isEmpty { out += ", adding \(adds.joined(separator: ","))" }
        if !removes.isEmpty { out += ", removing \(removes.joined(separator: ","))" }
        out += ", \(BalanceFormat.count(Double(r.initial.partitions.count))) partitions\n\nGoals, in priority order:\n"
        for g in r.goals {
            let kind = g.hard ? "hard" : "soft"
            if let why = g.notEvaluated {
                out += "  \(g.name) (\(kind)): not evaluated — \(why)\n"
                continue
            }
            let mark = g.satisfied == true ? "met" : (g.hard ? "NOT MET" : "not met")
            out += "  \(g.name) (\(kind)): \(mark)\n"
            out += "      before: \(g.before?.text ?? "-")\n      after:  \(g.after?.text ?? "-")\n"
        }
        let dataMoves = r.moves.filter { $0.replicasMoved > 0 }.count
        out +=
            "\nMoves: \(BalanceFormat.count(Double(r.replicasMoved))) replicas in \(BalanceFormat.count(Double(dataMoves))) partitions, "
        out +=
            (r.initial.sizesKnown
                ? "\(BalanceFormat.bytes(r.bytesMoved)) copied" : "bytes unknown (no partition sizes)")
            + "; \(BalanceFormat.count(Double(r.leadershipChanges))) leadership-only changes (no data)\n"
        if r.moves.isEmpty {
            out += "Nothing to move: the cluster already meets the goals it can be measured on.\n"
        } else {
            out += throttleText()
            out += commands()
        }
        for s in shortfall { out += "Cannot meet: \(s)\n" }
        for n in notes { out += "Note: \(n)\n" }
        return out
    }

    func throttleText() -> String {
        var out = "Throttle: "
        if let t = throttle.bytesPerSecond {
            out += "\(BalanceFormat.bytes(t))/s per broker (\(throttle.basis))\n"
            if let secs = throttle.seconds {
                out +=
                    "Estimated time: at least \(Format.duration(secs)) (the throttle caps the copy; slower disks or busier brokers only lengthen it) — the busiest broker receives \(BalanceFormat.bytes(throttle.maxBytesIn)) and sends \(BalanceFormat.bytes(throttle.maxBytesOut)), at the throttle less the up to \(BalanceFormat.bytes(throttle.catchUpBytesPerSecond))/s producers keep adding to the partitions a broker copies\n"
            }
            if let w = throttle.warning { out += "Warning: \(w)\n" }
        } else {
            out += "not computed — \(throttle.basis)\n"
        }
        return out
    }

    func commands() -> String {
        let file = output ?? "reassignment.json"
        let rate =
            throttle.bytesPerSecond.map { " --throttle \(BalanceFormat.count($0.rounded(.down)).filter { $0 != "," })" }
            ?? " --throttle <bytes/s>"
        var out = output == nil ? "Write the plan with -o \(file), then:\n" : "Commands:\n"
        out +=
            "  kafka-reassign-partitions.sh --bootstrap-server \(bootstrap) --reassignment-json-file \(file) --execute\(rate)\n"
        out +=
            "  kafka-reassign-partitions.sh --bootstrap-server \(bootstrap) --reassignment-json-file \(file) --verify    # until done; it then removes the throttle\n"
        out +=
            "  kafka-leader-election.sh --bootstrap-server \(bootstrap) --election-type PREFERRED --path-to-json-file \(output.map(KafkaArchitect.Rebalance.electionPath) ?? "reassignment.election.json")    # leaders to the new preferred replicas, only where the plan changes them\n"
        out +=
            "  Roll back: kafka-reassign-partitions.sh --bootstrap-server \(bootstrap) --reassignment-json-file \(rollback ?? "reassignment.rollback.json") --execute\(rate), then the same election\n"
        return out
    }
}
