/// Leaders receive producer traffic and followers receive replication, at peak, against the instance's
/// sustained baseline bandwidth — not its "up to" burst figure: a broker runs flat out for hours, and
/// burst credits last minutes.
struct NetworkInConstraint: BrokerConstraint {
    var kind: ConstraintKind { .networkIn }
    var label: String { "Brokers for network in" }
    var scalesWithThroughput: Bool { true }

    func requirement(in c: ConstraintContext) -> BrokerRequirement {
        let peakWire = c.traffic.peakIngressWireBytesPerSecond
        let peakReplication = c.traffic.peakReplicationBytesPerSecond
        let util = c.targetUtilization
        let nic = c.instance.networkBaselineBytesPerSecond
        let remote = c.traffic.peakRemoteReadBytesPerSecond
        let tiered = c.environment.tieredStorage != nil
        return BrokerRequirement(
            (peakWire + peakReplication + remote) / (util * nic),
            formula: tiered
                ? "(peakIngressWireBytesPerSecond + peakReplicationBytesPerSecond + peakRemoteReads) ÷ (targetUtilization × networkBaseline)"
                : "(peakIngressWireBytesPerSecond + peakReplicationBytesPerSecond) ÷ (targetUtilization × networkBaseline)",
            inputs: [
                Term("peakIngressWireBytesPerSecond", peakWire, .bytesPerSecond),
                Term("peakReplicationBytesPerSecond", peakReplication, .bytesPerSecond),
            ] + (tiered ? [Term("peakRemoteReads", remote, .bytesPerSecond)] : []) + [
                Term("targetUtilization", util, .fraction), Term("networkBaseline", nic, .bytesPerSecond),
            ])
    }
}
