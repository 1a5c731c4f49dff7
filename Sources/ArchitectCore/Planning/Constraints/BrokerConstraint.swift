// Broker-count constraints as values: each one a small type that says how many brokers it needs and
// why. The planner sizes the cluster by the largest; see docs/plan.md, "Broker count".

/// One reason a cluster needs brokers: a resource (network, disk, CPU) or a rule (availability, replica
/// density) whose demand, divided by what one broker offers, is a broker count. The same shape Cruise
/// Control gives its goals: one type per constraint, asked in a fixed order, with no knowledge of the others.
///
/// The contract every constraint meets:
/// - `kind` is its own: no two constraints in `BrokerConstraints.all` share one. Its figure is recorded
///   as `constraints.<kind.rawValue>` (unit `.brokers`) under `label`, and the plan's
///   `ConstraintResult.figureId` points at it.
/// - `requirement(in:)` is pure: it reads only the context, records nothing, and gives the same answer for
///   the same context. The planner calls it for every candidate instance type, for the plan and at the
///   growth factor, and records the answer itself (`record(in:book:)`), in registry order.
/// - `BrokerRequirement.brokers` is fractional and not rounded (the planner rounds up, then up to whole
///   zones); a resource's count already allows for `policy.targetUtilization`.
/// - `formula` names its inputs by the `Term` names in `inputs`, and `inputs` holds every value the
///   formula uses, so the figure explains itself. docs/plan.md states the same formula: change both together.
/// - `scalesWithThroughput` is true when the count grows in proportion to message rate. The runway
///   ("load multiple the planned brokers carry") ends at the first such constraint to reach the planned
///   count; the others (availability, replica density) do not move with load.
protocol BrokerConstraint: Sendable {
    var kind: ConstraintKind { get }
    /// The figure's label, e.g. "Brokers for network in".
    var label: String { get }
    var scalesWithThroughput: Bool { get }
    func requirement(in context: ConstraintContext) -> BrokerRequirement
}

/// How many brokers a constraint needs, with the formula and inputs that explain the number.
struct BrokerRequirement: Sendable, Equatable {
    /// Fractional brokers, before rounding up.
    let brokers: Double
    let formula: String
    let inputs: [Term]

    init(_ brokers: Double, formula: String, inputs: [Term]) {
        self.brokers = brokers
        self.formula = formula
        self.inputs = inputs
    }
}

extension BrokerConstraint {
    /// The id of the figure that explains this constraint.
    var figureId: String { "constraints.\(kind.rawValue)" }

    /// Evaluates the constraint, records its figure, and returns the fractional broker count.
    func record(in context: ConstraintContext, book: inout FigureBook) -> Double {
        let r = requirement(in: context)
        return book.record(figureId, label, r.brokers, .brokers, formula: r.formula, inputs: r.inputs)
    }
}

/// What a constraint may read: the architecture, the instance type being evaluated, and the workload
/// figures already recorded (unrounded, summed over topics).
struct ConstraintContext: Sendable {
    let architecture: Architecture
    let instance: InstanceType
    /// Each topic's plan, for a constraint that needs more than the cluster-wide sums.
    let topics: [TopicPlan]
    let traffic: TrafficFigures
    let storage: StorageFigures
    let partitions: PartitionFigures

    var environment: Environment { architecture.environment }
    var policy: Policy { architecture.policy }
    var replicationFactor: Double { Double(policy.replicationFactor) }
    var availabilityZones: Double { Double(environment.availabilityZones) }
    var targetUtilization: Double { policy.targetUtilization }
    /// The most storage the deployment allows one broker (Amazon MSK: 16 TiB), if it has a limit.
    var deploymentStorageLimit: Double? = nil
}
