// The broker count: every registered constraint (Constraints/BrokerConstraints.swift) asked in order,
// the largest binding, rounded up to whole zones unless the count is given.

/// The broker count and how each constraint stands against it.
struct Sizing: Sendable {
    let constraints: [ConstraintResult]
    /// The binding constraint's fractional brokers.
    let requiredBrokers: Double
    let brokers: Int
    let binding: ConstraintKind
}

extension CapacityPlanner {
    /// Records every constraint's figure, in registry order, then the broker count.
    static func size(_ context: ConstraintContext, book: inout FigureBook) -> Sizing {
        let required = BrokerConstraints.all.map { ($0, $0.record(in: context, book: &book)) }
        // The largest binds; within floating-point dust of a tie, the earlier constraint keeps it.
        let (binding, need) = required.reduce(required[0]) { $1.1 > $0.1 + 1e-9 ? $1 : $0 }
        let brokers = brokerCount(context.environment, binding: binding.kind, need: need, book: &book)
        let n = Double(brokers)
        // Data sits by zone: with unequal zones the fullest brokers are those of the smallest zone, as if the
        // cluster had zones × ⌊brokers ÷ zones⌋ of them.
        let zones = min(context.availabilityZones, n)
        let dataBrokers = max(1, zones * (n / zones).rounded(.down))
        let constraints = required.map { constraint, value in
            let perData = [ConstraintKind.diskCapacity, .recovery].contains(constraint.kind)
            return ConstraintResult(
                kind: constraint.kind, requiredBrokers: FigureBook.tidy(value, .ratio), minimumBrokers: ceilInt(value),
                shareOfBinding: FigureBook.tidy(need > 0 ? value / need : 0, .ratio),
                utilizationOfTarget: FigureBook.tidy(value / (perData ? dataBrokers : n), .ratio),
                binding: constraint.kind == binding.kind, figureId: constraint.figureId)
        }
        return Sizing(constraints: constraints, requiredBrokers: need, brokers: brokers, binding: binding.kind)
    }

    /// Records the broker count: the one given, or the binding constraint's rounded up to a multiple of the
    /// zones so every zone holds the same number of brokers.
    static func brokerCount(_ env: Environment, binding: ConstraintKind, need: Double, book: inout FigureBook) -> Int {
        if let fixed = env.brokers {
            return book.record(
                "brokers", "Brokers (given)", Double(fixed), .brokers,
                formula: "environment.brokers", inputs: [Term("brokers", Double(fixed), .brokers)]
            ).asInt
        }
        let zones = Double(env.availabilityZones)
        let minimum = ceilInt(need)
        let brokers = book.record(
            "brokers", "Brokers", (Double(minimum) / zones).rounded(.up) * zones, .brokers,
            formula: "⌈⌈\(binding.rawValue)⌉ ÷ availabilityZones⌉ × availabilityZones",
            inputs: [Term(binding.rawValue, need, .brokers), Term("availabilityZones", zones, .count)])
        return brokers.asInt
    }
}
