// The cluster as the rebalancer sees it (Cruise Control's ClusterModel): brokers with racks and capacities,
// partitions with their replica lists, sizes and produce rates, and the per-broker loads every goal reads.
// Built from a ClusterSnapshot; pure and deterministic — brokers and partitions are kept in a fixed order, and
// every choice breaks ties by that order.

import ArchitectCore

/// What a broker can hold; nil where unknown (the goal that needs it is then not evaluated, and says so).
public struct BrokerCapacity: Sendable, Equatable {
    /// Bytes of disk for partition data.
    public var disk: Double?
    /// Bytes per second the broker can take in (produce and replication) and send out.
    public var networkIn: Double?
    public var networkOut: Double?
    /// Replicas one broker may carry (Kafka's guidance: a few thousand).
    public var maxReplicas: Int?

    public init(disk: Double? = nil, networkIn: Double? = nil, networkOut: Double? = nil, maxReplicas: Int? = nil) {
        self.disk = disk
        self.networkIn = networkIn
        self.networkOut = networkOut
        self.maxReplicas = maxReplicas
    }
}

public struct BalanceBroker: Sendable, Equatable {
    public var id: Int32
    public var rack: String?
    public var capacity: BrokerCapacity
    /// Added by `--add-brokers`: empty now, and a destination.
    public var added: Bool
    /// Named by `--remove-brokers`: everything leaves it, nothing moves onto it.
    public var removing: Bool

    public init(
        id: Int32, rack: String? = nil, capacity: BrokerCapacity = .init(), added: Bool = false, removing: Bool = false
    ) {
        self.id = id
        self.rack = rack
        self.capacity = capacity
        self.added = added
        self.removing = removing
    }
}

public struct BalancePartition: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    /// Broker ids; the first is the preferred leader.
    public var replicas: [Int32]
    /// Bytes of one replica (the largest on disk); nil when unknown.
    public var sizeBytes: Double?
    /// Produce rate into the partition, bytes per second; nil when unknown.
    public var bytesInPerSecond: Double?
    /// The leader now (new replicas copy from it), -1 or nil when unknown.
    public var leader: Int32?
    /// The in-sync replicas: only they may become the preferred leader (an election picks only from them).
    /// Empty: unknown, every replica taken as in sync.
    public var isr: [Int32]

    public init(
        topic: String, partition: Int32, replicas: [Int32], sizeBytes: Double? = nil, bytesInPerSecond: Double? = nil,
        leader: Int32? = nil, isr: [Int32] = []
    ) {
        self.topic = topic
        self.partition = partition
        self.replicas = replicas
        self.sizeBytes = sizeBytes
        self.bytesInPerSecond = bytesInPerSecond
        self.leader = leader
        self.isr = isr
    }
}

/// One change to the assignment: a replica moves to another broker (data is copied), or a partition's preferred
/// leader changes to another of its replicas (no data moves).
public enum BalanceAction: Sendable, Equatable {
    /// Partition index, the replica's position in the list, the broker index it moves to.
    case move(partition: Int, slot: Int, to: Int)
    /// Partition index, the position of the replica that becomes the preferred leader.
    case lead(partition: Int, slot: Int)
}

/// The mutable assignment and the per-broker loads it implies. Brokers and partitions are indices into the
/// input's arrays.
public struct BalanceState: Sendable {
    public let brokers: [BalanceBroker]
    public let partitions: [BalancePartition]
    /// Replicas per partition as broker indices; [0] is the preferred leader.
    public internal(set) var replicas: [[Int]]
    public let size: [Double]
    public let rate: [Double]
    public let topicOf: [Int]
    public let topicNames: [String]
    /// Rack index per broker; -1 when the cluster has no racks.
    public let rackOf: [Int]
    public let rackCount: Int
    /// Brokers a replica may move onto (not removing).
    public let destination: [Bool]
    /// Partitions that must not move (a reassignment is already in progress).
    public let frozen: [Bool]
    public let sizesKnown: Bool
    public let ratesKnown: Bool

    public internal(set) var replicaCount: [Int]
    public internal(set) var leaderCount: [Int]
    public internal(set) var disk: [Double]
    public internal(set) var networkIn: [Double]
    public internal(set) var networkOut: [Double]
    public internal(set) var leaderBytesIn: [Double]
    /// Replicas of topic t on broker b, at t * brokers.count + b.
    public internal(set) var topicReplicas: [Int32]
    public let topicSize: [Int]
    /// Consumer groups reading each byte a leader takes in (its outbound is replication plus this).
    public let fanOut: Double

    public var brokerCount: Int { brokers.count }

