/// Hard, first when brokers are removed: every replica leaves the brokers named by `--remove-brokers`. Each
/// goes to the least loaded broker that keeps the partition's racks spread, and that the goals above accept.
public struct BrokerRemovalGoal: BalanceGoal {
    public let name = "BrokerRemovalGoal"
    public let hard = true
    public init() {}

    public func unavailable(_ s: BalanceState) -> String? {
        s.brokers.contains(where: \.removing) ? nil : "no broker is being removed"
    }

    public func measure(_ s: BalanceState) -> GoalMeasure {
        let left = s.brokers.indices.filter { s.brokers[$0].removing }.reduce(0) { $0 + s.replicaCount[$1] }
        return GoalMeasure(
            left == 0
                ? "no replicas on the brokers being removed"
                : "\(BalanceFormat.count(Double(left))) replicas on the brokers being removed",
            satisfied: left == 0, value: Double(left))
    }

    /// Nothing moves onto a broker being removed (the model refuses it), so every valid action is accepted.
    public func accepts(_ a: BalanceAction, _ s: BalanceState) -> Bool { true }

    public func optimize(_ s: inout BalanceState, _ ctx: inout OptimizeContext) {
        let rack = RackAwareGoal()
        let racked = rack.unavailable(s) == nil
        let index = ReplicaIndex(s)
        for b in s.brokers.indices where s.brokers[b].removing {
            for (p, slot) in index.byBroker[b] where s.replicas[p][slot] == b {
                let order = s.lightestFirst(s.destinations)
                // Prefer a destination that keeps the racks spread; else any the goals above accept.
                var spread: [Int] = []
                for to in order where !racked || rack.accepts(.move(partition: p, slot: slot, to: to), s) {
                    spread.append(to)
                }
                var moved = false
                for to in spread where ctx.attempt(.move(partition: p, slot: slot, to: to), &s) {
                    moved = true
                    break
                }
                if !moved {
                    for to in order where ctx.attempt(.move(partition: p, slot: slot, to: to), &s) { break }
                }
            }
        }
    }
}
