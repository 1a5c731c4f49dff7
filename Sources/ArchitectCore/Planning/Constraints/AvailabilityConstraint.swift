/// At least one broker per replica, and the same number in each zone so a zone holds its share of every
/// partition: ⌈replicationFactor ÷ availabilityZones⌉ × availabilityZones.
struct AvailabilityConstraint: BrokerConstraint {
    var kind: ConstraintKind { .availability }
    var label: String { "Brokers for availability" }
    /// Fixed by the replication factor and zones, whatever the load.
    var scalesWithThroughput: Bool { false }

    func requirement(in c: ConstraintContext) -> BrokerRequirement {
        let rf = c.replicationFactor
        let zones = c.availabilityZones
        return BrokerRequirement(
            (rf / zones).rounded(.up) * zones,
            formula: "⌈replicationFactor ÷ availabilityZones⌉ × availabilityZones",
            inputs: [Term("replicationFactor", rf, .count), Term("availabilityZones", zones, .count)])
    }
}
