/// Risks the plan should call out, independent of how many brokers it picks.
enum Warnings {
    static func collect(
        _ a: Architecture, evaluation e: CapacityPlanner.Evaluation, instance: InstanceType, catalog: InstanceCatalog
    ) -> [PlanWarning] {
        var out = Collected()
        durability(a, into: &out)
        sizing(a, evaluation: e, instance: instance, into: &out)
        if catalog.deployment == .msk { msk(a, evaluation: e, instance: instance, into: &out) }
        operations(a, evaluation: e, into: &out)
        topics(a, evaluation: e, into: &out)
        if let target = a.policy.produceLatencyP99Seconds, e.produceLatency > target {
            out.warn(
                "produce-latency",
                "Estimated p99 produce latency with acks=all is \(Format.duration(e.produceLatency)), above the \(Format.duration(target)) target: lower linger.ms, keep the busiest resource further from saturation (more brokers), or place producers and leaders in one zone."
            )
        }
        return out.warnings
    }

    /// Warnings in the order their checks ran.
    struct Collected {
        var warnings: [PlanWarning] = []
        mutating func warn(_ code: String, _ message: String, _ severity: PlanWarning.Severity = .warning) {
            warnings.append(PlanWarning(code: code, severity: severity, message: message))
        }
    }

    /// Zones, replication factor and min ISR: how much a failure can take.
    static func durability(_ a: Architecture, into out: inout Collected) {
        func warn(_ code: String, _ message: String, _ severity: PlanWarning.Severity = .warning) {
            out.warn(code, message, severity)
        }
        let env = a.environment
        let p = a.policy
        if env.availabilityZones == 1 {
            warn(
                "single-az",
                "All brokers are in one availability zone: a zone outage takes the whole cluster down. Use 3 zones.")
        }
        if p.replicationFactor < 3 {
            warn(
                "low-replication-factor",
                "Replication factor \(p.replicationFactor) is below 3: one broker failure leaves \(p.replicationFactor == 1 ? "no copy" : "a single copy") of each partition. Use 3 for production data."
            )
        }
        if p.minInsyncReplicas >= p.replicationFactor && p.replicationFactor > 1 {
            warn(
                "min-isr-equals-rf",
                "min.insync.replicas \(p.minInsyncReplicas) ≥ replication factor \(p.replicationFactor): acks=all producers stop when any one replica is down (a rolling restart is enough). Use \(p.replicationFactor - 1)."
            )
        }
        if p.minInsyncReplicas == 1 && p.replicationFactor > 1 {
            warn(
                "min-isr-one",
                "min.insync.replicas is 1: an acks=all write is acknowledged by a single copy and is lost if that broker fails before followers catch up. Use 2 with replication factor 3."
            )
        }
        if env.availabilityZones > 1 && p.replicationFactor > env.availabilityZones {
            let lostWithZone = Int((Double(p.replicationFactor) / Double(env.availabilityZones)).rounded(.up))
            if p.replicationFactor - lostWithZone < p.minInsyncReplicas {
                warn(
                    "zone-loss-below-min-isr",
                    "With \(p.replicationFactor) replicas over \(env.availabilityZones) zones, losing one zone can take \(lostWithZone) replicas and leave fewer than min.insync.replicas \(p.minInsyncReplicas): acks=all producers stop. Use as many zones as replicas."
                )
            }
        }
    }

