/// Hard: no two replicas of a partition in one rack while racks without one exist (with more replicas than
/// racks, an even share per rack). A rack lost then costs each partition at most its share.
public struct RackAwareGoal: BalanceGoal {
    public let name = "RackAwareGoal"
    public let hard = true
    public init() {}

    public func unavailable(_ s: BalanceState) -> String? {
        if s.rackCount == 0 { return "the brokers name no racks (broker.rack)" }
        if s.rackOf.contains(-1) { return "some brokers name no rack (broker.rack): give every broker one" }
        return nil
    }

    /// Replicas beyond the rack's share, for partition p.
    func excess(_ s: BalanceState, _ p: Int) -> Int {
        let limit = s.rackLimit(p)
        var counts: [Int: Int] = [:]
        for b in s.replicas[p] { counts[s.rackOf[b], default: 0] += 1 }
        return counts.values.reduce(0) { $0 + max(0, $1 - limit) }
    }

    public func measure(_ s: BalanceState) -> GoalMeasure {
        guard unavailable(s) == nil else { return GoalMeasure("not evaluated", satisfied: true, value: 0) }
        let bad = s.replicas.indices.filter { excess(s, $0) > 0 }.count
        return GoalMeasure(
            bad == 0
                ? "every partition spread over racks"
                : "\(BalanceFormat.count(Double(bad))) partitions with more replicas in one rack than its share",
            satisfied: bad == 0, value: Double(bad))
    }

    public func accepts(_ a: BalanceAction, _ s: BalanceState) -> Bool {
        guard case .move(let p, let slot, let to) = a, unavailable(s) == nil else { return true }
        let from = s.replicas[p][slot]
        if s.rackOf[from] == s.rackOf[to] { return true }
        // After the move: the destination rack gains one, the source rack loses one.
        let limit = s.rackLimit(p)
        let dest = s.inRack(p, s.rackOf[to]) + 1
        return dest <= limit || dest <= s.inRack(p, s.rackOf[from]) - 1
    }

    public func optimize(_ s: inout BalanceState, _ ctx: inout OptimizeContext) {
        guard unavailable(s) == nil else { return }
        // Brokers by load, so the replicas that must move go to the emptiest broker of a rack that lacks one.
        for p in s.replicas.indices where !s.frozen[p] && excess(s, p) > 0 {
            let limit = s.rackLimit(p)
            // A follower first: moving it keeps the partition's leadership where it is.
            for slot in s.replicas[p].indices.reversed() {
                let r = s.rackOf[s.replicas[p][slot]]
                guard s.inRack(p, r) > limit else { continue }
                let candidates = s.lightestFirst(s.destinations(rackRoomFor: p, limit: limit))
                for to in candidates where ctx.attempt(.move(partition: p, slot: slot, to: to), &s) { break }
            }
        }
    }
}
