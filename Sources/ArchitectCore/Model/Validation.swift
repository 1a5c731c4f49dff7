/// A rule the model breaks, named by the field's path in the architecture file
/// (e.g. `topics[0].messagesPerSecond`) so the file layer can point at its line.
public struct ModelError: Error, Equatable, Sendable {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// The largest values a plan accepts: beyond them a figure is meaningless (or no longer a whole number a
/// machine can hold), so the input is refused with the bound rather than planned.
public enum Limits {
    public static let messagesPerSecond = 1e9
    /// Kafka's size limits (`message.max.bytes`, `max.request.size`) are 32-bit integers.
    public static let messageSize = 2_147_483_647.0
    public static let brokers = 10_000
    public static let zones = 16
    public static let replicationFactor = 100
    public static let partitions = 1_000_000
    public static let consumerGroups = 100_000
    public static let factor = 1_000.0
    public static let retentionSeconds = 100 * 365 * 86_400.0
    public static let bytes = 1e18
    /// All topics together: beyond 1 billion msg/s or 1 TB/s no one cluster carries it.
    public static let totalBytesPerSecond = 1e12
    /// The most brokers a plan may need before it is refused as not one cluster.
    public static let plannedBrokers = brokers
    /// Where whole-number conversions saturate (far above any meaningful count).
    public static let saturation = 1e15
    /// The shortest recovery target: one minute.
    public static let recoverySeconds = 60.0
    /// At most 10 × the retained data kept free.
    public static let freeSpaceMargin = 10.0
}

/// Field checks collected in the order they ran (file order).
struct FieldChecks {
    var errors: [ModelError] = []

    mutating func check(_ ok: Bool, _ field: String, _ message: @autoclosure () -> String) {
        if !ok { errors.append(ModelError(field: field, message: message())) }
    }
}

extension Architecture {
    /// Every rule the model breaks, in file order. An empty array means the planner can run.
    public func validationErrors(catalog: InstanceCatalog = .builtIn) -> [ModelError] {
        // An MSK deployment names MSK broker types, whatever catalog the caller holds for EC2.
        let catalog = environment.deployment == .msk && catalog.deployment != .msk ? InstanceCatalog.msk : catalog
        var checks = FieldChecks()
        checkEnvironment(&checks, catalog: catalog)
        checkPolicy(&checks)
        checkTopics(&checks)
        return checks.errors
    }

    func checkEnvironment(_ checks: inout FieldChecks, catalog: InstanceCatalog) {
        func check(_ ok: Bool, _ field: String, _ message: @autoclosure () -> String) {
            checks.check(ok, field, message())
        }
        let env = environment
        check(
            (1...Limits.zones).contains(env.availabilityZones), "environment.availabilityZones",
            "must be between 1 and \(Limits.zones) (got \(env.availabilityZones))")
        if let brokers = env.brokers {
            check(
                (1...Limits.brokers).contains(brokers), "environment.brokers",
                "must be between 1 and \(Limits.brokers) (got \(brokers))")
            check(
                brokers >= policy.replicationFactor || brokers < 1, "environment.brokers",
                "\(brokers) broker\(brokers == 1 ? "" : "s") cannot hold replication factor \(policy.replicationFactor): each replica needs its own broker; use at least \(policy.replicationFactor) brokers or a lower factor"
            )
        }
        var seen = Set<String>()
        for (i, m) in env.machines.enumerated() {
            let f = "environment.machines[\(i)]"
            check(!m.name.isEmpty, "\(f).name", "must not be empty")
            check(seen.insert(m.name).inserted, "\(f).name", "'\(m.name)' is described twice")
            check(m.vcpus > 0, "\(f).vcpus", "must be positive")
            check(m.memoryBytes > 0, "\(f).memory", "must be positive")
            check(m.networkBaselineBytesPerSecond > 0, "\(f).network", "must be positive")
            check(m.diskThroughputBytesPerSecond > 0, "\(f).diskThroughput", "must be positive")
            check(m.hourlyUSD >= 0, "\(f).hourlyUSD", "must not be negative")
        }
        checkDeployment(&checks)
        if let instance = env.instance {
            let known = resolveInstance(named: instance, catalog: catalog) != nil
            let msk = env.provider == .msk
            let hint =
                msk && !instance.hasPrefix("kafka.")
                ? "; MSK broker types are named kafka.<type>, e.g. kafka.\(instance)"
                : ""
            check(
                known, "environment.instance",
                "unknown \(msk ? "MSK broker" : "instance") type '\(instance)'\(hint); run `kafka-architect instances\(msk ? " --deployment msk" : "")` for the catalog, describe it under environment.machines, or use auto"
            )
            if known, let type = resolveInstance(named: instance, catalog: catalog) {
                if env.storage == .localNVMe {
                    check(
                        type.localDisks.count > 0, "environment.storage",
                        "local-nvme needs an instance with local NVMe drives (i3en, i4i); '\(instance)' has none")
                }
            }
        } else if env.provider == .custom {
            check(
                !env.machines.isEmpty, "environment.machines",
                "provider custom needs at least one machine described here")
        }
        checkTieredStorage(&checks)
    }