    /// Fixed broker counts over their target, and partition counts beyond guidance.
    static func sizing(
        _ a: Architecture, evaluation e: CapacityPlanner.Evaluation, instance: InstanceType, into out: inout Collected
    ) {
        func warn(_ code: String, _ message: String, _ severity: PlanWarning.Severity = .warning) {
            out.warn(code, message, severity)
        }
        let env = a.environment
        let p = a.policy
        if env.brokers != nil {
            for c in e.constraints where c.kind != .availability && c.utilizationOfTarget > 1 + 1e-9 {
                let ofTarget = percent(c.utilizationOfTarget)
                let message =
                    c.kind.isResource
                    ? "\(c.kind.label.capitalizedFirst) needs \(format(c.requiredBrokers)) brokers at \(percent(p.targetUtilization)) target utilisation; the \(e.brokers) given run it at \(ofTarget) of that target (\(percent(c.utilizationOfTarget * p.targetUtilization)) of capacity). Add brokers or a larger instance."
                    : "\(c.kind.label.capitalizedFirst) needs \(format(c.requiredBrokers)) brokers; the \(e.brokers) given carry \(ofTarget) of what they should. Add brokers or a larger instance."
                warn("over-target-\(c.kind.rawValue)", message)
            }
            if let availability = e.constraints.first(where: { $0.kind == .availability }),
                Double(e.brokers) < availability.requiredBrokers
            {
                warn(
                    "too-few-brokers",
                    "\(e.brokers) broker\(e.brokers == 1 ? "" : "s") cannot hold replication factor \(p.replicationFactor) spread over \(env.availabilityZones) zones; use at least \(Int(availability.requiredBrokers))."
                )
            }
        }
        zoneBalance(a, evaluation: e, into: &out)
        if e.brokers > Self.largeClusterBrokers {
            warn(
                "very-large-cluster",
                "\(e.brokers) brokers is more than most organisations run in one cluster: controller work, rolling restarts and rebalances grow with it. Check the inputs, then consider larger instances, tiered storage, or splitting the workload over clusters."
            )
        }
        leadership(e, into: &out)
        if e.partitions.replicasPerBroker > Double(e.partitions.perBrokerGuidance) {
            warn(
                "partitions-per-broker",
                "\(Int(e.partitions.replicasPerBroker.rounded())) partition replicas per broker exceed the guidance of \(e.partitions.perBrokerGuidance) for \(instance.vcpus)-vCPU brokers (\(env.controller == .kraft ? "KRaft" : "ZooKeeper")): expect slow leader elections, restarts and rebalances. Use fewer partitions or more brokers."
            )
        }
        if e.partitions.total > e.partitions.clusterGuidance {
            let advice =
                env.controller == .zookeeper
                ? "Migrate to KRaft, which lifts the cluster-wide ceiling, or split the cluster." : "Split the cluster."
            warn(
                "partitions-per-cluster",
                "\(e.partitions.total) partitions exceed the \(env.controller == .kraft ? "KRaft" : "ZooKeeper") guidance of \(e.partitions.clusterGuidance) per cluster. \(advice)"
            )
        }
    }

    /// Zones with no brokers, or with unequal numbers of them.
    static func zoneBalance(_ a: Architecture, evaluation e: CapacityPlanner.Evaluation, into out: inout Collected) {
        let env = a.environment
        if env.availabilityZones > 1 && e.brokers < env.availabilityZones {
            out.warn(
                "brokers-not-multiple-of-zones",
                "\(e.brokers) broker\(e.brokers == 1 ? "" : "s") over \(env.availabilityZones) zones leave \(env.availabilityZones - e.brokers) zone\(env.availabilityZones - e.brokers == 1 ? "" : "s") empty: the cluster spans only \(e.brokers). Use at least \(env.availabilityZones) brokers, one per zone."
            )
        } else if env.availabilityZones > 1 && e.brokers % env.availabilityZones != 0 {
            let z = env.availabilityZones
            out.warn(
                "brokers-not-multiple-of-zones",
                "\(e.brokers) brokers over \(z) zones put \(e.brokers / z) in some zones and \(e.brokers / z + 1) in others; each zone still holds an equal share of the replicas, so the brokers of the smaller zones carry more data and traffic (the disk per broker shown is theirs). Use a multiple of \(z) brokers."
            )
        }
    }

    /// A topic whose partitions do not divide by the brokers puts more of its traffic on some of them.
    static func leadership(_ e: CapacityPlanner.Evaluation, into out: inout Collected) {
        let uneven = e.topics.filter {
            !$0.globalOrdering && $0.partitions % max(1, e.brokers) != 0 && $0.partitions < 10 * e.brokers
        }
        if let worst = uneven.max(by: { $0.ingressWireBytesPerSecond < $1.ingressWireBytesPerSecond }) {
            let p = Double(worst.partitions)
            let skew = (p / Double(e.brokers)).rounded(.up) / (p / Double(e.brokers))
            if skew > 1.2 {
                out.warn(
                    "leader-skew",
                    "\(worst.name): \(worst.partitions) partitions over \(e.brokers) brokers: the busiest broker leads \(Int((p / Double(e.brokers)).rounded(.up))), \(percent(skew - 1)) more than an even share of its traffic. Use a multiple of \(e.brokers) partitions."
                )
            }
        }
    }

