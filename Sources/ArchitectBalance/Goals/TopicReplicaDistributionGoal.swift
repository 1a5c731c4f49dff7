/// Soft: each topic's replicas spread evenly over the brokers (Cruise Control's TopicReplicaDistributionGoal),
/// so one topic's traffic does not pile onto a few brokers: no broker holds more than its share of a topic plus
/// the balance margin, and at least Cruise Control's minimum gap of 2 over the share (topic.replica.count.balance
/// .min.gap) — a tighter cap on small topics would copy a lot of data for little spread.
public struct TopicReplicaDistributionGoal: BalanceGoal {
    public let name = "TopicReplicaDistributionGoal"
    public let hard = false
    public let balance: Double

    public init(balance: Double = 0.10) { self.balance = balance }

    static let minGap = 2.0

    public func unavailable(_ s: BalanceState) -> String? { nil }

    func upper(_ s: BalanceState, _ t: Int) -> Int32 {
        let share = Double(s.topicSize[t]) / Double(max(s.destinations.count, 1))
        return Int32(max((share * (1 + balance)).rounded(.up), (share + Self.minGap).rounded(.up)))
    }

    public func measure(_ s: BalanceState) -> GoalMeasure {
        var over = 0
        for t in s.topicNames.indices {
            let cap = upper(s, t)
            for b in s.destinations where s.topicReplicas[t * s.brokerCount + b] > cap { over += 1 }
        }
        return GoalMeasure(
            over == 0
                ? "no broker holds more than its share of a topic"
                : "\(BalanceFormat.count(Double(over))) topic–broker pairs above the topic's share",
            satisfied: over == 0, value: Double(over))
    }

    public func accepts(_ a: BalanceAction, _ s: BalanceState) -> Bool {
        guard case .move(let p, let slot, let to) = a else { return true }
        let t = s.topicOf[p]
        let here = s.topicReplicas[t * s.brokerCount + to] + 1
        return here <= upper(s, t) || here <= s.topicReplicas[t * s.brokerCount + s.replicas[p][slot]] - 1
    }

    public func optimize(_ s: inout BalanceState, _ ctx: inout OptimizeContext) {
        var byTopic: [[Int]] = Array(repeating: [], count: s.topicNames.count)
        for p in s.replicas.indices where !s.frozen[p] { byTopic[s.topicOf[p]].append(p) }
        for t in byTopic.indices {
            let cap = upper(s, t)
            let n = s.brokerCount
            guard s.destinations.contains(where: { s.topicReplicas[t * n + $0] > cap }) else { continue }
            // The topic's smallest partitions move first: the least data for the same spread.
            let parts = byTopic[t].sorted { (s.size[$0], $0) < (s.size[$1], $1) }
            for p in parts {
                for slot in s.replicas[p].indices.reversed() where s.topicReplicas[t * n + s.replicas[p][slot]] > cap {
                    let dests = s.lightestFirst(s.destinations(topic: t, below: cap))
                    for to in dests where ctx.attempt(.move(partition: p, slot: slot, to: to), &s) { break }
                }
            }
        }
    }
}
