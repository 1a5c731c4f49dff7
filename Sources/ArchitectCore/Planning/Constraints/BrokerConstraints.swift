/// The registry: every constraint the planner sizes a cluster by. To add one, write its type in its own
/// file in this folder, give it a `ConstraintKind` case, and add it here.
///
/// The order is the order of the `constraints.*` figures and of `CapacityPlan.constraints`, which the
/// JSON, text and Markdown output follow; it also breaks ties, the earlier constraint binding when two
/// need the same brokers (within 1e-9). Append new constraints at the end so existing output stays put.
enum BrokerConstraints {
    static let all: [any BrokerConstraint] = [
        AvailabilityConstraint(),
        NetworkInConstraint(),
        NetworkOutConstraint(),
        DiskCapacityConstraint(),
        DiskThroughputConstraint(),
        ReplicaDensityConstraint(),
        CPUConstraint(),
        RecoveryConstraint(),
        BrokerFailureConstraint(),
        ZoneFailureConstraint(),
    ]

    /// The registered constraint of a kind.
    static func constraint(_ kind: ConstraintKind) -> (any BrokerConstraint)? {
        all.first { $0.kind == kind }
    }
}