    /// Amazon MSK's own limits and guidance: brokers per cluster, partitions per broker, ingress per broker.
    static func msk(
        _ a: Architecture, evaluation e: CapacityPlanner.Evaluation, instance: InstanceType, into out: inout Collected
    ) {
        let quota = a.environment.controller == .kraft ? 60 : 30
        if e.brokers > quota {
            out.warn(
                "msk-broker-quota",
                "\(e.brokers) brokers exceed Amazon MSK's default quota of \(quota) brokers per \(a.environment.controller == .kraft ? "KRaft" : "ZooKeeper") cluster: request a quota increase, use larger brokers, or split the cluster."
            )
        }
        let updateLimit = Double(e.partitions.perBrokerGuidance) * 1.5
        if e.partitions.replicasPerBroker > updateLimit {
            out.warn(
                "msk-partition-update-limit",
                "\(Int(e.partitions.replicasPerBroker.rounded())) partition replicas per broker exceed the \(Int(updateLimit)) above which Amazon MSK refuses configuration updates, broker-size changes and SASL/SCRAM secret associations for \(instance.name)."
            )
        }
        if let tier = e.cost.lines.first(where: { $0.figureId == "cost.objectStorage" }) {
            out.warn(
                "msk-tiered-price",
                "MSK's tiered storage is priced at \(Format.value(tier.monthlyUSD, .usdPerMonth)) from AWS's own MSK sizing script ($0.023 per GB-month, unconfirmed on the MSK pricing page), and its per-GB retrieval charge is not priced: check aws.amazon.com/msk/pricing before comparing MSK with EC2 on this line.",
                .info)
        }
        // AWS's sizing script: usable ingress per broker = min(storage ÷ 6.5, network ÷ (1.5 × fan-out + 5.7)) × 50%.
        let wire = e.throughput.ingressWireBytesPerSecond
        let fanOut = wire > 0 ? e.throughput.egressBytesPerSecond / wire : 1
        let guidance =
            min(
                instance.blockStorageBytesPerSecond / 6.5,
                instance.networkBaselineBytesPerSecond / (1.5 * fanOut + 5.7)) * 0.5
        let perBroker = e.throughput.peakIngressWireBytesPerSecond / Double(max(1, e.brokers))
        if perBroker > guidance {
            out.warn(
                "msk-ingress-guidance",
                "\(Format.value(perBroker, .bytesPerSecond)) of producer ingress per broker at peak is above the \(Format.value(guidance, .bytesPerSecond)) AWS's MSK sizing script allows \(instance.name) at fan-out \(Format.grouped(fanOut, decimals: 1)) (min(storage ÷ 6.5, network ÷ (1.5 × fan-out + 5.7)) × 50%, which keeps room for a lost zone and rebalancing).",
                .info)
        }
    }

    /// Page cache below this many seconds of newest writes cannot serve consumers a little behind.
    static let minPageCacheSeconds = 300.0
    /// Brokers beyond which a single cluster is implausible and the plan says so.
    static let largeClusterBrokers = 200
    /// Batches below this size cost more CPU per byte (Google Cloud Managed Service for Apache Kafka, "Plan
    /// cluster size").
    static let smallBatchBytes = 10_000.0
    /// Kafka's default `message.max.bytes` (1 MiB plus batch overhead).
    static let defaultMaxMessageBytes = 1_048_588.0

    /// Topics whose messages or per-partition throughput are beyond Kafka's defaults or a partition's rate.
    static func topics(_ a: Architecture, evaluation e: CapacityPlanner.Evaluation, into out: inout Collected) {
        for t in e.topics {
            if t.messageSize > Self.defaultMaxMessageBytes {
                out.warn(
                    "large-messages",
                    "\(t.name): \(Format.value(t.messageSize, .bytes)) messages exceed Kafka's default 1 MiB message.max.bytes: producers get RecordTooLargeException. Raise max.message.bytes on the topic with the producers' max.request.size and the consumers' max.partition.fetch.bytes, or store the payload elsewhere and send a reference (claim check)."
                )
            }
            // Per request: one producer fills at most this much of a partition's batch in one linger.
            let batch = t.ingressWireBytesPerSecond / Double(max(1, t.partitions)) * a.policy.producerLingerSeconds
            if t.ingressWireBytesPerSecond >= 1e6 && batch < Self.smallBatchBytes {
                out.warn(
                    "small-batches",
                    "\(t.name): a partition receives about \(Format.value(batch, .bytes)) per \(Format.duration(a.policy.producerLingerSeconds)) linger, less with several producers: batches under 10 KB cost the brokers more CPU per byte (Google's Managed Kafka sizing guide), which the CPU figure does not count. Raise linger.ms, or use fewer partitions.",
                    .info)
            }
            let perPartition = t.ingressWireBytesPerSecond * t.peakToAverage / Double(max(1, t.partitions))
            if perPartition > a.policy.partitionWriteThroughput * (1 + 1e-9) && t.globalOrdering {
                out.warn(
                    "partition-throughput",
                    "\(t.name): its one partition (ordering: total) carries \(Format.value(perPartition, .bytesPerSecond)) at peak, above the \(Format.value(a.policy.partitionWriteThroughput, .bytesPerSecond)) one partition sustains: order per key instead, or split the stream."
                )
            } else if perPartition > a.policy.partitionWriteThroughput * (1 + 1e-9) {
                out.warn(
                    "partition-throughput",
                    "\(t.name): \(t.partitions) partition\(t.partitions == 1 ? "" : "s") carry \(Format.value(perPartition, .bytesPerSecond)) each at peak, above the \(Format.value(a.policy.partitionWriteThroughput, .bytesPerSecond)) one partition sustains (policy.partitionWriteThroughput): producers and consumers of a partition cannot keep up. Use at least \(ceilInt(t.ingressWireBytesPerSecond * t.peakToAverage / a.policy.partitionWriteThroughput)) partitions, or a measured per-partition figure."
                )
            }
        }
    }

