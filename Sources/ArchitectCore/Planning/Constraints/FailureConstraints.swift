/// Failure headroom: after a failure the survivors carry the whole load — every leader moves to them, and
/// the lost replicas are rebuilt on them — and each resource (network in and out, disk throughput, CPU)
/// must stay within `policy.failureCeiling` of its capacity (100% of baseline by default). A resource
/// constraint needs R brokers at the target utilisation u, so S = R × u ÷ ceiling survivors carry it.
enum FailureHeadroom {
    static let resources: [ConstraintKind] = [.networkIn, .networkOut, .diskThroughput, .cpu]

    /// Nothing fails over without replicas: a lost broker's partitions are offline until it returns.
    static func unreplicated(_ c: ConstraintContext) -> BrokerRequirement? {
        guard c.replicationFactor <= 1 else { return nil }
        return BrokerRequirement(
            0, formula: "0: with replicationFactor 1 nothing fails over (see the low-replication-factor warning)",
            inputs: [Term("replicationFactor", c.replicationFactor, .count)])
    }

    /// The survivors the busiest resource needs at the ceiling, and which resource that is.
    static func survivors(in c: ConstraintContext) -> (brokers: Double, resource: Term) {
        let ceiling = c.policy.failureCeiling
        var best = (brokers: 0.0, resource: Term("networkIn", 0, .brokers))
        for kind in resources {
            guard let constraint = BrokerConstraints.constraint(kind) else { continue }
            let r = constraint.requirement(in: c).brokers
            let s = r * c.targetUtilization / ceiling
            if s > best.brokers + 1e-12 { best = (s, Term(kind.rawValue, r, .brokers)) }
        }
        return best
    }
}

/// After losing one broker: n − 1 survivors.
struct BrokerFailureConstraint: BrokerConstraint {
    var kind: ConstraintKind { .brokerFailure }
    var label: String { "Brokers to survive one broker failure" }
    var scalesWithThroughput: Bool { true }

    func requirement(in c: ConstraintContext) -> BrokerRequirement {
        if let none = FailureHeadroom.unreplicated(c) { return none }
        let (s, resource) = FailureHeadroom.survivors(in: c)
        return BrokerRequirement(
            s + 1,
            formula:
                "\(resource.name) × targetUtilization ÷ failureCeiling + 1 (the busiest resource's survivors, plus the lost broker)",
            inputs: [
                resource, Term("targetUtilization", c.targetUtilization, .fraction),
                Term("failureCeiling", c.policy.failureCeiling, .fraction),
            ])
    }
}

/// After losing a whole zone: n × (zones − 1) ÷ zones survivors. With one zone a zone failure is an outage,
/// which the plan warns about instead.
struct ZoneFailureConstraint: BrokerConstraint {
    var kind: ConstraintKind { .zoneFailure }
    var label: String { "Brokers to survive a zone failure" }
    var scalesWithThroughput: Bool { true }

    func requirement(in c: ConstraintContext) -> BrokerRequirement {
        let zones = c.availabilityZones
        guard zones > 1 else {
            return BrokerRequirement(
                0, formula: "one zone: losing it is an outage (see the single-az warning)",
                inputs: [Term("availabilityZones", zones, .count)])
        }
        if let none = FailureHeadroom.unreplicated(c) { return none }
        let (s, resource) = FailureHeadroom.survivors(in: c)
        return BrokerRequirement(
            s * zones / (zones - 1),
            formula:
                "\(resource.name) × targetUtilization ÷ failureCeiling × availabilityZones ÷ (availabilityZones − 1) (the busiest resource's survivors in the other zones)",
            inputs: [
                resource, Term("availabilityZones", zones, .count),
                Term("targetUtilization", c.targetUtilization, .fraction),
                Term("failureCeiling", c.policy.failureCeiling, .fraction),
            ])
    }
}
