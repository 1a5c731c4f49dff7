// The optimiser (Cruise Control's GoalOptimizer): goals run in priority order; each improves the cluster with
// actions every goal before it accepts, so a later goal can never undo an earlier one. The result is the new
// assignment, what it moves, how each goal stood before and after, and whether the plan is valid.

public struct GoalReport: Sendable, Equatable, Codable {
    public var name: String
    public var hard: Bool
    public var before: GoalMeasure?
    public var after: GoalMeasure?
    /// Whether the goal holds after the plan; nil when it was not evaluated (never a silent "met").
    public var satisfied: Bool?
    /// Why the goal was not evaluated (no sizes, no rates, no capacity), or nil.
    public var notEvaluated: String?

    enum CodingKeys: String, CodingKey { case name, hard, before, after, satisfied, notEvaluated }

    /// Every field, null where absent: a script reading `satisfied` sees null for a goal not evaluated.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(hard, forKey: .hard)
        try c.encode(before, forKey: .before)
        try c.encode(after, forKey: .after)
        try c.encode(satisfied, forKey: .satisfied)
        try c.encode(notEvaluated, forKey: .notEvaluated)
    }
}

/// One partition whose replica list changes.
public struct PartitionMove: Sendable, Equatable, Codable {
    public var topic: String
    public var partition: Int32
    public var before: [Int32]
    public var after: [Int32]
    /// Replicas copied to brokers that did not hold one (0 for a leadership change).
    public var replicasMoved: Int
    public var bytesMoved: Double
    /// The brokers the new replicas are copied from: the partition's current leader.
    public var source: Int32
}

public struct RebalanceResult: Sendable {
    public var goals: [GoalReport]
    public var moves: [PartitionMove]
    public var replicasMoved: Int
    public var bytesMoved: Double
    /// Partitions whose replicas stay but whose preferred leader changes.
    public var leadershipChanges: Int
    public var initial: BalanceState
    public var final: BalanceState
    /// Violations of the plan's validity rules; empty for every plan the optimiser makes.
    public var invalid: [String]
    /// Moves left out because `--max-moves` ran out.
    public var budgetExhausted: Bool

    /// The hard goals that do not hold after the plan.
    public var unmetHardGoals: [GoalReport] { goals.filter { $0.hard && $0.satisfied == false } }
}

public struct Rebalancer: Sendable {
    public var goals: [any BalanceGoal]
    public var maxMoves: Int

    public init(goals: [any BalanceGoal], maxMoves: Int = .max) {
        self.goals = goals
        self.maxMoves = maxMoves
    }

    /// Cruise Control's default order: the hard goals (a removal first, racks, replica, disk and network
    /// capacity), then the soft ones.
    public static func defaultGoals(diskThreshold: Double = 0.8, networkThreshold: Double = 0.8) -> [any BalanceGoal] {
        [
            BrokerRemovalGoal(), RackAwareGoal(), CapacityGoal(.replicas, threshold: 1),
            CapacityGoal(.disk, threshold: diskThreshold), CapacityGoal(.networkIn, threshold: networkThreshold),
            CapacityGoal(.networkOut, threshold: networkThreshold), DistributionGoal(.replicas),
            DistributionGoal(.leaders), DistributionGoal(.disk), TopicReplicaDistributionGoal(),
            DistributionGoal(.leaderBytesIn),
        ]
    }

    public func run(_ start: BalanceState) -> RebalanceResult {
        var s = start
        var ctx = OptimizeContext(guards: [], movesLeft: maxMoves)
        let before = goals.map { $0.unavailable(start) == nil ? $0.measure(start) : nil }
        var guards: [any BalanceGoal] = []
        for g in goals {
            if g.unavailable(s) == nil {
                ctx = OptimizeContext(guards: guards, movesLeft: ctx.movesLeft)
                g.optimize(&s, &ctx)
            }
            guards.append(g)
        }
        let reports = goals.enumerated().map { i, g in
            let why = g.unavailable(start)
            let after = why == nil ? g.measure(s) : nil
            return GoalReport(
                name: g.name, hard: g.hard, before: before[i], after: after, satisfied: after?.satisfied,
                notEvaluated: why)
        }
        var result = RebalanceResult(
            goals: reports, moves: Self.moves(start, s), replicasMoved: 0, bytesMoved: 0, leadershipChanges: 0,
            initial: start, final: s, invalid: BalanceVerifier.problems(start, s), budgetExhausted: ctx.movesLeft <= 0)
        result.replicasMoved = result.moves.reduce(0) { $0 + $1.replicasMoved }
        result.bytesMoved = result.moves.reduce(0) { $0 + $1.bytesMoved }
        result.leadershipChanges = result.moves.filter { $0.replicasMoved == 0 }.count
        return result
    }

