/// Every replica writes every byte; reads of the tail come from page cache, so only writes count.
/// Disk throughput is the instance's EBS baseline for block storage, or its local NVMe write rate.
struct DiskThroughputConstraint: BrokerConstraint {
    var kind: ConstraintKind { .diskThroughput }
    var label: String { "Brokers for disk throughput" }
    var scalesWithThroughput: Bool { true }

    func requirement(in c: ConstraintContext) -> BrokerRequirement {
        let peakWire = c.traffic.peakIngressWireBytesPerSecond
        let rf = c.replicationFactor
        let util = c.targetUtilization
        let diskRate = c.instance.diskThroughput(for: c.environment.storage)
        return BrokerRequirement(
            peakWire * rf / (util * diskRate),
            formula: "peakIngressWireBytesPerSecond × replicationFactor ÷ (targetUtilization × diskThroughput)",
            inputs: [
                Term("peakIngressWireBytesPerSecond", peakWire, .bytesPerSecond),
                Term("replicationFactor", rf, .count), Term("targetUtilization", util, .fraction),
                Term("diskThroughput", diskRate, .bytesPerSecond),
            ])
    }
}
