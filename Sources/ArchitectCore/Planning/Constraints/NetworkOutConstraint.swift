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
        let upload = c.traffic.peakTieredUploadBytesPerSecond
        let tiered = c.environment.tieredStorage != nil
        return BrokerRequirement(
            (peakEgress + peakReplication + upload) / (util * nic),
            formula: tiered
                ? "(peakEgressBytesPerSecond + peakReplicationBytesPerSecond + peakTieredUploads) ÷ (targetUtilization × networkBaseline)"
                : "(peakEgressBytesPerSecond + peakReplicationBytesPerSecond) ÷ (targetUtilization × networkBaseline)",
            inputs: [
                Term("peakEgressBytesPerSecond", peakEgress, .bytesPerSecond),
                Term("peakReplicationBytesPerSecond", peakReplication, .bytesPerSecond),
            ] + (tiered ? [Term("peakTieredUploads", upload, .bytesPerSecond)] : []) + [
                Term("targetUtilization", util, .fraction), Term("networkBaseline", nic, .bytesPerSecond),
            ])
    }
}
