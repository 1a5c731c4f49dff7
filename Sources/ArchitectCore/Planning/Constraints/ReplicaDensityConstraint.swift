/// Partition replicas one broker should host, by instance size and controller mode (see `ReplicaGuidance`):
/// each replica costs open files, memory and fetcher work.
struct ReplicaDensityConstraint: BrokerConstraint {
    var kind: ConstraintKind { .replicaDensity }
    var label: String { "Brokers for replica density" }
    /// Partition counts are planned once and stay put as load grows.
    var scalesWithThroughput: Bool { false }

    func requirement(in c: ConstraintContext) -> BrokerRequirement {
        let replicas = c.partitions.replicas
        let limit = Double(ReplicaGuidance.perBroker(vcpus: c.instance.vcpus, controller: c.environment.controller))
        return BrokerRequirement(
            replicas / limit,
            formula: "partitionReplicas ÷ replicasPerBrokerGuidance",
            inputs: [Term("partitionReplicas", replicas, .count), Term("replicasPerBrokerGuidance", limit, .count)])
    }
}
