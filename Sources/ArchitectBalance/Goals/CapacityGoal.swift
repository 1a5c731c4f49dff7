/// Hard: no broker above `threshold` of its capacity for one resource (Cruise Control's ReplicaCapacityGoal,
/// DiskCapacityGoal, NetworkInboundCapacityGoal, NetworkOutboundCapacityGoal). To shed the least data, an
/// over-full broker gives up the replicas that best fit its excess; outbound load is shed by leadership first.
public struct CapacityGoal: BalanceGoal {
    public let resource: BrokerResource
    /// Fraction of capacity a broker may use (Cruise Control's capacity threshold; 0.8 for disk).
    public let threshold: Double
    public let hard = true

    public init(_ resource: BrokerResource, threshold: Double) {
        self.resource = resource
        self.threshold = threshold
    }

    public var name: String {
        switch resource {
        case .replicas: "ReplicaCapacityGoal"
        case .disk: "DiskCapacityGoal"
        case .networkIn: "NetworkInboundCapacityGoal"
        case .networkOut: "NetworkOutboundCapacityGoal"
        case .leaders, .leaderBytesIn: "\(resource.rawValue)CapacityGoal"
        }
    }

    func limit(_ s: BalanceState, _ b: Int) -> Double? {
        resource.capacity(s.brokers[b].capacity).map { $0 * threshold }
    }

    public func unavailable(_ s: BalanceState) -> String? {
        if let why = resource.unknown(s) { return why }
        if s.destinations.contains(where: { resource.capacity(s.brokers[$0].capacity) == nil }) {
            return resource == .replicas
                ? "no replica limit given (--max-replicas-per-broker)"
                : "no \(resource.rawValue) capacity is known for every broker (give \(resource == .disk ? "--disk-capacity" : "--network-capacity or --instance-type"))"
        }
        return nil
    }

    public func measure(_ s: BalanceState) -> GoalMeasure {
        guard unavailable(s) == nil else { return GoalMeasure("not evaluated", satisfied: true, value: 0) }
        var worst = 0.0
        var worstBroker = 0
        var over = 0
        for b in s.brokers.indices {
            guard let cap = resource.capacity(s.brokers[b].capacity), cap > 0 else { continue }
            let use = resource.value(s, b) / cap
            if use > threshold + 1e-9 { over += 1 }
            if use > worst {
                worst = use
                worstBroker = b
            }
        }
        let text =
            "highest broker \(s.brokers[worstBroker].id) at \(BalanceFormat.percent(worst)) of capacity (limit \(BalanceFormat.percent(threshold)))"
            + (over > 0 ? "; \(over) broker\(over == 1 ? "" : "s") over" : "")
        return GoalMeasure(text, satisfied: over == 0, value: worst)
    }

    public func accepts(_ a: BalanceAction, _ s: BalanceState) -> Bool {
        guard unavailable(s) == nil, let e = resource.effect(a, s), let cap = limit(s, e.to) else { return true }
        return resource.value(s, e.to) + e.amount <= cap + 1e-6
    }

    public func optimize(_ s: inout BalanceState, _ ctx: inout OptimizeContext) {
        guard unavailable(s) == nil else { return }
        let index = ReplicaIndex(s)
        let over = s.brokers.indices.filter { b in limit(s, b).map { resource.value(s, b) > $0 + 1e-6 } ?? false }
        for b in over.sorted(by: {
            resource.value(s, $0) - (limit(s, $0) ?? 0) > resource.value(s, $1) - (limit(s, $1) ?? 0)
        }) {
            guard let cap = limit(s, b) else { continue }
            let slots = index.byBroker[b].filter { s.replicas[$0.partition][$0.slot] == b }
            if resource.movesWithLeadership {
                shedByLeadership(b, cap, slots, &s, &ctx)
            }
            Shedding.shed(resource, from: b, down: cap, slots, &s, &ctx, limit: s.brokers.indices.map { limit(s, $0) })
        }
    }

    /// Outbound load moves with leadership: hand it to a follower with room before copying data.
    func shedByLeadership(
        _ b: Int, _ cap: Double, _ slots: [(partition: Int, slot: Int)], _ s: inout BalanceState,
        _ ctx: inout OptimizeContext
    ) {
        for (p, slot) in slots where slot == 0 && resource.value(s, b) > cap + 1e-6 {
            for f in 1..<s.replicas[p].count where ctx.attempt(.lead(partition: p, slot: f), &s) { break }
        }
    }
}
