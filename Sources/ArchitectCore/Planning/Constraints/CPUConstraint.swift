/// Request handling, TLS and checksums: CPU work follows the bytes a broker moves. Replication counts
/// twice, sent by the leader and received by the follower.
struct CPUConstraint: BrokerConstraint {
    /// Network traffic one vCPU moves: TLS defeats zero-copy transfer and costs encryption.
    static let throughputPerCoreTLS = 40e6
    static let throughputPerCorePlaintext = 80e6

    var kind: ConstraintKind { .cpu }
    var label: String { "Brokers for CPU" }
    var scalesWithThroughput: Bool { true }

    func requirement(in c: ConstraintContext) -> BrokerRequirement {
        let t = c.traffic
        let util = c.targetUtilization
        let vcpus = Double(c.instance.vcpus)
        let perCore =
            c.policy.cpuThroughputPerCore
            ?? (c.environment.tls ? Self.throughputPerCoreTLS : Self.throughputPerCorePlaintext)
        let tiered = c.environment.tieredStorage != nil
        var parts = [
            Term("peakIngressWire", t.peakIngressWireBytesPerSecond, .bytesPerSecond),
            Term("peakReplication", t.peakReplicationBytesPerSecond, .bytesPerSecond),
            Term("peakEgress", t.peakEgressBytesPerSecond, .bytesPerSecond),
        ]
        if tiered {
            parts += [
                Term("peakRemoteReads", t.peakRemoteReadBytesPerSecond, .bytesPerSecond),
                Term("peakTieredUploads", t.peakTieredUploadBytesPerSecond, .bytesPerSecond),
            ]
        }
        // Replication counts twice: the leader sends it and a follower receives it.
        let traffic = parts.reduce(0) { $0 + $1.value } + t.peakReplicationBytesPerSecond
        let sum =
            tiered
            ? "peakIngressWire + 2 × peakReplication + peakEgress + peakRemoteReads + peakTieredUploads"
            : "peakIngressWire + 2 × peakReplication + peakEgress"
        let codec = t.peakCodecCores
        return BrokerRequirement(
            (traffic / perCore + codec) / (util * vcpus),
            formula:
                "((\(sum)) ÷ throughputPerCore + codecCores) ÷ (targetUtilization × vCPUs); throughputPerCore is this tool's calibration, and published models (AKalculator, Google's Managed Kafka sizing) give 0.4× to 1.8× the byte term",
            inputs: parts + [
                Term("throughputPerCore", perCore, .bytesPerSecond), Term("codecCores", codec, .cores),
                Term("targetUtilization", util, .fraction), Term("vCPUs", vcpus, .cores),
            ])
    }
}
