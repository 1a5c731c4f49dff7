/// Every replica writes every byte; reads of the tail come from page cache, the rest (page-cache misses of
/// topics on broker disks) from disk. Disk throughput is the instance's EBS baseline for block storage (reads
/// and writes share it), or its local NVMe write rate.
struct DiskThroughputConstraint: BrokerConstraint {
    var kind: ConstraintKind { .diskThroughput }
    var label: String { "Brokers for disk throughput" }
    var scalesWithThroughput: Bool { true }

    func requirement(in c: ConstraintContext) -> BrokerRequirement {
        let peakWire = c.traffic.peakIngressWireBytesPerSecond
        let rf = c.replicationFactor
        let util = c.targetUtilization
        let diskRate = c.instance.diskThroughput(for: c.environment.storage)
        let cold = c.traffic.peakColdDiskReadBytesPerSecond
        return BrokerRequirement(
            (peakWire * rf + cold) / (util * diskRate),
            formula:
                "(peakIngressWireBytesPerSecond × replicationFactor + peakColdDiskReads) ÷ (targetUtilization × diskThroughput)",
            inputs: [
                Term("peakIngressWireBytesPerSecond", peakWire, .bytesPerSecond),
                Term("replicationFactor", rf, .count), Term("peakColdDiskReads", cold, .bytesPerSecond),
                Term("targetUtilization", util, .fraction),
                Term("diskThroughput", diskRate, .bytesPerSecond),
            ])
    }
}
