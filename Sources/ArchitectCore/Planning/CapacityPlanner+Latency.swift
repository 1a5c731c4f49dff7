// The produce latency an acks=all producer sees at p99, estimated term by term against an optional target.

extension CapacityPlanner {
    /// Records the estimated p99 produce latency with acks=all: the batching wait, the producer's round trip
    /// to the leader, one leader–follower round trip (the follower's waiting fetch returns the records; its
    /// next fetch tells the leader it has them, and the leader acknowledges), the replication delay one fetcher adds per 1,000
    /// replicas, all stretched by queueing at the busiest resource's utilisation ρ: ÷ (1 − ρ). With a target,
    /// linger is at most a quarter of it, as the design's client configurations set it.
    static func produceLatency(_ a: Architecture, evaluation e: Evaluation, book: inout FigureBook) -> Double {
        let p = a.policy
        let zones = a.environment.availabilityZones
        let linger = min(p.producerLingerSeconds, p.produceLatencyP99Seconds.map { $0 / 4 } ?? .infinity)
        let clientRTT = zones > 1 ? p.crossZoneRoundTripSeconds : p.sameZoneRoundTripSeconds
        let followerRTT =
            zones > 1 && a.policy.replicationFactor > 1 ? p.crossZoneRoundTripSeconds : p.sameZoneRoundTripSeconds
        let replication = e.partitions.replicasPerBroker / 1000 * 0.020
        let busiest = e.constraints.filter { $0.kind.isResource }.map(\.utilizationOfTarget).max() ?? 0
        let rho = min(0.95, busiest * p.targetUtilization)
        let roundTrips = a.policy.replicationFactor > 1 ? 1.0 : 0
        let estimate = linger + (clientRTT + roundTrips * followerRTT + replication) / (1 - rho)
        return book.record(
            "latency.produceP99Seconds", "Produce latency p99 with acks=all (estimate)", estimate, .seconds,
            formula: (roundTrips > 0
                ? "linger + (clientRoundTrip + followerRoundTrip + replicasPerBroker ÷ 1,000 × 20 ms) ÷ (1 − ρ)"
                : "linger + (clientRoundTrip + replicasPerBroker ÷ 1,000 × 20 ms) ÷ (1 − ρ) (replication factor 1: no follower)")
                + "; a typical p99 in a healthy cluster: the queueing part can reach 4.6× at a busy queue's p99 (ln 100), and client queueing, retries and GC pauses add to it",
            inputs: [
                Term("linger", linger, .seconds), Term("clientRoundTrip", clientRTT, .seconds),
                Term("followerRoundTrip", followerRTT, .seconds),
                Term("replicasPerBroker", e.partitions.replicasPerBroker, .count),
                Term("ρ (busiest resource at peak)", rho, .fraction),
            ]
                + (p.produceLatencyP99Seconds.map { [Term("target", $0, .seconds)] } ?? []))
    }
}
