/// Soft: every broker's load within a band around its share (Cruise Control's ReplicaDistributionGoal,
/// LeaderReplicaDistributionGoal, DiskUsageDistributionGoal, LeaderBytesInDistributionGoal). The share is the
/// mean over the brokers that take replicas, weighted by capacity when every one has one; the band is
/// `balance` either side (0.10: Cruise Control's balance percentage of 110%). Loads that move with leadership
/// are balanced by leadership changes only: no data is copied for them.
public struct DistributionGoal: BalanceGoal {
    public let resource: BrokerResource
    public let balance: Double
    public let hard = false

    public init(_ resource: BrokerResource, balance: Double = 0.10) {
        self.resource = resource
        self.balance = balance
    }

    public var name: String {
        switch resource {
        case .replicas: "ReplicaDistributionGoal"
        case .leaders: "LeaderReplicaDistributionGoal"
        case .disk: "DiskUsageDistributionGoal"
        case .leaderBytesIn: "LeaderBytesInDistributionGoal"
        case .networkIn: "NetworkInboundUsageDistributionGoal"
        case .networkOut: "NetworkOutboundUsageDistributionGoal"
        }
    }

    var counted: Bool { resource == .replicas || resource == .leaders }

    public func unavailable(_ s: BalanceState) -> String? { resource.unknown(s) }

    /// The band [lower, upper] for broker b.
    func band(_ s: BalanceState, _ b: Int) -> (lower: Double, upper: Double) {
        let total = s.total(resource)
        var share = total / Double(max(s.destinations.count, 1))
        if let sum = s.capacityTotal(resource), sum > 0, let cap = resource.capacity(s.brokers[b].capacity) {
            share = total * cap / sum
        }
        if !s.destination[b] { return (0, 0) }
        if counted {
            return (
                (share * (1 - balance)).rounded(.down), max((share * (1 + balance)).rounded(.up), share.rounded(.up))
            )
        }
        return (share * (1 - balance), share * (1 + balance))
    }

    public func measure(_ s: BalanceState) -> GoalMeasure {
        guard unavailable(s) == nil else { return GoalMeasure("not evaluated", satisfied: true, value: 0) }
        let dests = s.destinations
        let values = dests.map { resource.value(s, $0) }
        let outside = dests.filter { b in
            let (lo, hi) = band(s, b)
            let v = resource.value(s, b)
            return v < lo - 1e-6 || v > hi + 1e-6
        }.count
        let lo = values.min() ?? 0
        let hi = values.max() ?? 0
        let mean = values.reduce(0, +) / Double(max(values.count, 1))
        // The brokers that stay; load still on brokers being removed is named beside it (it must land on them).
        let leaving = s.brokers.indices.filter { !s.destination[$0] }.reduce(0.0) { $0 + resource.value(s, $1) }
        let text =
            "\(resource.format(lo))–\(resource.format(hi)) per broker (mean \(resource.format(mean)))"
            + (leaving > 0 ? " on the brokers that stay, and \(resource.format(leaving)) on those being removed" : "")
            + (outside > 0
                ? "; \(outside) broker\(outside == 1 ? "" : "s") outside ±\(BalanceFormat.percent(balance))" : "")
        // The spread the goal narrows: the largest load over the mean.
        return GoalMeasure(text, satisfied: outside == 0, value: mean > 0 ? hi / mean : 0)
    }

    public func accepts(_ a: BalanceAction, _ s: BalanceState) -> Bool {
        guard unavailable(s) == nil, let e = resource.effect(a, s) else { return true }
        let to = resource.value(s, e.to) + e.amount
        let from = resource.value(s, e.from) - e.amount
        let tolerance = counted ? 0 : 1e-6
        return (to <= band(s, e.to).upper + tolerance || to <= resource.value(s, e.from))
            && (from >= band(s, e.from).lower - tolerance || from >= resource.value(s, e.to)
                || !s.destination[e.from])
    }

