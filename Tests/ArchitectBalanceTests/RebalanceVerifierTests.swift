import ArchitectCore
import Testing

@testable import ArchitectBalance

/// Cruise Control's OptimizationVerifier, here: random clusters of varied shapes, every goal checked after the
/// plan, the validity rules, and movement never above a full reshuffle. Expected values are computed in the
/// test from the clusters it generates, never from the optimiser's own figures.
@Suite struct RebalanceVerifierTests {
    /// A deterministic generator (SplitMix64), so a failing seed can be replayed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// A skewed cluster: `hot` brokers get twice the replicas of the others; racks round-robin (one short).
    static func cluster(seed: UInt64, brokers: Int, racks: Int, partitions: Int, rf: Int, hot: Int) -> ClusterSnapshot {
        var r = Random(state: seed)
        let ids = (1...brokers).map(Int32.init)
        let weights = ids.map { $0 <= Int32(hot) ? 2 : 1 }
        let pool = zip(ids, weights).flatMap { id, w in Array(repeating: id, count: w) }
        var topics: [ClusterSnapshot.Topic] = []
        var made = 0
        var t = 0
        while made < partitions {
            let n = min(1 + r.int(12), partitions - made)
            let parts = (0..<n).map { p -> ClusterSnapshot.Partition in
                var replicas: [Int32] = []
                while replicas.count < rf {
                    let b = pool[r.int(pool.count)]
                    if !replicas.contains(b) { replicas.append(b) }
                }
                let size = Int64(1 + r.int(1000)) * 1_000_000
                return .init(
                    partition: Int32(p), leader: replicas[0], replicas: replicas, isr: replicas, sizeBytes: size,
                    bytesInPerSecond: Double(size) / 100_000)
            }
            topics.append(.init(name: "t\(t)", partitions: parts))
            made += n
            t += 1
        }
        return ClusterSnapshot(
            takenAt: "2026-12-03T00:00:00Z", clusterId: "v",
            brokers: ids.map {
                .init(id: $0, host: "b\($0)", port: 9092, rack: racks > 0 ? "r\(Int($0) % racks)" : nil)
            },
            topics: topics)
    }

    /// Everything the verifier checks, computed here from the two assignments.
    static func check(_ r: RebalanceResult, _ s: ClusterSnapshot, removed: Set<Int32> = []) {
        #expect(r.invalid.isEmpty, "\(r.invalid.prefix(3))")
        let before = Dictionary(
            s.topics.flatMap { t in t.partitions.map { ("\(t.name)-\($0.partition)", $0.replicas) } },
            uniquingKeysWith: { a, _ in a })
        let known = Set(s.brokers.map(\.id))
        var moved = 0
        for m in r.moves {
            let old = before["\(m.topic)-\(m.partition)"] ?? []
            #expect(m.before == old)
            #expect(m.after.count == old.count, "RF changed for \(m.topic)-\(m.partition)")
            #expect(Set(m.after).count == m.after.count, "a broker twice in \(m.after)")
            let added = Set(r.final.brokers.filter(\.added).map(\.id))
            #expect(m.after.allSatisfy { known.contains($0) || added.contains($0) })
            #expect(m.after.allSatisfy { !removed.contains($0) || old.contains($0) })
            moved += m.after.filter { !old.contains($0) }.count
        }
        #expect(moved == r.replicasMoved)
        // Never more than a full reshuffle: every replica placed anew, or what kafka-reassign-partitions.sh
        // --generate's round-robin assignment would move.
        let total = s.topics.reduce(0) { $0 + $1.partitions.reduce(0) { $0 + $1.replicas.count } }
        #expect(r.replicasMoved <= total)
        #expect(r.replicasMoved <= generateMoves(s), "\(r.replicasMoved) vs \(generateMoves(s))")
        // Every evaluated hard goal holds. The first soft goal is no worse than before unless brokers are removed
        // (their replicas must land somewhere); later soft goals may give way to the goals above them, as in
        // Cruise Control.
        for g in r.goals where g.notEvaluated == nil {
            if g.hard { #expect(g.satisfied == true, "\(g.name): \(g.after?.text ?? "")") }
        }
        if removed.isEmpty, let g = r.goals.first(where: { !$0.hard && $0.notEvaluated == nil }),
            let b = g.before?.value, let a = g.after?.value
        {
            #expect(a <= b + 1e-9, "\(g.name) got worse: \(g.before?.text ?? "") → \(g.after?.text ?? "")")
        }
    }

    /// Replicas a `--generate` reassignment would move: Kafka's assignReplicasToBrokers (no racks) for every
    /// topic, from start index 0 and shift 0, against today's lists.
    static func generateMoves(_ s: ClusterSnapshot) -> Int {
        let ids = s.brokers.map(\.id).sorted()
        let n = ids.count
        var moved = 0
        for t in s.topics {
            var shift = 0
            for (i, p) in t.partitions.enumerated() {
                if i > 0 && i % n == 0 { shift += 1 }
                let first = i % n
                var new = [ids[first]]
                for j in 0..<(p.replicas.count - 1) { new.append(ids[(first + 1 + (shift + j) % (n - 1)) % n]) }
                moved += Set(new).subtracting(p.replicas).count
            }
        }
        return moved
    }

    @Test(arguments: [
        (UInt64(1), 12, 3, 600, 3, 3), (2, 9, 3, 400, 3, 2), (3, 7, 2, 300, 2, 1), (4, 20, 4, 1500, 3, 5),
        (5, 6, 0, 200, 3, 2), (6, 10, 5, 500, 4, 3),
    ])
    func randomClustersSatisfyEveryHardGoal(
        seed: UInt64, brokers: Int, racks: Int, partitions: Int, rf: Int, hot: Int
    ) throws {
        let s = Self.cluster(seed: seed, brokers: brokers, racks: racks, partitions: partitions, rf: rf, hot: hot)
        let (state, _) = try BalanceState.from(s, BalanceRequest())
        let r = Rebalancer(goals: Rebalancer.defaultGoals()).run(state)
        Self.check(r, s)
        // The skew is gone: every broker's replica count within the band the test computes (mean ± 10%, rounded
        // outward) — where racks allow it: with as many replicas as racks and racks of unequal size, each rack
        // holds one replica of every partition, so the brokers of a small rack must hold more.
        let counts = Dictionary(grouping: r.final.replicas.flatMap { $0 }, by: { $0 }).mapValues(\.count)
        let mean = Double(partitions * rf) / Double(brokers)
        if racks == 0 || brokers % racks == 0 {
            for b in 0..<brokers {
                let n = Double(counts[b] ?? 0)
                #expect(
                    n <= (mean * 1.1).rounded(.up) && n >= (mean * 0.9).rounded(.down),
                    "broker \(b + 1): \(n) vs \(mean)")
            }
        } else {
            let before = Dictionary(grouping: s.topics.flatMap(\.partitions).flatMap(\.replicas), by: { $0 })
            #expect((counts.values.max() ?? 0) <= (before.values.map(\.count).max() ?? 0))
        }
        // Racks: no two replicas of a partition in one rack while racks without one exist.
        if racks > 0 {
            for reps in r.final.replicas {
                let perRack = Dictionary(grouping: reps, by: { r.final.rackOf[$0] }).mapValues(\.count)
                #expect(perRack.values.max() ?? 0 <= (reps.count + racks - 1) / racks)
            }
        }
        // The same input gives the same plan.
        let again = Rebalancer(goals: Rebalancer.defaultGoals()).run(state)
        #expect(again.moves == r.moves)
    }

