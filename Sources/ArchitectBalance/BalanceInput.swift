// A cluster snapshot as the rebalancer's model: brokers (with added and removed ones), partitions with their
// sizes and rates, capacities from the flags or the log dirs. Internal topics are balanced too — they are
// replicas on brokers like any other — except a partition already being reassigned, which is left alone.

import ArchitectCore

public struct BalanceRequest: Sendable, Equatable {
    /// Broker ids to add, with their racks (nil when the cluster names none).
    public var add: [(id: Int32, rack: String?)]
    public var remove: [Int32]
    /// Capacity for every broker; nil fields come from the snapshot where it has them (disk from log dirs).
    public var capacity: BrokerCapacity
    /// Per topic, from an architecture file's plan: the bytes one copy of the topic holds and its produce rate,
    /// spread evenly over its partitions where the snapshot has no size or rate.
    public var topicEstimates: [String: (bytes: Double, bytesPerSecond: Double)] = [:]

    public init(add: [(id: Int32, rack: String?)] = [], remove: [Int32] = [], capacity: BrokerCapacity = .init()) {
        self.add = add
        self.remove = remove
        self.capacity = capacity
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.add.map(\.id) == b.add.map(\.id) && a.add.map(\.rack) == b.add.map(\.rack) && a.remove == b.remove
            && a.capacity == b.capacity
    }
}

public struct BalanceInputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var flag: String
    public var message: String
    public var description: String { "\(flag): \(message)" }
}

extension BalanceState {
    /// The model of `snapshot` with the request's brokers added and removed.
    // Long because: each flag checked against the snapshot, then brokers, partitions and the notes on what was
    // left alone.
    public static func from(_ snapshot: ClusterSnapshot, _ request: BalanceRequest, fanOut: Double = 1)
        throws(BalanceInputError) -> (state: BalanceState, notes: [String])
    {
        let ids = Set(snapshot.brokers.map(\.id))
        let known = snapshot.brokers.map(\.id).sorted().map(String.init).joined(separator: ", ")
        for r in request.remove where !ids.contains(r) {
            throw BalanceInputError(
                flag: "--remove-brokers", message: "broker \(r) is not in the cluster (its brokers: \(known))")
        }
        for a in request.add where ids.contains(a.id) {
            throw BalanceInputError(
                flag: "--add-brokers", message: "broker \(a.id) is already in the cluster: give a new id")
        }
        if Set(request.add.map(\.id)).count != request.add.count {
            throw BalanceInputError(flag: "--add-brokers", message: "a broker id is given twice")
        }
        let racked = snapshot.brokers.contains { $0.rack != nil }
        if racked, let a = request.add.first(where: { $0.rack == nil }) {
            throw BalanceInputError(
                flag: "--add-brokers",
                message:
                    "the cluster's brokers have racks: give broker \(a.id)'s, e.g. --add-brokers \(a.id):\(snapshot.brokers.compactMap(\.rack).sorted().first ?? "rack-a")"
            )
        }
        let remove = Set(request.remove)
        if remove.count >= snapshot.brokers.count + request.add.count {
            throw BalanceInputError(flag: "--remove-brokers", message: "no broker would be left to hold the replicas")
        }
        let diskByBroker = Dictionary(
            grouping: snapshot.logDirs.filter { $0.error == nil }, by: \.broker
        ).compactMapValues { dirs -> Double? in
            let total = dirs.compactMap(\.totalBytes)
            return total.count == dirs.count && !total.isEmpty ? Double(total.reduce(0, +)) : nil
        }
        func capacity(_ id: Int32) -> BrokerCapacity {
            var c = request.capacity
            if c.disk == nil { c.disk = diskByBroker[id] }
            return c
        }
        let brokers =
            snapshot.brokers.sorted { $0.id < $1.id }.map {
                BalanceBroker(id: $0.id, rack: $0.rack, capacity: capacity($0.id), removing: remove.contains($0.id))
            }
            + request.add.sorted { $0.id < $1.id }.map {
                BalanceBroker(id: $0.id, rack: $0.rack, capacity: request.capacity, added: true)
            }
        var partitions: [BalancePartition] = []
        var frozen: Set<Int> = []
        var moving = 0
        var orphaned: [String] = []
        var estimated: [String] = []
        for t in snapshot.topics.sorted(by: { $0.name < $1.name }) {
            let estimate = request.topicEstimates[t.name]
            let n = Double(max(t.partitions.count, 1))
            if estimate != nil && t.partitions.contains(where: { $0.sizeBytes == nil || $0.bytesInPerSecond == nil }) {
                estimated.append(t.name)
            }
            for p in t.partitions.sorted(by: { $0.partition < $1.partition }) {
                if p.reassigning {
                    frozen.insert(partitions.count)
                    moving += 1
                }
                // A replica on a broker Metadata does not list (it is down): the partition is left alone.
                if p.replicas.contains(where: { !ids.contains($0) }) {
                    frozen.insert(partitions.count)
                    orphaned.append("\(t.name)-\(p.partition)")
                }
                partitions.append(
                    BalancePartition(
                        topic: t.name, partition: p.partition,
                        replicas: p.reassigning ? p.replicas.filter { !p.removingReplicas.contains($0) } : p.replicas,
                        sizeBytes: p.sizeBytes.map(Double.init) ?? estimate.map { $0.bytes / n },
                        bytesInPerSecond: p.bytesInPerSecond ?? estimate.map { $0.bytesPerSecond / n }))
            }
        }
        var notes: [String] = []
        if moving > 0 {
            notes.append(
                "\(moving) partitions are being reassigned now: left as they are (their target replicas counted)")
        }
        if !orphaned.isEmpty {
            notes.append(
                "\(orphaned.count) partitions have a replica on a broker Metadata does not list (down?): left as they are, e.g. \(orphaned.prefix(3).joined(separator: ", "))"
            )
        }
        let named = Set(snapshot.topics.map(\.name))
        let unmatched = request.topicEstimates.keys.filter { !named.contains($0) }.sorted()
        if !unmatched.isEmpty {
            notes.append(
                "the architecture file's topics not in the snapshot, so not used: \(unmatched.prefix(5).joined(separator: ", "))"
            )
        }
        if !estimated.isEmpty {
            notes.append(
                "sizes or rates of \(estimated.count) topic\(estimated.count == 1 ? "" : "s") estimated from the architecture file's plan (retained bytes and produce rate spread evenly over partitions): \(estimated.prefix(5).joined(separator: ", "))"
            )
        }
        if !snapshot.topics.isEmpty && partitions.contains(where: { $0.sizeBytes == nil }) {
            notes.append("the snapshot has no partition sizes: replicas are balanced by count, not by bytes")
        }
        return (BalanceState(brokers: brokers, partitions: partitions, frozen: frozen, fanOut: fanOut), notes)
    }
}