    /// Controllers, and what Amazon MSK does not offer.
    func checkDeployment(_ checks: inout FieldChecks) {
        func check(_ ok: Bool, _ field: String, _ message: @autoclosure () -> String) {
            checks.check(ok, field, message())
        }
        let env = environment
        check(
            [3, 5].contains(env.controllers), "environment.controllers",
            "KRaft runs 3 controllers (one may fail) or 5 (two may fail), not \(env.controllers)")
        if env.provider == .msk {
            check(
                [2, 3].contains(env.availabilityZones), "environment.availabilityZones",
                "Amazon MSK spreads brokers over 2 or 3 zones (one client subnet each), not \(env.availabilityZones)")
            if let b = env.brokers, [2, 3].contains(env.availabilityZones) {
                check(
                    b % env.availabilityZones == 0, "environment.brokers",
                    "Amazon MSK needs the same number of brokers in every zone: \(b) does not divide by \(env.availabilityZones); use \((b + env.availabilityZones - 1) / env.availabilityZones * env.availabilityZones)"
                )
            }
            check(
                env.tls, "environment.tls",
                "Amazon MSK's SASL/SCRAM authentication needs TLS between clients and brokers; set tls: true")
            check(
                env.storage != .localNVMe, "environment.storage",
                "Amazon MSK brokers use EBS storage, not local NVMe; use gp3 or provider: aws")
            check(
                env.pricing == .onDemand, "environment.pricing",
                "Amazon MSK has no reserved or savings-plan pricing; use on-demand (the plan lists EC2 with a 3-year commitment among its alternatives)"
            )
        }
    }

    /// Tiered storage: a local retention Kafka accepts for every tiered topic.
    func checkTieredStorage(_ checks: inout FieldChecks) {
        func check(_ ok: Bool, _ field: String, _ message: @autoclosure () -> String) {
            checks.check(ok, field, message())
        }
        if let tiered = environment.tieredStorage {
            check(tiered.localRetentionSeconds > 0, "environment.tieredStorage.localRetention", "must be positive")
            check(
                tiered.localRetentionSeconds <= Limits.retentionSeconds, "environment.tieredStorage.localRetention",
                "must be at most 100 years")
            // Kafka refuses local.retention.ms above retention.ms on a tiered topic.
            for (i, t) in topics.enumerated() where !t.compacted && !t.keepLocal {
                if let r = t.retentionSeconds, r < tiered.localRetentionSeconds {
                    check(
                        false, "environment.tieredStorage.localRetention",
                        "local retention \(Format.duration(tiered.localRetentionSeconds)) is longer than topics[\(i)] '\(t.name)' keeps data (\(Format.duration(r))): Kafka refuses local.retention.ms above retention.ms; shorten the local retention or lengthen the topic's"
                    )
                }
            }
        }
    }

