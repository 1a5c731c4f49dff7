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
        check(env.availabilityZones >= 1, "environment.availabilityZones", "must be at least 1")
        if let brokers = env.brokers { check(brokers >= 1, "environment.brokers", "must be at least 1") }
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
        if let instance = env.instance {
            let known = resolveInstance(named: instance, catalog: catalog) != nil
            check(
                known, "environment.instance",
                "unknown instance type '\(instance)'; run `kafka-architect instances` for the catalog, describe it under environment.machines, or use auto"
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
        if let tiered = env.tieredStorage {
            check(tiered.localRetentionSeconds > 0, "environment.tieredStorage.localRetention", "must be positive")
        }
    }

    func checkPolicy(_ checks: inout FieldChecks) {
        func check(_ ok: Bool, _ field: String, _ message: @autoclosure () -> String) {
            checks.check(ok, field, message())
        }
        let p = policy
        check(p.replicationFactor >= 1, "policy.replicationFactor", "must be at least 1")
        check(p.minInsyncReplicas >= 1, "policy.minInsyncReplicas", "must be at least 1")
        check(
            p.minInsyncReplicas <= p.replicationFactor, "policy.minInsyncReplicas",
            "min.insync.replicas \(p.minInsyncReplicas) is greater than the replication factor \(p.replicationFactor): acks=all producers could never write; lower it to \(max(1, p.replicationFactor - 1))"
        )
        check(
            p.targetUtilization > 0 && p.targetUtilization <= 1, "policy.targetUtilization",
            "must be above 0 and at most 100%")
        check(p.freeSpaceMargin >= 0, "policy.freeSpaceMargin", "must not be negative")
        check(p.growthFactor >= 1, "policy.growthFactor", "must be at least 1 (1 means no growth)")
        check(p.maxStoragePerBroker > 0, "policy.maxStoragePerBroker", "must be positive")
        check(p.partitionWriteThroughput > 0, "policy.partitionWriteThroughput", "must be positive")
        check(p.partitionReadThroughput > 0, "policy.partitionReadThroughput", "must be positive")
        if let c = p.cpuThroughputPerCore { check(c > 0, "policy.cpuThroughputPerCore", "must be positive") }
    }

    func checkTopics(_ checks: inout FieldChecks) {
        func check(_ ok: Bool, _ field: String, _ message: @autoclosure () -> String) {
            checks.check(ok, field, message())
        }
        check(
            !topics.isEmpty || !(design?.entities.isEmpty ?? true), "topics",
            "describe at least one topic, or domains with entities")
        var names = Set<String>()
        for (i, t) in topics.enumerated() {
            let f = "topics[\(i)]"
            check(!t.name.isEmpty, "\(f).name", "must not be empty")
            check(names.insert(t.name).inserted, "\(f).name", "topic '\(t.name)' is described twice")
            check(t.messagesPerSecond > 0, "\(f).messagesPerSecond", "must be positive (got \(t.messagesPerSecond))")
            check(t.messageSize > 0, "\(f).messageSize", "must be positive")
            check(t.compressionRatio >= 1, "\(f).compressionRatio", "must be at least 1 (uncompressed ÷ compressed)")
            check(
                t.compression != .none || t.compressionRatio == 1, "\(f).compressionRatio",
                "a ratio above 1 needs a codec; set compression to lz4, zstd, snappy or gzip")
            if let r = t.retentionSeconds { check(r > 0, "\(f).retention", "must be positive") }
            if let r = t.retentionBytesPerPartition { check(r > 0, "\(f).retentionBytes", "must be positive") }
            check(t.consumerGroups >= 0, "\(f).consumerGroups", "must not be negative")
            check(t.peakToAverage >= 1, "\(f).peakToAverage", "must be at least 1 (peak ÷ average)")
            if let n = t.partitions { check(n >= 1, "\(f).partitions", "must be at least 1") }
            if t.globalOrdering, let n = t.partitions {
                check(n == 1, "\(f).partitions", "ordering: total needs one partition, not \(n); drop one of the two")
            }
            if let c = t.consumers { check(c >= 1, "\(f).consumers", "must be at least 1") }
            if let pt = t.processingTimeSeconds { check(pt > 0, "\(f).processingTime", "must be positive") }
        }
    }

    /// The instance type a name refers to: a machine described in the file first, then the catalog.
    public func resolveInstance(named name: String, catalog: InstanceCatalog = .builtIn) -> InstanceType? {
        environment.machines.first { $0.name == name } ?? catalog.instance(named: name)
    }
}