    public func optimize(_ s: inout BalanceState, _ ctx: inout OptimizeContext) {
        guard unavailable(s) == nil else { return }
        let bands = s.brokers.indices.map { band(s, $0) }
        if resource.movesWithLeadership {
            rebalanceLeadership(&s, &ctx, bands)
            return
        }
        let index = ReplicaIndex(s)
        let over = s.destinations.filter { resource.value(s, $0) > bands[$0].upper + 1e-6 }
            .sorted { resource.value(s, $0) - bands[$0].upper > resource.value(s, $1) - bands[$1].upper }
        for b in over {
            let slots = index.byBroker[b].filter { s.replicas[$0.partition][$0.slot] == b }
            Shedding.shed(resource, from: b, down: bands[b].upper, slots, &s, &ctx, limit: bands.map { $0.upper })
        }
        // Brokers still under their band (an added broker) take from the most loaded ones above their share.
        let under = s.destinations.filter { resource.value(s, $0) < bands[$0].lower - 1e-6 }
        let fresh = ReplicaIndex(s)
        // Each donor's replicas smallest first, sorted once.
        var sortedSlots: [Int: [(partition: Int, slot: Int)]] = [:]
        for b in under {
            let donors = s.destinations.filter { resource.value(s, $0) > (bands[$0].lower + bands[$0].upper) / 2 }
                .sorted { resource.value(s, $0) > resource.value(s, $1) }
            for d in donors {
                let need = bands[b].lower - resource.value(s, b)
                guard need > 1e-6 else { break }
                let mid = (bands[d].lower + bands[d].upper) / 2
                if sortedSlots[d] == nil {
                    sortedSlots[d] = fresh.byBroker[d].sorted {
                        (s.size[$0.partition], $0.partition) < (s.size[$1.partition], $1.partition)
                    }
                }
                for (p, slot) in sortedSlots[d] ?? [] where s.replicas[p][slot] == d {
                    let amount = resource.effect(.move(partition: p, slot: slot, to: b), s)?.amount ?? 0
                    guard resource.value(s, b) < bands[b].lower - 1e-6, resource.value(s, d) - amount >= mid - 1e-6
                    else { break }
                    if amount > bands[b].upper - resource.value(s, b) + 1e-6 { continue }
                    _ = ctx.attempt(.move(partition: p, slot: slot, to: b), &s)
                }
            }
        }
    }

    /// Preferred leaders handed to followers: from brokers above their band to followers below it.
    func rebalanceLeadership(
        _ s: inout BalanceState, _ ctx: inout OptimizeContext, _ bands: [(lower: Double, upper: Double)]
    ) {
        // A few passes: a handover in one pass can make room for another.
        for _ in 0..<4 where leadershipPass(&s, &ctx, bands) == 0 {
            break
        }
    }

    /// One pass over the partitions; the number of handovers made.
    func leadershipPass(
        _ s: inout BalanceState, _ ctx: inout OptimizeContext, _ bands: [(lower: Double, upper: Double)]
    ) -> Int {
        var made = 0
        for p in s.replicas.indices where !s.frozen[p] {
            let leader = s.replicas[p][0]
            let overLeader = resource.value(s, leader) > bands[leader].upper + 1e-6
            for slot in 1..<max(s.replicas[p].count, 1) {
                let f = s.replicas[p][slot]
                let a = BalanceAction.lead(partition: p, slot: slot)
                guard let e = resource.effect(a, s) else { break }
                let underFollower = resource.value(s, f) < bands[f].lower - 1e-6
                guard overLeader || underFollower else { continue }
                guard resource.value(s, f) + e.amount <= bands[f].upper + 1e-6,
                    resource.value(s, leader) - e.amount >= bands[leader].lower - 1e-6 || overLeader,
                    resource.value(s, f) + e.amount <= resource.value(s, leader)
                else { continue }
                if ctx.attempt(a, &s) {
                    made += 1
                    break
                }
            }
        }
        return made
    }
}