    func checkPolicy(_ checks: inout FieldChecks) {
        func check(_ ok: Bool, _ field: String, _ message: @autoclosure () -> String) {
            checks.check(ok, field, message())
        }
        let p = policy
        check(
            (1...Limits.replicationFactor).contains(p.replicationFactor), "policy.replicationFactor",
            "must be between 1 and \(Limits.replicationFactor) (got \(p.replicationFactor))")
        check(p.minInsyncReplicas >= 1, "policy.minInsyncReplicas", "must be at least 1")
        check(
            p.minInsyncReplicas <= p.replicationFactor, "policy.minInsyncReplicas",
            "min.insync.replicas \(p.minInsyncReplicas) is greater than the replication factor \(p.replicationFactor): acks=all producers could never write; lower it to \(max(1, p.replicationFactor - 1))"
        )
        check(
            p.targetUtilization > 0 && p.targetUtilization <= 1, "policy.targetUtilization",
            "must be above 0 and at most 100%")
        check(
            p.freeSpaceMargin >= 0 && p.freeSpaceMargin <= Limits.freeSpaceMargin, "policy.freeSpaceMargin",
            "must be between 0 and 1000% of the retained data")
        check(p.growthFactor >= 1, "policy.growthFactor", "must be at least 1 (1 means no growth)")
        check(p.growthFactor <= Limits.factor, "policy.growthFactor", "must be at most \(Int(Limits.factor))")
        if let m = p.maxStoragePerBroker {
            check(m >= 1e9 && m <= Limits.bytes, "policy.maxStoragePerBroker", "must be between 1 GB and 1 EB")
        }
        check(
            p.recoveryTargetSeconds >= Limits.recoverySeconds && p.recoveryTargetSeconds <= 30 * 86_400,
            "policy.recoveryTarget", "must be between 1 minute and 30 days")
        check(
            p.partitionWriteThroughput >= 1000 && p.partitionReadThroughput >= 1000, "policy.partitionWriteThroughput",
            "per-partition throughputs must be at least 1 KB/s")
        check(
            p.failureCeiling > 0 && p.failureCeiling <= 1, "policy.failureCeiling", "must be above 0 and at most 100%")
        if let t = p.produceLatencyP99Seconds {
            check(t > 0 && t <= 3600, "policy.produceLatencyP99", "must be positive and at most 1 h")
        }
        check(
            p.producerLingerSeconds >= 0 && p.producerLingerSeconds <= 60, "policy.producerLinger",
            "must be between 0 and 60 s")
        check(
            p.crossZoneRoundTripSeconds > 0 && p.crossZoneRoundTripSeconds <= 1, "policy.crossZoneRoundTrip",
            "must be positive and at most 1 s")
        check(
            p.cacheMissReadShare >= 0 && p.cacheMissReadShare <= 1, "policy.cacheMissReadShare",
            "must be between 0 and 100%")
        check(p.partitionWriteThroughput > 0, "policy.partitionWriteThroughput", "must be positive")
        check(p.partitionReadThroughput > 0, "policy.partitionReadThroughput", "must be positive")
        if let c = p.cpuThroughputPerCore { check(c > 0, "policy.cpuThroughputPerCore", "must be positive") }
    }

