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

/// Moving load off one broker with the least data: replicas whose load best fits what must go, onto the
/// brokers with the most room.
enum Shedding {
    /// Sheds `resource` from broker b down to `target`. `limit[to]` is the most a destination may carry (nil:
    /// no limit); a move never takes one above it.
    // Long because: candidates ordered to move the least data, then placed on the roomiest destinations, whose
    // order is refreshed as they fill.
    static func shed(
        _ resource: BrokerResource, from b: Int, down target: Double, _ slots: [(partition: Int, slot: Int)],
        _ s: inout BalanceState, _ ctx: inout OptimizeContext, limit: [Double?]
    ) {
        let hint = sizeHint(resource, b, target, s)
        // Largest first among those that fit the excess, so few replicas carry it; then the smallest that
        // covers what is left. Equal loads (a replica count): the smallest replicas first.
        var candidates: [(x: (partition: Int, slot: Int), load: Double, size: Double)] = []
        candidates.reserveCapacity(slots.count)
        for x in slots {
            let load = resource.effect(.move(partition: x.partition, slot: x.slot, to: b), s)?.amount ?? 0
            if load > 0 { candidates.append((x, load, s.size[x.partition])) }
        }
        candidates.sort {
            if $0.load != $1.load { return $0.load > $1.load }
            let (a, c) = (abs($0.size - hint), abs($1.size - hint))
            if a != c { return a < c }
            return ($0.x.partition, $0.x.slot) < ($1.x.partition, $1.x.slot)
        }
        let excess0 = resource.value(s, b) - target + 1e-6
        let order = candidates.filter { $0.load <= excess0 } + candidates.filter { $0.load > excess0 }.reversed()
        var destinations: [Int] = []
        var sinceSort = Int.max
        for c in order {
            guard resource.value(s, b) - target > 1e-6 else { return }
            guard s.replicas[c.x.partition][c.x.slot] == b else { continue }
            if sinceSort >= 16 {
                destinations = roomiest(resource, s, except: b, limit: limit)
                sinceSort = 0
            }
            for to in destinations {
                if let cap = limit[to], resource.value(s, to) + c.load > cap + 1e-6 { continue }
                if ctx.attempt(.move(partition: c.x.partition, slot: c.x.slot, to: to), &s) {
                    sinceSort += 1
                    break
                }
            }
        }
    }

    /// The replica size to prefer when shedding a count: when the broker also carries more disk than the disk
    /// band allows (its share + 10%), replicas of about (disk over that edge) / (replicas over the target) serve
    /// both goals with one move each — so the disk goal after it has little left to copy. Otherwise the
    /// smallest (0).
    static func sizeHint(_ resource: BrokerResource, _ b: Int, _ target: Double, _ s: BalanceState) -> Double {
        guard resource == .replicas, s.sizesKnown else { return 0 }
        let over = resource.value(s, b) - target
        let diskEdge = s.total(.disk) / Double(max(s.destinations.count, 1)) * 1.1
        let diskOver = s.disk[b] - diskEdge
        return over > 0 && diskOver > 0 ? diskOver / over : 0
    }

    /// Destinations by room left (limit less load), then by load, then by disk, then by index.
    static func roomiest(_ resource: BrokerResource, _ s: BalanceState, except b: Int, limit: [Double?]) -> [Int] {
        var keys: [(room: Double, load: Double, disk: Double, broker: Int)] = []
        keys.reserveCapacity(s.destinations.count)
        for d in s.destinations where d != b {
            let load = resource.value(s, d)
            keys.append(((limit[d] ?? .infinity) - load, load, s.disk[d], d))
        }
        keys.sort {
            if $0.room != $1.room { return $0.room > $1.room }
            if $0.load != $1.load { return $0.load < $1.load }
            return $0.disk != $1.disk ? $0.disk < $1.disk : $0.broker < $1.broker
        }
        return keys.map(\.broker)
    }
}
