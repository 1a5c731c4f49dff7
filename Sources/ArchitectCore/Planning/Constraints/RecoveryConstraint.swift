/// A replaced broker must be refilled within `policy.recoveryTarget`: it receives its share of the data over
/// what its network and its disks have spare beside the live traffic they also take. With L bytes on broker
/// disks, T the target, and a broker's capacity C against the cluster's live load P on the same resource:
/// L ÷ n ≤ T × (C − P ÷ n), so n ≥ (L ÷ T + P) ÷ C — once for the network (P: producers, replication and
/// remote reads in) and once for the disks (P: the replicas' writes). This bounds data per broker by the
/// recovery time, not by a fixed size.
struct RecoveryConstraint: BrokerConstraint {
    var kind: ConstraintKind { .recovery }
    var label: String { "Brokers for the recovery target" }
    var scalesWithThroughput: Bool { true }

    func requirement(in c: ConstraintContext) -> BrokerRequirement {
        let localBytes = c.storage.localBytes
        let target = c.policy.recoveryTargetSeconds
        let t = c.traffic
        let inbound = t.peakIngressWireBytesPerSecond + t.peakReplicationBytesPerSecond + t.peakRemoteReadBytesPerSecond
        let writes = t.peakIngressWireBytesPerSecond * c.replicationFactor
        let nic = c.instance.networkBaselineBytesPerSecond
        let disk = c.instance.diskThroughput(for: c.environment.storage)
        let refill = localBytes / target
        return BrokerRequirement(
            max((refill + inbound) / nic, (refill + writes) / disk),
            formula:
                "max((localBytes ÷ recoveryTarget + peakInbound) ÷ networkBaseline, (localBytes ÷ recoveryTarget + peakWrites) ÷ diskWriteCapacity)",
            inputs: [
                Term("localBytes", localBytes, .bytes), Term("recoveryTarget", target, .seconds),
                Term("peakInbound", inbound, .bytesPerSecond), Term("networkBaseline", nic, .bytesPerSecond),
                Term("peakWrites", writes, .bytesPerSecond), Term("diskWriteCapacity", disk, .bytesPerSecond),
            ])
    }
}
