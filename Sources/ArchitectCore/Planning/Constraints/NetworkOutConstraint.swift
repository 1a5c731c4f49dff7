/// Consumers and followers fetch from leaders, at peak, against the instance's sustained baseline bandwidth.
struct NetworkOutConstraint: BrokerConstraint {
    var kind: ConstraintKind { .networkOut }
    var label: String { "Brokers for network out" }
    var scalesWithThroughput: Bool { true }

    func requirement(in c: ConstraintContext) -> BrokerRequirement {
        let peakEgress = c.traffic.peakEgressBytesPerSecond
        let peakReplication = c.traffic.peakReplicationBytesPerSecond
        let util = c.targetUtilization
        let nic = c.instance.networkBaselineBytesPerSecond
        return BrokerRequirement(
            (peakEgress + peakReplication) / (util * nic),
            formula:
                "(peakEgressBytesPerSecond + peakReplicationBytesPerSecond) ÷ (targetUtilization × networkBaseline)",
            inputs: [
                Term("peakEgressBytesPerSecond", peakEgress, .bytesPerSecond),
                Term("peakReplicationBytesPerSecond", peakReplication, .bytesPerSecond),
                Term("targetUtilization", util, .fraction), Term("networkBaseline", nic, .bytesPerSecond),
            ])
    }
}
