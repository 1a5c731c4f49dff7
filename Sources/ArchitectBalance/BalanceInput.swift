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
    public static func from(_ snapshot: ClusterSnapshot, _ request: BalanceRequest, fanOut: Double = 1)
        throws(BalanceInputError) -> (state: BalanceState, notes: [String])
    {
        var notes: [String] = []
        let brokers = try Self.brokers(snapshot, request, &notes)
        var (partitions, frozen) = Self.partitions(snapshot, request, brokers, &notes)
        let remaining = brokers.filter { !$0.removing }.count
        if let p = partitions.first(where: { $0.replicas.count > remaining }) {
            throw BalanceInputError(
                flag: "--remove-brokers",
                message:
                    "\(p.topic)-\(p.partition) has \(p.replicas.count) replicas but only \(remaining) brokers would remain: remove fewer, or add brokers with --add-brokers"
            )
        }
        Self.estimateMissing(&partitions, &notes)
        if !frozen.isEmpty && frozen.count == partitions.count { notes.append("every partition is left as it is") }
        frozen = frozen.filter { $0 < partitions.count }
        return (BalanceState(brokers: brokers, partitions: partitions, frozen: frozen, fanOut: fanOut), notes)
    }

    /// The brokers: Metadata's, the added ones, and those named for removal — including a broker that is down
    /// (in replica lists, not in Metadata), whose replicas are then re-created from the in-sync ones.
    // Long because: each flag checked against the snapshot, then capacities for existing, dead and added brokers.
    static func brokers(_ snapshot: ClusterSnapshot, _ request: BalanceRequest, _ notes: inout [String])
        throws(BalanceInputError) -> [BalanceBroker]
    {
        let ids = Set(snapshot.brokers.map(\.id))
        let listed = Set(snapshot.topics.flatMap { $0.partitions.flatMap(\.replicas) })
        let dead = listed.subtracting(ids)
        let known = snapshot.brokers.map(\.id).sorted().map(String.init).joined(separator: ", ")
        for r in request.remove where !ids.contains(r) && !dead.contains(r) {
            throw BalanceInputError(
                flag: "--remove-brokers", message: "broker \(r) is not in the cluster (its brokers: \(known))")
        }
        for a in request.add where ids.contains(a.id) || dead.contains(a.id) {
            throw BalanceInputError(
                flag: "--add-brokers",
                message: ids.contains(a.id)
                    ? "broker \(a.id) is already in the cluster: give a new id"
                    : "broker \(a.id) still holds replicas (it is down): drain it with --remove-brokers \(a.id), or give a new id"
            )
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
        if remove.subtracting(dead).count >= snapshot.brokers.count + request.add.count {
            throw BalanceInputError(flag: "--remove-brokers", message: "no broker would be left to hold the replicas")
        }
        let racks = Set(snapshot.brokers.compactMap(\.rack))
        for a in request.add where a.rack.map({ !racks.contains($0) }) == true && racked {
            notes.append(
                "broker \(a.id) is in rack \(a.rack ?? ""), which no broker has today: a new rack (check the name)")
        }
        // A broker without a rack among brokers with racks counts as a rack of its own kind.
        let rackless = snapshot.brokers.filter { $0.rack == nil }.map(\.id)
        if racked && !rackless.isEmpty {
            notes.append(
                "brokers \(rackless.map(String.init).joined(separator: ",")) name no rack (broker.rack): counted as one rack, \"(no rack)\""
            )
        }
        let disk = Self.logDirCapacity(snapshot)
        func capacity(_ id: Int32) -> BrokerCapacity {
            var c = request.capacity
            if c.disk == nil { c.disk = disk[id] }
            return c
        }
        var addedCapacity = request.capacity
        if addedCapacity.disk == nil, !request.add.isEmpty, let least = disk.values.min(), disk.count == ids.count {
            addedCapacity.disk = least
            notes.append(
                "added brokers are given the smallest disk the log dirs show (\(BalanceFormat.bytes(least))): give --disk-capacity if theirs differs"
            )
        }
        var out = snapshot.brokers.sorted { $0.id < $1.id }.map {
            BalanceBroker(
                id: $0.id, rack: $0.rack ?? (racked ? "(no rack)" : nil), capacity: capacity($0.id),
                removing: remove.contains($0.id))
        }
        for d in dead.sorted() where remove.contains(d) {
            out.append(BalanceBroker(id: d, rack: nil, capacity: request.capacity, removing: true))
            notes.append(
                "broker \(d) is down (in replica lists, not in Metadata): its replicas are re-created from the in-sync replicas on other brokers"
            )
        }
        out += request.add.sorted { $0.id < $1.id }.map {
            BalanceBroker(id: $0.id, rack: $0.rack, capacity: addedCapacity, added: true)
        }
        return out
    }

    /// Disk per broker from the log dirs' total bytes, where every dir of the broker gives one.
    static func logDirCapacity(_ snapshot: ClusterSnapshot) -> [Int32: Double] {
        Dictionary(grouping: snapshot.logDirs.filter { $0.error == nil }, by: \.broker).compactMapValues {
            dirs -> Double? in
            let total = dirs.compactMap(\.totalBytes)
            return total.count == dirs.count && !total.isEmpty ? Double(total.reduce(0, +)) : nil
        }
    }

    // Long because: each partition with the reasons it may be left alone, and the estimates the file gives.
    static func partitions(
        _ snapshot: ClusterSnapshot, _ request: BalanceRequest, _ brokers: [BalanceBroker], _ notes: inout [String]
    ) -> ([BalancePartition], Set<Int>) {
        let present = Set(brokers.map(\.id))
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
                // A replica on a broker that is down and not being removed: the partition is left alone.
                if p.replicas.contains(where: { !present.contains($0) }) {
                    frozen.insert(partitions.count)
                    orphaned.append("\(t.name)-\(p.partition)")
                }
                partitions.append(
                    BalancePartition(
                        topic: t.name, partition: p.partition,
                        replicas: p.reassigning ? p.replicas.filter { !p.removingReplicas.contains($0) } : p.replicas,
                        sizeBytes: p.sizeBytes.map(Double.init) ?? estimate.map { $0.bytes / n },
                        bytesInPerSecond: p.bytesInPerSecond ?? estimate.map { $0.bytesPerSecond / n },
                        leader: p.leader, isr: p.isr))
            }
        }
        if moving > 0 {
            notes.append(
                "\(moving) partitions are being reassigned now: left as they are (their target replicas counted); kafka-reassign-partitions.sh refuses a new plan until that one completes (or give it --additional), and --verify of this plan would remove the throttle the running one relies on"
            )
        }
        if !orphaned.isEmpty {
            notes.append(
                "\(orphaned.count) partitions have a replica on a broker Metadata does not list (down?): left as they are (drain it with --remove-brokers), e.g. \(orphaned.prefix(3).joined(separator: ", "))"
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
        return (partitions, frozen)
    }

    /// Partitions without a size (or rate) when others have one: the median of their topic's known ones, else of
    /// the cluster's, so one missing figure does not switch the disk goals off; the note says how many.
    static func estimateMissing(_ partitions: inout [BalancePartition], _ notes: inout [String]) {
        func median(_ v: [Double]) -> Double? {
            guard !v.isEmpty else { return nil }
            let s = v.sorted()
            return s[s.count / 2]
        }
        for (field, name) in [(\BalancePartition.sizeBytes, "size"), (\BalancePartition.bytesInPerSecond, "rate")] {
            let known = partitions.compactMap { $0[keyPath: field] }
            let missing = partitions.indices.filter { partitions[$0][keyPath: field] == nil }
            if partitions.isEmpty || missing.isEmpty { continue }
            guard let overall = median(known) else {
                if name == "size" {
                    notes.append("the snapshot has no partition sizes: replicas are balanced by count, not by bytes")
                }
                continue
            }
            var byTopic: [String: [Double]] = [:]
            for p in partitions { if let v = p[keyPath: field] { byTopic[p.topic, default: []].append(v) } }
            for i in missing { partitions[i][keyPath: field] = median(byTopic[partitions[i].topic] ?? []) ?? overall }
            let examples = missing.prefix(3).map { "\(partitions[$0].topic)-\(partitions[$0].partition)" }
            notes.append(
                "\(missing.count) partitions have no \(name) in the snapshot: taken as the median of their topic's (or the cluster's), e.g. \(examples.joined(separator: ", ")) — their figures may be off by that much"
            )
        }
    }
}
