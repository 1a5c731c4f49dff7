/// ⌈x⌉ as an Int, absorbing floating-point dust so 10.000000000000002 does not become 11.
func ceilInt(_ x: Double) -> Int {
    // Saturates far beyond any count a plan can mean, so a huge input never traps; validation and the
    // planner's own bound (Limits.plannedBrokers) turn such inputs into errors.
    guard x.isFinite else { return x > 0 ? Int(Limits.saturation) : 0 }
    if x >= Limits.saturation { return Int(Limits.saturation) }
    if x <= -Limits.saturation { return -Int(Limits.saturation) }
    let r = (x * 1e9).rounded() / 1e9
    return Int(r.rounded(.up))
}

/// Partition-count guidance per broker and per cluster.
public enum ReplicaGuidance {
    /// Partition replicas (leaders and followers) one broker should host, by instance size.
    /// Follows AWS MSK's published per-broker recommendations (1,000 for 2–4 vCPU brokers,
    /// 2,000 for 8 vCPU, 4,000 for 16 vCPU and above), capped by the controller mode's limit.
    public static func perBroker(vcpus: Int, controller: ControllerMode) -> Int {
        let bySize = vcpus <= 4 ? 1000 : (vcpus <= 8 ? 2000 : 4000)
        return min(bySize, perBrokerLimit(controller))
    }

    /// Per-broker ceiling by controller mode. Under ZooKeeper, controller failover reloads every
    /// partition's state, which the widely quoted 4,000-per-broker figure protects. KRaft removes that
    /// reload, but a broker still pays per replica in open files, memory and fetcher threads.
    public static func perBrokerLimit(_ controller: ControllerMode) -> Int {
        switch controller {
        case .zookeeper: 4000
        case .kraft: 4000
        }
    }

    /// Partitions (leaders) one cluster should hold: 200,000 under ZooKeeper; KRaft's metadata log
    /// removes that ceiling by an order of magnitude (tested to about 2 million).
    public static func perCluster(_ controller: ControllerMode) -> Int {
        switch controller {
        case .zookeeper: 200_000
        case .kraft: 2_000_000
        }
    }
}