    public init(brokers: [BalanceBroker], partitions: [BalancePartition], frozen: Set<Int> = [], fanOut: Double = 1) {
        self.brokers = brokers
        self.partitions = partitions
        self.fanOut = fanOut
        let index = Dictionary(brokers.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })
        replicas = partitions.map { p in p.replicas.compactMap { index[$0] } }
        sizesKnown = !partitions.isEmpty && partitions.allSatisfy { $0.sizeBytes != nil }
        ratesKnown = !partitions.isEmpty && partitions.allSatisfy { $0.bytesInPerSecond != nil }
        size = partitions.map { $0.sizeBytes ?? 0 }
        rate = partitions.map { $0.bytesInPerSecond ?? 0 }
        var topics: [String: Int] = [:]
        var names: [String] = []
        var counts: [Int] = []
        topicOf = partitions.map { p in
            if let t = topics[p.topic] {
                counts[t] += p.replicas.count
                return t
            }
            topics[p.topic] = names.count
            names.append(p.topic)
            counts.append(p.replicas.count)
            return names.count - 1
        }
        topicNames = names
        topicSize = counts
        let racks = Array(Set(brokers.compactMap(\.rack))).sorted()
        let rackIndex = Dictionary(racks.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        rackOf = brokers.map { b in b.rack.flatMap { rackIndex[$0] } ?? -1 }
        // The racks replicas can go to: those with a broker that stays.
        rackCount = Set(brokers.filter { !$0.removing }.compactMap(\.rack)).count
        destination = brokers.map { !$0.removing }
        destinations = brokers.indices.filter { !brokers[$0].removing }
        self.frozen = partitions.indices.map { frozen.contains($0) }
        let n = brokers.count
        replicaCount = Array(repeating: 0, count: n)
        leaderCount = Array(repeating: 0, count: n)
        disk = Array(repeating: 0, count: n)
        networkIn = Array(repeating: 0, count: n)
        networkOut = Array(repeating: 0, count: n)
        leaderBytesIn = Array(repeating: 0, count: n)
        topicReplicas = Array(repeating: 0, count: names.count * n)
        totals = []
        capacityTotals = []
        for p in partitions.indices {
            for (slot, b) in replicas[p].enumerated() { add(p, slot: slot, broker: b, sign: 1) }
        }
        let state = self
        totals = BrokerResource.allCases.map { r in brokers.indices.reduce(0.0) { $0 + r.value(state, $1) } }
        let dests = destinations
        capacityTotals = BrokerResource.allCases.map { r in
            let caps = dests.compactMap { r.capacity(brokers[$0].capacity) }
            return caps.count == dests.count && !caps.isEmpty ? caps.reduce(0, +) : nil
        }
    }

    /// Adds (sign 1) or takes away (sign -1) the load of partition p's replica at `slot` on broker b.
    mutating func add(_ p: Int, slot: Int, broker b: Int, sign: Int) {
        let s = Double(sign)
        replicaCount[b] += sign
        disk[b] += s * size[p]
        networkIn[b] += s * rate[p]
        topicReplicas[topicOf[p] * brokers.count + b] += Int32(sign)
        if slot == 0 {
            leaderCount[b] += sign
            leaderBytesIn[b] += s * rate[p]
            networkOut[b] += s * rate[p] * (Double(replicas[p].count - 1) + fanOut)
        }
    }

    /// Applies an action (the caller has checked it is valid).
    public mutating func apply(_ a: BalanceAction) {
        switch a {
        case .move(let p, let slot, let to):
            let from = replicas[p][slot]
            add(p, slot: slot, broker: from, sign: -1)
            replicas[p][slot] = to
            add(p, slot: slot, broker: to, sign: 1)
        case .lead(let p, let slot):
            let old = replicas[p][0]
            let new = replicas[p][slot]
            add(p, slot: 0, broker: old, sign: -1)
            add(p, slot: slot, broker: new, sign: -1)
            replicas[p].swapAt(0, slot)
            add(p, slot: 0, broker: new, sign: 1)
            add(p, slot: slot, broker: old, sign: 1)
        }
    }

    /// Whether an action keeps the assignment valid: the partition may move, the destination takes replicas and
    /// does not already hold one of this partition.
    public func valid(_ a: BalanceAction) -> Bool {
        switch a {
        case .move(let p, let slot, let to):
            return !frozen[p] && destination[to] && slot < replicas[p].count && !replicas[p].contains(to)
        case .lead(let p, let slot):
            guard !frozen[p], slot > 0, slot < replicas[p].count, destination[replicas[p][slot]] else { return false }
            let isr = partitions[p].isr
            return isr.isEmpty || isr.contains(brokers[replicas[p][slot]].id)
        }
    }

    /// Replicas of partition p in rack r.
    func inRack(_ p: Int, _ r: Int) -> Int { replicas[p].reduce(0) { $0 + (rackOf[$1] == r ? 1 : 0) } }

    /// The most replicas of partition p that one rack may hold: one while racks without a replica exist, an
    /// even share when the replication factor exceeds the racks.
    func rackLimit(_ p: Int) -> Int {
        rackCount == 0 ? Int.max : (replicas[p].count + rackCount - 1) / rackCount
    }

    /// Brokers that take replicas, in index order.
    public let destinations: [Int]
    /// Every action moves load between brokers and keeps each total, so these are fixed at the start: the sum of
    /// each resource over all brokers, and of each capacity over the destinations (nil when one lacks it).
    private(set) var totals: [Double]
    private(set) var capacityTotals: [Double?]

    public func total(_ r: BrokerResource) -> Double { totals[r.ordinal] }
    public func capacityTotal(_ r: BrokerResource) -> Double? { capacityTotals[r.ordinal] }
}

extension BalanceState {
    /// `brokers`, the least loaded first: by disk when sizes are known, else by replica count; ties by index.
    /// (Keys are computed once: a comparator reading the state would copy it on every comparison.)
    func lightestFirst(_ brokers: [Int]) -> [Int] {
        var keys: [(Double, Int, Int)] = []
        keys.reserveCapacity(brokers.count)
        for b in brokers { keys.append((sizesKnown ? disk[b] : 0, replicaCount[b], b)) }
        keys.sort { $0 < $1 }
        return keys.map(\.2)
    }

    /// Destinations in a rack that holds fewer than `limit` replicas of partition p.
    func destinations(rackRoomFor p: Int, limit: Int) -> [Int] {
        var out: [Int] = []
        for d in destinations where inRack(p, rackOf[d]) < limit { out.append(d) }
        return out
    }

    /// Destinations holding fewer than `cap` replicas of topic t.
    func destinations(topic t: Int, below cap: Int32) -> [Int] {
        var out: [Int] = []
        for d in destinations where topicReplicas[t * brokers.count + d] < cap { out.append(d) }
        return out
    }
}
