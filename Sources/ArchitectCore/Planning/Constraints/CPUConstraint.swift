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
        let traffic = t.peakIngressWireBytesPerSecond + 2 * t.peakReplicationBytesPerSecond + t.peakEgressBytesPerSecond
        return BrokerRequirement(
            traffic / (util * vcpus * perCore),
            formula:
                "(peakIngressWire + 2 × peakReplication + peakEgress) ÷ (targetUtilization × vCPUs × throughputPerCore)",
            inputs: [
                Term("peakTraffic", traffic, .bytesPerSecond), Term("targetUtilization", util, .fraction),
                Term("vCPUs", vcpus, .cores), Term("throughputPerCore", perCore, .bytesPerSecond),
            ])
    }
}
