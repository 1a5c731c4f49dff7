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
        return BrokerRequirement(
            (peakWire + peakReplication) / (util * nic),
            formula:
                "(peakIngressWireBytesPerSecond + peakReplicationBytesPerSecond) ÷ (targetUtilization × networkBaseline)",
            inputs: [
                Term("peakIngressWireBytesPerSecond", peakWire, .bytesPerSecond),
                Term("peakReplicationBytesPerSecond", peakReplication, .bytesPerSecond),
                Term("targetUtilization", util, .fraction), Term("networkBaseline", nic, .bytesPerSecond),
            ])
    }
}
