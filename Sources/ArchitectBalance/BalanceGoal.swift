// A rebalancing goal (Cruise Control's Goal): it measures the cluster, improves it with actions its
// optimisation chooses, and vetoes actions that would undo it once a lower-priority goal runs. The order of the
// goal list is the priority; hard goals must hold for a plan to be accepted.

import ArchitectCore

/// How a goal stands on a state.
public struct GoalMeasure: Sendable, Equatable, Codable {
    /// In the user's words: "3 partitions with two replicas in one rack", "1,020–1,480 replicas (band 1,170–1,430)".
    public var text: String
    public var satisfied: Bool
    /// One number to compare before and after (violations, or the spread the goal narrows).
    public var value: Double

    public init(_ text: String, satisfied: Bool, value: Double) {
        self.text = text
        self.satisfied = satisfied
        self.value = value
    }
}

/// What the optimiser lets a goal do: actions that keep the assignment valid and that every goal above it
/// accepts, within the move budget.
public struct OptimizeContext {
    public let guards: [any BalanceGoal]
    /// Replica moves still allowed (`--max-moves`).
    public var movesLeft: Int

    public init(guards: [any BalanceGoal], movesLeft: Int) {
        self.guards = guards
        self.movesLeft = movesLeft
    }

    public func allowed(_ a: BalanceAction, _ s: BalanceState) -> Bool {
        if case .move = a, movesLeft <= 0 { return false }
        return s.valid(a) && guards.allSatisfy { $0.accepts(a, s) }
    }

    /// Applies `a` when allowed; true when it was.
    public mutating func attempt(_ a: BalanceAction, _ s: inout BalanceState) -> Bool {
        guard allowed(a, s) else { return false }
        s.apply(a)
        if case .move = a { movesLeft -= 1 }
        return true
    }
}

public protocol BalanceGoal: Sendable {
    /// Cruise Control's name where there is one (`RackAwareGoal`, `DiskCapacityGoal`, …).
    var name: String { get }
    var hard: Bool { get }
    /// Why the goal cannot be evaluated here (no sizes, no rates, no capacity, no racks), or nil.
    func unavailable(_ s: BalanceState) -> String?
    func measure(_ s: BalanceState) -> GoalMeasure
    /// Whether `a` leaves this goal no worse. Called only on valid actions.
    func accepts(_ a: BalanceAction, _ s: BalanceState) -> Bool
    func optimize(_ s: inout BalanceState, _ ctx: inout OptimizeContext)
}

/// A per-broker load the goals balance or cap.
public enum BrokerResource: String, Sendable, CaseIterable {
    case replicas, leaders, disk, networkIn, networkOut, leaderBytesIn

    var ordinal: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public func value(_ s: BalanceState, _ b: Int) -> Double {
        switch self {
        case .replicas: Double(s.replicaCount[b])
        case .leaders: Double(s.leaderCount[b])
        case .disk: s.disk[b]
        case .networkIn: s.networkIn[b]
        case .networkOut: s.networkOut[b]
        case .leaderBytesIn: s.leaderBytesIn[b]
        }
    }

    /// How much of this load an action takes from one broker to another; nil when it moves none.
    public func effect(_ a: BalanceAction, _ s: BalanceState) -> (from: Int, to: Int, amount: Double)? {
        switch a {
        case .move(let p, let slot, let to):
            let leader = slot == 0
            let amount: Double =
                switch self {
                case .replicas: 1
                case .leaders: leader ? 1 : 0
                case .disk: s.size[p]
                case .networkIn: s.rate[p]
                case .networkOut: leader ? s.rate[p] * (Double(s.replicas[p].count - 1) + s.fanOut) : 0
                case .leaderBytesIn: leader ? s.rate[p] : 0
                }
            return amount > 0 ? (s.replicas[p][slot], to, amount) : nil
        case .lead(let p, let slot):
            let amount: Double =
                switch self {
                case .replicas, .disk, .networkIn: 0
                case .leaders: 1
                case .networkOut: s.rate[p] * (Double(s.replicas[p].count - 1) + s.fanOut)
                case .leaderBytesIn: s.rate[p]
                }
            return amount > 0 ? (s.replicas[p][0], s.replicas[p][slot], amount) : nil
        }
    }

    /// Whether leadership changes alone move this load.
    var movesWithLeadership: Bool { [.leaders, .networkOut, .leaderBytesIn].contains(self) }

    public func capacity(_ c: BrokerCapacity) -> Double? {
        switch self {
        case .replicas: c.maxReplicas.map(Double.init)
        case .disk: c.disk
        case .networkIn: c.networkIn
        case .networkOut: c.networkOut
        case .leaders, .leaderBytesIn: nil
        }
    }

    /// Why this load is unknown on `s`, or nil.
    func unknown(_ s: BalanceState) -> String? {
        switch self {
        case .disk where !s.sizesKnown: "the snapshot has no partition sizes (DescribeLogDirs)"
        case .networkIn, .networkOut, .leaderBytesIn:
            s.ratesKnown ? nil : "the snapshot has no byte rates (take it with `cluster snapshot --rate-window 30s`)"
        default: nil
        }
    }

    public func format(_ v: Double) -> String {
        switch self {
        case .replicas, .leaders: BalanceFormat.count(v)
        case .disk: BalanceFormat.bytes(v)
        case .networkIn, .networkOut, .leaderBytesIn: BalanceFormat.bytes(v) + "/s"
        }
    }
}

/// The replica slots of every partition, by the broker holding them: what a goal scans to shed load.
struct ReplicaIndex {
    var byBroker: [[(partition: Int, slot: Int)]]

    init(_ s: BalanceState) {
        byBroker = Array(repeating: [], count: s.brokerCount)
        for p in s.replicas.indices where !s.frozen[p] {
            for (slot, b) in s.replicas[p].enumerated() { byBroker[b].append((p, slot)) }
        }
    }
}

/// Numbers as the report prints them.
public enum BalanceFormat {
    public static func count(_ v: Double) -> String { Format.grouped(v, decimals: 0) }

    /// Decimal units (GB = 10⁹ bytes), three significant figures.
    public static func bytes(_ v: Double) -> String {
        let units = ["B", "KB", "MB", "GB", "TB", "PB"]
        var x = v
        var i = 0
        while abs(x) >= 1000 && i < units.count - 1 {
            x /= 1000
            i += 1
        }
        if i == 0 { return Format.grouped(x, decimals: 0) + " B" }
        let digits = abs(x) >= 100 ? 0 : abs(x) >= 10 ? 1 : 2
        return fixed(x, digits) + " " + units[i]
    }

    public static func percent(_ v: Double) -> String { fixed(v * 100, 1) + "%" }

    /// `digits` decimals, kept even when zero (`7.20`).
    public static func fixed(_ v: Double, _ digits: Int) -> String { Format.grouped(v, decimals: digits, fixed: true) }
}