    static func moves(_ a: BalanceState, _ b: BalanceState) -> [PartitionMove] {
        var out: [PartitionMove] = []
        for p in a.replicas.indices where a.replicas[p] != b.replicas[p] {
            let old = Set(a.replicas[p])
            let added = b.replicas[p].filter { !old.contains($0) }.count
            // New replicas copy from the leader now; when it is unknown, from the first replica.
            let leader = a.partitions[p].leader.flatMap { $0 >= 0 ? $0 : nil } ?? a.brokers[a.replicas[p][0]].id
            out.append(
                PartitionMove(
                    topic: a.partitions[p].topic, partition: a.partitions[p].partition,
                    before: a.replicas[p].map { a.brokers[$0].id }, after: b.replicas[p].map { b.brokers[$0].id },
                    replicasMoved: added, bytesMoved: Double(added) * a.size[p],
                    source: leader))
        }
        return out
    }
}

/// The validity rules every plan must keep (Cruise Control's OptimizationVerifier): the same replication
/// factor per partition, no broker twice in a list, only brokers that exist or are added, nothing moved onto a
/// broker being removed, and a partition already being reassigned left alone.
public enum BalanceVerifier {
    public static func problems(_ a: BalanceState, _ b: BalanceState) -> [String] {
        var out: [String] = []
        for p in a.replicas.indices {
            let name = "\(a.partitions[p].topic)-\(a.partitions[p].partition)"
            let before = a.replicas[p]
            let after = b.replicas[p]
            if before.count != after.count {
                out.append("\(name): replication factor \(before.count) → \(after.count)")
            }
            if Set(after).count != after.count { out.append("\(name): a broker twice in \(after)") }
            if after.contains(where: { $0 < 0 || $0 >= b.brokerCount }) { out.append("\(name): an unknown broker") }
            let old = Set(before)
            if after.contains(where: { !old.contains($0) && !b.destination[$0] }) {
                out.append("\(name): a replica moved onto a broker being removed")
            }
            if a.frozen[p] && before != after { out.append("\(name): moved during a reassignment in progress") }
        }
        return out
    }
}

/// A goal that only guards: it vetoes actions that make it worse but moves nothing itself (`--only-above` keeps
/// racks spread without re-spreading them).
public struct GuardOnly: BalanceGoal {
    public let goal: any BalanceGoal
    public init(_ goal: any BalanceGoal) { self.goal = goal }
    public var name: String { goal.name }
    public var hard: Bool { false }
    public func unavailable(_ s: BalanceState) -> String? { goal.unavailable(s) }
    public func measure(_ s: BalanceState) -> GoalMeasure {
        var m = goal.measure(s)
        m.satisfied = true
        m.text += " (kept, not optimised)"
        return m
    }
    public func accepts(_ a: BalanceAction, _ s: BalanceState) -> Bool { goal.accepts(a, s) }
    public func optimize(_ s: inout BalanceState, _ ctx: inout OptimizeContext) {}
}

extension Rebalancer {
    /// Goals by name, for `--goals` (Cruise Control's names).
    public static func goal(named name: String, diskThreshold: Double = 0.8, networkThreshold: Double = 0.8)
        -> (any BalanceGoal)?
    {
        defaultGoals(diskThreshold: diskThreshold, networkThreshold: networkThreshold).first {
            $0.name.lowercased() == name.lowercased()
        }
    }

    public static var goalNames: [String] { defaultGoals().map(\.name) }

    /// `--only-above`: move only what brings brokers over the disk threshold under it, keeping racks spread and
    /// replica caps.
    public static func onlyAbove(_ threshold: Double) -> [any BalanceGoal] {
        [
            BrokerRemovalGoal(), GuardOnly(RackAwareGoal()), CapacityGoal(.replicas, threshold: 1),
            CapacityGoal(.disk, threshold: threshold),
        ]
    }
}