    @Test func removingABrokerLeavesNothingOnIt() throws {
        let s = Self.cluster(seed: 7, brokers: 9, racks: 3, partitions: 300, rf: 3, hot: 0)
        let (state, _) = try BalanceState.from(s, BalanceRequest(remove: [4]))
        let r = Rebalancer(goals: Rebalancer.defaultGoals()).run(state)
        Self.check(r, s, removed: [4])
        let onFour = s.topics.flatMap(\.partitions).filter { $0.replicas.contains(4) }.count
        #expect(onFour > 0)
        let index = try #require(r.final.brokers.firstIndex { $0.id == 4 })
        #expect(r.final.replicaCount[index] == 0)
        // At least every replica that was on broker 4 moved.
        #expect(r.replicasMoved >= onFour)
    }

    @Test func addedBrokersTakeTheirShare() throws {
        let s = Self.cluster(seed: 8, brokers: 6, racks: 3, partitions: 300, rf: 3, hot: 0)
        let (state, _) = try BalanceState.from(s, BalanceRequest(add: [(7, "r1"), (8, "r2"), (9, "r0")]))
        let r = Rebalancer(goals: Rebalancer.defaultGoals()).run(state)
        Self.check(r, s)
        // 900 replicas over 9 brokers: each new one gets at least 90% of 100.
        for id: Int32 in [7, 8, 9] {
            let i = try #require(r.final.brokers.firstIndex { $0.id == id })
            #expect(r.final.replicaCount[i] >= 90, "broker \(id): \(r.final.replicaCount[i])")
        }
    }

    @Test func aBalancedClusterMovesNothing() throws {
        // Round-robin on six brokers in three racks: already balanced and rack-aware.
        let parts = (0..<60).map { p -> ClusterSnapshot.Partition in
            let r = (0..<3).map { Int32((p + $0 * 2) % 6 + 1) }
            return .init(partition: Int32(p), leader: r[0], replicas: r, isr: r, sizeBytes: 1_000_000)
        }
        let s = ClusterSnapshot(
            takenAt: "t", clusterId: "b",
            brokers: (1...6).map { .init(id: Int32($0), host: "h", port: 1, rack: "r\($0 % 3)") },
            topics: [.init(name: "even", partitions: parts)])
        let (state, _) = try BalanceState.from(s, BalanceRequest())
        let r = Rebalancer(goals: Rebalancer.defaultGoals()).run(state)
        #expect(r.moves.isEmpty, "\(r.moves.prefix(3))")
    }

    @Test func badRequestsNameTheFlag() {
        let s = Self.cluster(seed: 9, brokers: 3, racks: 0, partitions: 10, rf: 2, hot: 0)
        #expect(throws: BalanceInputError.self) { try BalanceState.from(s, BalanceRequest(remove: [9])) }
        do {
            _ = try BalanceState.from(s, BalanceRequest(add: [(2, nil)]))
            Issue.record("adding an existing broker was accepted")
        } catch {
            #expect(error.flag == "--add-brokers")
            #expect(error.message.contains("already in the cluster"))
        }
    }
}
