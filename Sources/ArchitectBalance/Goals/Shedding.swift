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