    // Long because: one check per topic field, in the file's field order, so errors come in file order.
    func checkTopics(_ checks: inout FieldChecks) {
        func check(_ ok: Bool, _ field: String, _ message: @autoclosure () -> String) {
            checks.check(ok, field, message())
        }
        check(
            !topics.isEmpty || !(design?.entities.isEmpty ?? true) || !managed.topics.isEmpty
                || !managed.acls.isEmpty || !managed.quotas.isEmpty, "topics",
            "describe at least one topic, or domains with entities")
        let totalRate = topics.reduce(0) { $0 + $1.messagesPerSecond }
        let totalBytes = topics.reduce(0) { $0 + $1.messagesPerSecond * $1.messageSize }
        check(
            totalRate <= Limits.messagesPerSecond && totalBytes <= Limits.totalBytesPerSecond, "topics",
            "together the topics carry \(Format.value(totalRate, .messagesPerSecond)) and \(Format.value(totalBytes, .bytesPerSecond)), beyond what any one Kafka cluster carries (at most 1 billion msg/s and 1 TB/s); split the workload over clusters"
        )
        var names = Set<String>()
        for (i, t) in topics.enumerated() {
            let f = "topics[\(i)]"
            check(!t.name.isEmpty, "\(f).name", "must not be empty")
            check(names.insert(t.name).inserted, "\(f).name", "topic '\(t.name)' is described twice")
            check(t.messagesPerSecond > 0, "\(f).messagesPerSecond", "must be positive (got \(t.messagesPerSecond))")
            check(
                t.messagesPerSecond <= Limits.messagesPerSecond, "\(f).messagesPerSecond",
                "\(Format.value(t.messagesPerSecond, .messagesPerSecond)) is beyond what any one Kafka cluster carries (the largest run about 100 million msg/s); give at most 1 billion, or split the workload over clusters"
            )
            check(t.messageSize > 0, "\(f).messageSize", "must be positive")
            check(
                t.messageSize <= Limits.messageSize, "\(f).messageSize",
                "must be below 2 GiB (2,147,483,647 bytes: Kafka's message size limits are 32-bit); store large payloads elsewhere and send a reference"
            )
            check(t.compressionRatio >= 1, "\(f).compressionRatio", "must be at least 1 (uncompressed ÷ compressed)")
            check(
                t.compression != .none || t.compressionRatio == 1, "\(f).compressionRatio",
                "a ratio above 1 needs a codec; set compression to lz4, zstd, snappy or gzip")
            check(t.compressionRatio <= Limits.factor, "\(f).compressionRatio", "must be at most \(Int(Limits.factor))")
            if let r = t.retentionSeconds {
                check(r > 0 && r <= Limits.retentionSeconds, "\(f).retention", "must be positive and at most 100 years")
            }
            if let r = t.retentionBytesPerPartition {
                check(r > 0 && r <= Limits.bytes, "\(f).retentionBytes", "must be positive and at most 1 EB")
            }
            check(
                (0...Limits.consumerGroups).contains(t.consumerGroups), "\(f).consumerGroups",
                "must be between 0 and \(Limits.consumerGroups) (got \(t.consumerGroups))")
            check(
                t.peakToAverage >= 1 && t.peakToAverage <= Limits.factor, "\(f).peakToAverage",
                "must be between 1 and \(Int(Limits.factor)) (peak ÷ average)")
            if let n = t.partitions {
                check(
                    (1...Limits.partitions).contains(n), "\(f).partitions",
                    "must be between 1 and \(Limits.partitions) (got \(n))")
            }
            if t.globalOrdering, let n = t.partitions {
                check(n == 1, "\(f).partitions", "ordering: total needs one partition, not \(n); drop one of the two")
            }
            if let c = t.consumers {
                check(
                    (1...Limits.partitions).contains(c), "\(f).consumers",
                    "must be between 1 and \(Limits.partitions) (got \(c))")
            }
            if let pt = t.processingTimeSeconds {
                check(pt > 0 && pt <= 86_400, "\(f).processingTime", "must be positive and at most 1 day")
            }
        }
    }

    /// The instance type a name refers to: a machine described in the file first, then the catalog.
    public func resolveInstance(named name: String, catalog: InstanceCatalog = .builtIn) -> InstanceType? {
        environment.machines.first { $0.name == name } ?? catalog.instance(named: name)
    }
}