    /// ZooKeeper mode, follower fetching savings and slow recovery.
    static func operations(_ a: Architecture, evaluation e: CapacityPlanner.Evaluation, into out: inout Collected) {
        func warn(_ code: String, _ message: String, _ severity: PlanWarning.Severity = .warning) {
            out.warn(code, message, severity)
        }
        let env = a.environment
        if env.provider != .custom && env.region != "us-east-1" {
            warn(
                "region-prices",
                "Prices are us-east-1's; \(env.region) differs (most other regions cost 5–30% more for instances and transfer). Treat the dollar figures as a lower bound, or describe priced machines under environment.machines.",
                .info)
        }
        if env.controller == .zookeeper {
            warn("zookeeper-mode", "ZooKeeper mode is removed in Kafka 4.0; plan the migration to KRaft.", .info)
        }
        if env.availabilityZones > 1 && !env.followerFetching
            && e.cost.withoutFollowerFetchingMonthlyUSD - e.cost.withFollowerFetchingMonthlyUSD >= 1
        {
            let saving = e.cost.withoutFollowerFetchingMonthlyUSD - e.cost.withFollowerFetchingMonthlyUSD
            warn(
                "follower-fetching",
                "Follower fetching (KIP-392: broker replica.selector.class=RackAwareReplicaSelector, consumer client.rack) would save $\(grouped(saving))/month of cross-zone consumer traffic.",
                .info)
        }
        let target = a.policy.recoveryTargetSeconds
        if e.storage.brokerRecoverySeconds > target * 1.01 {
            warn(
                "slow-broker-recovery",
                "Replacing one broker re-replicates \(formatBytes(e.storage.perBrokerBytes)), about \(Format.duration(e.storage.brokerRecoverySeconds)) at what it has spare, network or disk write rate, beyond the \(Format.duration(target)) recovery target; a second failure in that window risks under-min-ISR partitions. Use more brokers, faster disks or tiered storage."
            )
        }
        if e.memory.pageCacheSeconds > 0 && e.memory.pageCacheSeconds < Self.minPageCacheSeconds {
            warn(
                "small-page-cache",
                "Each broker's page cache holds only \(Format.duration(e.memory.pageCacheSeconds)) of its newest writes: consumers a few minutes behind read from disk and compete with the writes. Use an instance with more memory (r7g, r6i) or more brokers."
            )
        }
    }

    /// 1.999 → "200%".
    static func percent(_ fraction: Double) -> String { "\(Format.grouped(fraction * 100, decimals: 0))%" }

    static func format(_ x: Double, decimals: Int = 1) -> String {
        let scale = pow10(decimals)
        let v = (x * scale).rounded() / scale
        if decimals == 0 { return String(Int(v)) }
        return String(v)
    }

    /// 4895.03 → "4,895".
    static func grouped(_ x: Double) -> String {
        var digits = String(Int(x.rounded()))
        var out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits = String(digits.dropLast(3))
        }
        return digits + out
    }

    static func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { acc, _ in acc * 10 } }

    static func formatBytes(_ b: Double) -> String {
        let units = ["B", "KB", "MB", "GB", "TB", "PB"]
        var v = b
        var i = 0
        while v >= 1000 && i < units.count - 1 {
            v /= 1000
            i += 1
        }
        return "\(format(v)) \(units[i])"
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
