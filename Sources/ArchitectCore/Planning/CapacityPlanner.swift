// Capacity planning: from workloads to a broker count, an instance type and a monthly cost.
// Every number is recorded in a FigureBook with its formula, so the plan explains itself.
// Formulas are documented in docs/plan.md; keep the two in step.

/// Why a plan could not be made.
public enum PlanError: Error, Equatable, Sendable {
    /// The model breaks rules; each error names its field.
    case invalid([ModelError])
    /// No instance type in the catalog fits (e.g. local NVMe asked for, no such machine described).
    case noCandidateInstance(String)
}

public struct CapacityPlanner: Sendable {
    public let catalog: InstanceCatalog

    public static let hoursPerMonth = 730.0
    static let secondsPerMonth = hoursPerMonth * 3600
    static let secondsPerDay = 86_400.0
    static let gib = 1_073_741_824.0
    /// Memory left to the operating system and other processes before page cache.
    static let osReserveBytes = 1.0 * 1_073_741_824
    static let maxHeapBytes = 6.0 * 1_073_741_824
    static let minHeapBytes = 1.0 * 1_073_741_824
    /// Network traffic one vCPU moves: TLS defeats zero-copy transfer and costs encryption.
    static let cpuThroughputPerCoreTLS = 40e6
    static let cpuThroughputPerCorePlaintext = 80e6

    /// Instance types within this fraction of the cheapest count as equally cheap.
    public static let costTolerance = 0.05

    public init(catalog: InstanceCatalog = .builtIn) {
        self.catalog = catalog
    }

    /// Plans the cluster for an architecture.
    /// - Throws: `PlanError.invalid` when the model breaks a rule, naming each field.
    public func plan(_ architecture: Architecture) throws(PlanError) -> CapacityPlan {
        let errors = architecture.validationErrors(catalog: catalog) + architecture.designErrors()
        guard errors.isEmpty else { throw .invalid(errors) }
        // Plan the design's topics too; from here on they are ordinary topics.
        var architecture = architecture
        architecture.topics = architecture.workloads
        architecture.design = nil

        let (instance, candidates) = try chooseInstance(architecture)
        var book = FigureBook()
        let evaluation = evaluate(architecture, on: instance, book: &book)

        // The same plan at the growth factor, on the same instance type.
        var growthBook = FigureBook()
        let growthFactor = architecture.policy.growthFactor
        let grown = evaluate(architecture.scaled(by: growthFactor), on: instance, book: &growthBook)
        let growth = runway(architecture, evaluation: evaluation, grown: grown, factor: growthFactor, book: &book)

        let warnings = Warnings.collect(architecture, evaluation: evaluation, instance: instance)
        return CapacityPlan(
            name: architecture.name,
            brokers: evaluation.brokers,
            bindingConstraint: evaluation.binding,
            brokersFixed: architecture.environment.brokers != nil,
            instance: InstanceSelection(type: instance, automatic: architecture.environment.instance == nil, candidates: candidates),
            constraints: evaluation.constraints,
            throughput: evaluation.throughput,
            storage: evaluation.storage,
            memory: evaluation.memory,
            partitions: evaluation.partitions,
            cost: evaluation.cost,
            growth: growth,
            topics: evaluation.topics,
            warnings: warnings,
            figures: book.figures,
            catalog: CatalogReference(provider: catalog.provider, region: catalog.region, asOf: catalog.asOf, source: catalog.source)
        )
    }

    // MARK: - Instance choice

    func candidates(for architecture: Architecture) -> [InstanceType] {
        let env = architecture.environment
        let pool = env.provider == .custom ? env.machines : env.machines + catalog.instances
        // Local-NVMe plans need machines with drives; block-storage plans skip machines whose drives would sit idle.
        return pool.filter { env.storage == .localNVMe ? !$0.localDisks.isEmpty : ($0.localDisks.isEmpty || env.machines.contains($0)) }
    }

    func chooseInstance(_ architecture: Architecture) throws(PlanError) -> (InstanceType, [InstanceSelection.Candidate]) {
        if let name = architecture.environment.instance, let type = architecture.resolveInstance(named: name, catalog: catalog) {
            return (type, [])
        }
        let pool = candidates(for: architecture)
        guard !pool.isEmpty else {
            throw .noCandidateInstance("no instance type fits storage '\(architecture.environment.storage.rawValue)'; describe a machine under environment.machines")
        }
        struct Scored { let type: InstanceType; let eval: Evaluation }
        var scored: [Scored] = []
        for type in pool {
            var scratch = FigureBook()
            scored.append(Scored(type: type, eval: evaluate(architecture, on: type, book: &scratch)))
        }
        let fixed = architecture.environment.brokers
        func fits(_ s: Scored) -> Bool { fixed.map { Double($0) >= s.eval.requiredBrokers - 1e-9 } ?? true }
        scored.sort { a, b in
            let fa = fits(a), fb = fits(b)
            if fa != fb { return fa }
            if !fa { return a.eval.requiredBrokers < b.eval.requiredBrokers }
            if a.eval.cost.monthlyUSD != b.eval.cost.monthlyUSD { return a.eval.cost.monthlyUSD < b.eval.cost.monthlyUSD }
            if a.eval.brokers != b.eval.brokers { return a.eval.brokers < b.eval.brokers }
            return a.type.name < b.type.name
        }
        // Within 5% of the cheapest, fewer brokers win: fewer machines to patch, restart and lose.
        if fits(scored[0]), let cheapest = scored.first?.eval.cost.monthlyUSD {
            let close = scored.filter { fits($0) && $0.eval.cost.monthlyUSD <= cheapest * (1 + Self.costTolerance) }
            if let preferred = close.min(by: { ($0.eval.brokers, $0.eval.cost.monthlyUSD) < ($1.eval.brokers, $1.eval.cost.monthlyUSD) }),
               let index = scored.firstIndex(where: { $0.type == preferred.type }) {
                scored.insert(scored.remove(at: index), at: 0)
            }
        }
        let top = scored.prefix(5).map {
            InstanceSelection.Candidate(instance: $0.type.name, brokers: $0.eval.brokers, bindingConstraint: $0.eval.binding, monthlyUSD: ($0.eval.cost.monthlyUSD * 100).rounded() / 100)
        }
        return (scored[0].type, Array(top))
    }

    // MARK: - Evaluation on one instance type

    struct Evaluation {
        var topics: [TopicPlan]
        var throughput: Throughput
        var storage: Storage
        var memory: Memory
        var partitions: PartitionSummary
        var constraints: [ConstraintResult]
        var requiredBrokers: Double
        var brokers: Int
        var binding: ConstraintKind
        var cost: Cost
    }

    func evaluate(_ a: Architecture, on instance: InstanceType, book: inout FigureBook) -> Evaluation {
        let env = a.environment, policy = a.policy
        let rf = Double(policy.replicationFactor)
        let zones = Double(env.availabilityZones)
        let util = policy.targetUtilization

        // Topics and partitions.
        let topics = a.topics.map { Self.topicPlan($0, policy: policy) }
        let single = topics.count == 1 ? topics[0] : nil

        func total(
            _ id: String, _ label: String, _ unit: FigureUnit, formula: String,
            inputs: (TopicPlan) -> [Term], value: (TopicPlan) -> Double
        ) -> Double {
            if let t = single {
                return book.record(id, label, value(t), unit, formula: formula, inputs: inputs(t))
            }
            let v = topics.reduce(0) { $0 + value($1) }
            return book.record(id, label, v, unit, formula: "Σ topics (\(formula))", inputs: topics.map { Term($0.name, value($0), unit) })
        }

        // Throughput.
        let mps = total("throughput.ingressMessagesPerSecond", "Producer messages (average)", .messagesPerSecond,
                        formula: "messagesPerSecond", inputs: { [Term("messagesPerSecond", $0.messagesPerSecond, .messagesPerSecond)] },
                        value: { $0.messagesPerSecond })
        let peakMps = total("throughput.peakIngressMessagesPerSecond", "Producer messages (peak)", .messagesPerSecond,
                            formula: "messagesPerSecond × peakToAverage",
                            inputs: { [Term("messagesPerSecond", $0.messagesPerSecond, .messagesPerSecond), Term("peakToAverage", $0.peakToAverage, .ratio)] },
                            value: { $0.messagesPerSecond * $0.peakToAverage })
        let ingress = total("throughput.ingressBytesPerSecond", "Producer ingress, uncompressed (average)", .bytesPerSecond,
                            formula: "messagesPerSecond × messageSize",
                            inputs: { [Term("messagesPerSecond", $0.messagesPerSecond, .messagesPerSecond), Term("messageSize", $0.messageSize, .bytes)] },
                            value: { $0.ingressBytesPerSecond })
        let peakIngress = total("throughput.peakIngressBytesPerSecond", "Producer ingress, uncompressed (peak)", .bytesPerSecond,
                                formula: "messagesPerSecond × messageSize × peakToAverage",
                                inputs: { [Term("messagesPerSecond", $0.messagesPerSecond, .messagesPerSecond), Term("messageSize", $0.messageSize, .bytes), Term("peakToAverage", $0.peakToAverage, .ratio)] },
                                value: { $0.ingressBytesPerSecond * $0.peakToAverage })
        let wire = total("throughput.ingressWireBytesPerSecond", "Producer ingress on the wire (average)", .bytesPerSecond,
                         formula: "messagesPerSecond × messageSize ÷ compressionRatio",
                         inputs: { [Term("messagesPerSecond", $0.messagesPerSecond, .messagesPerSecond), Term("messageSize", $0.messageSize, .bytes), Term("compressionRatio", $0.compressionRatio, .ratio)] },
                         value: { $0.ingressWireBytesPerSecond })
        let peakWire = total("throughput.peakIngressWireBytesPerSecond", "Producer ingress on the wire (peak)", .bytesPerSecond,
                             formula: "messagesPerSecond × messageSize ÷ compressionRatio × peakToAverage",
                             inputs: { [Term("messagesPerSecond", $0.messagesPerSecond, .messagesPerSecond), Term("messageSize", $0.messageSize, .bytes), Term("compressionRatio", $0.compressionRatio, .ratio), Term("peakToAverage", $0.peakToAverage, .ratio)] },
                             value: { $0.ingressWireBytesPerSecond * $0.peakToAverage })
        let replication = book.record("throughput.replicationBytesPerSecond", "Replication traffic (average)", wire * (rf - 1), .bytesPerSecond,
                                      formula: "ingressWireBytesPerSecond × (replicationFactor − 1)",
                                      inputs: [Term("ingressWireBytesPerSecond", wire, .bytesPerSecond), Term("replicationFactor", rf, .count)])
        let peakReplication = book.record("throughput.peakReplicationBytesPerSecond", "Replication traffic (peak)", peakWire * (rf - 1), .bytesPerSecond,
                                          formula: "peakIngressWireBytesPerSecond × (replicationFactor − 1)",
                                          inputs: [Term("peakIngressWireBytesPerSecond", peakWire, .bytesPerSecond), Term("replicationFactor", rf, .count)])
        let egress = total("throughput.egressBytesPerSecond", "Consumer egress (average)", .bytesPerSecond,
                           formula: "ingressWireBytesPerSecond × consumerGroups",
                           inputs: { [Term("ingressWireBytesPerSecond", $0.ingressWireBytesPerSecond, .bytesPerSecond), Term("consumerGroups", Double($0.consumerGroups), .count)] },
                           value: { $0.ingressWireBytesPerSecond * Double($0.consumerGroups) })
        let peakEgress = total("throughput.peakEgressBytesPerSecond", "Consumer egress (peak)", .bytesPerSecond,
                               formula: "ingressWireBytesPerSecond × peakToAverage × consumerGroups",
                               inputs: { [Term("ingressWireBytesPerSecond", $0.ingressWireBytesPerSecond, .bytesPerSecond), Term("peakToAverage", $0.peakToAverage, .ratio), Term("consumerGroups", Double($0.consumerGroups), .count)] },
                               value: { $0.ingressWireBytesPerSecond * $0.peakToAverage * Double($0.consumerGroups) })

        // Storage.
        let daily = total("storage.dailyIngressBytes", "Daily ingress (on the wire, one copy)", .bytes,
                          formula: "ingressWireBytesPerSecond × 86,400 s",
                          inputs: { [Term("ingressWireBytesPerSecond", $0.ingressWireBytesPerSecond, .bytesPerSecond)] },
                          value: { $0.ingressWireBytesPerSecond * Self.secondsPerDay })
        let retained: Double
        if let t = single, t.retentionBytesPerPartition == nil {
            let days = (t.retentionSeconds ?? TopicWorkload.defaultRetentionSeconds) / Self.secondsPerDay
            retained = book.record("storage.retainedBytes", "Retained data (all replicas)", t.retainedBytesPerReplica * rf, .bytes,
                                   formula: "dailyIngressBytes × retentionDays × replicationFactor",
                                   inputs: [Term("dailyIngressBytes", daily, .bytes), Term("retentionDays", days, .days), Term("replicationFactor", rf, .count)])
        } else {
            let perReplica = topics.reduce(0) { $0 + $1.retainedBytesPerReplica }
            retained = book.record("storage.retainedBytes", "Retained data (all replicas)", perReplica * rf, .bytes,
                                   formula: "Σ topics min(dailyIngressBytes × retentionDays, retentionBytes × partitions) × replicationFactor",
                                   inputs: topics.map { Term($0.name, $0.retainedBytesPerReplica, .bytes) } + [Term("replicationFactor", rf, .count)])
        }
        let margin = policy.freeSpaceMargin
        let totalBytes = book.record("storage.totalBytes", "Disk needed with free-space margin", retained * (1 + margin), .bytes,
                                     formula: "retainedBytes × (1 + freeSpaceMargin)",
                                     inputs: [Term("retainedBytes", retained, .bytes), Term("freeSpaceMargin", margin, .fraction)])
        var localBytes = totalBytes
        var remoteBytes = 0.0
        if let tiered = env.tieredStorage {
            let localDays = tiered.localRetentionSeconds / Self.secondsPerDay
            let localPerReplica = topics.reduce(0) { $0 + min($1.retainedBytesPerReplica, $1.ingressWireBytesPerSecond * tiered.localRetentionSeconds) }
            localBytes = book.record("storage.localBytes", "Broker disks with tiered storage", localPerReplica * rf * (1 + margin), .bytes,
                                     formula: "Σ topics min(retainedPerReplica, dailyIngressBytes × localRetentionDays) × replicationFactor × (1 + freeSpaceMargin)",
                                     inputs: [Term("dailyIngressBytes", daily, .bytes), Term("localRetentionDays", localDays, .days), Term("replicationFactor", rf, .count), Term("freeSpaceMargin", margin, .fraction)])
            remoteBytes = book.record("storage.remoteBytes", "Object storage (one copy)", topics.reduce(0) { $0 + $1.retainedBytesPerReplica }, .bytes,
                                      formula: "Σ topics retainedPerReplica (object storage keeps its own redundancy)",
                                      inputs: topics.map { Term($0.name, $0.retainedBytesPerReplica, .bytes) })
        }

        // Partitions.
        let totalPartitions = topics.reduce(0) { $0 + $1.partitions }
        book.record("partitions.total", "Partitions", Double(totalPartitions), .count,
                    formula: single != nil ? "partitions" : "Σ topics partitions",
                    inputs: topics.map { Term($0.name, Double($0.partitions), .count) })
        let replicas = book.record("partitions.replicas", "Partition replicas", Double(totalPartitions) * rf, .count,
                                   formula: "partitions × replicationFactor",
                                   inputs: [Term("partitions", Double(totalPartitions), .count), Term("replicationFactor", rf, .count)])

        // Broker-count constraints.
        let nic = instance.networkBaselineBytesPerSecond
        let diskRate = instance.diskThroughput(for: env.storage)
        let perBrokerStorage = env.storage == .localNVMe ? min(instance.localCapacityBytes, policy.maxStoragePerBroker) : policy.maxStoragePerBroker
        let replicaLimit = ReplicaGuidance.perBroker(vcpus: instance.vcpus, controller: env.controller)
        let perCore = policy.cpuThroughputPerCore ?? (env.tls ? Self.cpuThroughputPerCoreTLS : Self.cpuThroughputPerCorePlaintext)
        let cpuTraffic = peakWire + 2 * peakReplication + peakEgress
        let availability = (rf / zones).rounded(.up) * zones

        var required: [(ConstraintKind, Double)] = []
        required.append((.availability, book.record("constraints.availability", "Brokers for availability", availability, .brokers,
            formula: "⌈replicationFactor ÷ availabilityZones⌉ × availabilityZones",
            inputs: [Term("replicationFactor", rf, .count), Term("availabilityZones", zones, .count)])))
        required.append((.networkIn, book.record("constraints.networkIn", "Brokers for network in", (peakWire + peakReplication) / (util * nic), .brokers,
            formula: "(peakIngressWireBytesPerSecond + peakReplicationBytesPerSecond) ÷ (targetUtilization × networkBaseline)",
            inputs: [Term("peakIngressWireBytesPerSecond", peakWire, .bytesPerSecond), Term("peakReplicationBytesPerSecond", peakReplication, .bytesPerSecond),
                     Term("targetUtilization", util, .fraction), Term("networkBaseline", nic, .bytesPerSecond)])))
        required.append((.networkOut, book.record("constraints.networkOut", "Brokers for network out", (peakEgress + peakReplication) / (util * nic), .brokers,
            formula: "(peakEgressBytesPerSecond + peakReplicationBytesPerSecond) ÷ (targetUtilization × networkBaseline)",
            inputs: [Term("peakEgressBytesPerSecond", peakEgress, .bytesPerSecond), Term("peakReplicationBytesPerSecond", peakReplication, .bytesPerSecond),
                     Term("targetUtilization", util, .fraction), Term("networkBaseline", nic, .bytesPerSecond)])))
        required.append((.diskCapacity, book.record("constraints.diskCapacity", "Brokers for disk capacity", localBytes / perBrokerStorage, .brokers,
            formula: env.storage == .localNVMe ? "localBytes ÷ min(localNVMeCapacity, maxStoragePerBroker)" : "localBytes ÷ maxStoragePerBroker",
            inputs: [Term("localBytes", localBytes, .bytes), Term(env.storage == .localNVMe ? "min(localNVMeCapacity, maxStoragePerBroker)" : "maxStoragePerBroker", perBrokerStorage, .bytes)])))
        required.append((.diskThroughput, book.record("constraints.diskThroughput", "Brokers for disk throughput", peakWire * rf / (util * diskRate), .brokers,
            formula: "peakIngressWireBytesPerSecond × replicationFactor ÷ (targetUtilization × diskThroughput)",
            inputs: [Term("peakIngressWireBytesPerSecond", peakWire, .bytesPerSecond), Term("replicationFactor", rf, .count),
                     Term("targetUtilization", util, .fraction), Term("diskThroughput", diskRate, .bytesPerSecond)])))
        required.append((.replicaDensity, book.record("constraints.replicaDensity", "Brokers for replica density", replicas / Double(replicaLimit), .brokers,
            formula: "partitionReplicas ÷ replicasPerBrokerGuidance",
            inputs: [Term("partitionReplicas", replicas, .count), Term("replicasPerBrokerGuidance", Double(replicaLimit), .count)])))
        required.append((.cpu, book.record("constraints.cpu", "Brokers for CPU", cpuTraffic / (util * Double(instance.vcpus) * perCore), .brokers,
            formula: "(peakIngressWire + 2 × peakReplication + peakEgress) ÷ (targetUtilization × vCPUs × throughputPerCore)",
            inputs: [Term("peakTraffic", cpuTraffic, .bytesPerSecond), Term("targetUtilization", util, .fraction),
                     Term("vCPUs", Double(instance.vcpus), .cores), Term("throughputPerCore", perCore, .bytesPerSecond)])))

        let (binding, need) = required.reduce(required[0]) { $1.1 > $0.1 + 1e-9 ? $1 : $0 }
        let brokers: Int
        if let fixed = env.brokers {
            brokers = book.record("brokers", "Brokers (given)", Double(fixed), .brokers, formula: "environment.brokers", inputs: [Term("brokers", Double(fixed), .brokers)]).asInt
        } else {
            let minimum = ceilInt(need)
            brokers = book.record("brokers", "Brokers", (Double(minimum) / zones).rounded(.up) * zones, .brokers,
                                  formula: "⌈⌈\(binding.rawValue)⌉ ÷ availabilityZones⌉ × availabilityZones",
                                  inputs: [Term(binding.rawValue, need, .brokers), Term("availabilityZones", zones, .count)]).asInt
        }
        let n = Double(brokers)
        let constraints = required.map { kind, value in
            ConstraintResult(kind: kind, requiredBrokers: FigureBook.tidy(value, .ratio), minimumBrokers: ceilInt(value),
                             shareOfBinding: FigureBook.tidy(need > 0 ? value / need : 0, .ratio),
                             utilizationOfTarget: FigureBook.tidy(value / n, .ratio), binding: kind == binding,
                             figureId: "constraints.\(kind.rawValue)")
        }

        // Per-broker figures.
        let netIn = book.record("throughput.networkInPerBrokerBytesPerSecond", "Network in per broker (peak)", (peakWire + peakReplication) / n, .bytesPerSecond,
                                formula: "(peakIngressWireBytesPerSecond + peakReplicationBytesPerSecond) ÷ brokers",
                                inputs: [Term("peakIngressWireBytesPerSecond", peakWire, .bytesPerSecond), Term("peakReplicationBytesPerSecond", peakReplication, .bytesPerSecond), Term("brokers", n, .brokers)])
        let netOut = book.record("throughput.networkOutPerBrokerBytesPerSecond", "Network out per broker (peak)", (peakEgress + peakReplication) / n, .bytesPerSecond,
                                 formula: "(peakEgressBytesPerSecond + peakReplicationBytesPerSecond) ÷ brokers",
                                 inputs: [Term("peakEgressBytesPerSecond", peakEgress, .bytesPerSecond), Term("peakReplicationBytesPerSecond", peakReplication, .bytesPerSecond), Term("brokers", n, .brokers)])
        let perBroker = book.record("storage.perBrokerBytes", "Disk per broker", localBytes / n, .bytes,
                                    formula: "localBytes ÷ brokers", inputs: [Term("localBytes", localBytes, .bytes), Term("brokers", n, .brokers)])
        let layout = volumeLayout(perBrokerBytes: perBroker, perBrokerWrite: peakWire * rf / n / util, storage: env.storage, instance: instance, book: &book)
        let spareIn = max(nic - netIn, nic * 0.05)
        let recovery = book.record("storage.brokerRecoverySeconds", "Time to re-replicate a replaced broker", perBroker / spareIn, .seconds,
                                   formula: "perBrokerBytes ÷ max(networkBaseline − networkInPerBroker, 5% × networkBaseline)",
                                   inputs: [Term("perBrokerBytes", perBroker, .bytes), Term("networkBaseline", nic, .bytesPerSecond), Term("networkInPerBroker", netIn, .bytesPerSecond)])
        let replicasPerBroker = book.record("partitions.replicasPerBroker", "Partition replicas per broker", replicas / n, .count,
                                            formula: "partitionReplicas ÷ brokers", inputs: [Term("partitionReplicas", replicas, .count), Term("brokers", n, .brokers)])

        // Memory: a modest heap, the rest is page cache that serves consumers reading the tail.
        let mem = instance.memoryBytes
        let heap = book.record("memory.heapBytes", "JVM heap", min(Self.maxHeapBytes, max(Self.minHeapBytes, 0.25 * mem)), .memoryBytes,
                               formula: "min(6 GiB, max(1 GiB, 25% × memory))", inputs: [Term("memory", mem, .memoryBytes)])
        let pageCache = book.record("memory.pageCacheBytes", "Page cache", max(0, mem - heap - Self.osReserveBytes), .memoryBytes,
                                    formula: "memory − heap − 1 GiB operating-system reserve",
                                    inputs: [Term("memory", mem, .memoryBytes), Term("heap", heap, .memoryBytes)])
        let writesPerBroker = wire * rf / n
        let cacheSeconds = book.record("memory.pageCacheSeconds", "Newest writes held in page cache", writesPerBroker > 0 ? pageCache / writesPerBroker : 0, .seconds,
                                       formula: "pageCacheBytes ÷ (ingressWireBytesPerSecond × replicationFactor ÷ brokers)",
                                       inputs: [Term("pageCacheBytes", pageCache, .memoryBytes), Term("ingressWireBytesPerSecond", wire, .bytesPerSecond), Term("replicationFactor", rf, .count), Term("brokers", n, .brokers)])

        let cost = costs(a, instance: instance, brokers: n, layout: layout, wire: wire, egress: egress, remoteBytes: remoteBytes, book: &book)

        let throughput = Throughput(
            ingressMessagesPerSecond: FigureBook.tidy(mps, .messagesPerSecond), peakIngressMessagesPerSecond: FigureBook.tidy(peakMps, .messagesPerSecond),
            ingressBytesPerSecond: FigureBook.tidy(ingress, .bytesPerSecond), peakIngressBytesPerSecond: FigureBook.tidy(peakIngress, .bytesPerSecond),
            ingressWireBytesPerSecond: FigureBook.tidy(wire, .bytesPerSecond), peakIngressWireBytesPerSecond: FigureBook.tidy(peakWire, .bytesPerSecond),
            replicationBytesPerSecond: FigureBook.tidy(replication, .bytesPerSecond), peakReplicationBytesPerSecond: FigureBook.tidy(peakReplication, .bytesPerSecond),
            egressBytesPerSecond: FigureBook.tidy(egress, .bytesPerSecond), peakEgressBytesPerSecond: FigureBook.tidy(peakEgress, .bytesPerSecond),
            networkInPerBrokerBytesPerSecond: FigureBook.tidy(netIn, .bytesPerSecond), networkOutPerBrokerBytesPerSecond: FigureBook.tidy(netOut, .bytesPerSecond))
        let storage = Storage(
            dailyIngressBytes: FigureBook.tidy(daily, .bytes), retainedBytes: FigureBook.tidy(retained, .bytes), totalBytes: FigureBook.tidy(totalBytes, .bytes),
            localBytes: FigureBook.tidy(localBytes, .bytes), remoteBytes: FigureBook.tidy(remoteBytes, .bytes), perBrokerBytes: FigureBook.tidy(perBroker, .bytes),
            volumesPerBroker: layout.volumes, volumeSizeBytes: FigureBook.tidy(layout.volumeSize, .bytes),
            volumeThroughputBytesPerSecond: FigureBook.tidy(layout.volumeThroughput, .bytesPerSecond), brokerRecoverySeconds: FigureBook.tidy(recovery, .seconds))
        return Evaluation(
            topics: topics, throughput: throughput, storage: storage,
            memory: Memory(heapBytes: FigureBook.tidy(heap, .bytes), pageCacheBytes: FigureBook.tidy(pageCache, .bytes), pageCacheSeconds: FigureBook.tidy(cacheSeconds, .seconds)),
            partitions: PartitionSummary(total: totalPartitions, replicas: Int(replicas), replicasPerBroker: FigureBook.tidy(replicasPerBroker, .ratio),
                                         perBrokerGuidance: replicaLimit, clusterGuidance: ReplicaGuidance.perCluster(env.controller)),
            constraints: constraints, requiredBrokers: need, brokers: brokers, binding: binding, cost: cost)
    }

    // MARK: - Topics

    static func topicPlan(_ t: TopicWorkload, policy: Policy) -> TopicPlan {
        let ingress = t.messagesPerSecond * t.messageSize
        let wire = ingress / t.compressionRatio
        let partitions = t.partitions ?? PartitionAdvisor.advise(partitionQuestion(t, policy: policy)).recommendedPartitions
        let retentionSeconds = t.retentionSeconds ?? (t.retentionBytesPerPartition == nil ? TopicWorkload.defaultRetentionSeconds : nil)
        var perReplica = Double.infinity
        if let r = retentionSeconds { perReplica = wire * r }
        if let b = t.retentionBytesPerPartition { perReplica = min(perReplica, b * Double(partitions)) }
        return TopicPlan(
            name: t.name, messagesPerSecond: t.messagesPerSecond, messageSize: t.messageSize, compression: t.compression,
            compressionRatio: t.compressionRatio, ingressBytesPerSecond: ingress, ingressWireBytesPerSecond: wire,
            retentionSeconds: retentionSeconds, retentionBytesPerPartition: t.retentionBytesPerPartition,
            consumerGroups: t.consumerGroups, peakToAverage: t.peakToAverage, partitions: partitions,
            partitionsDerived: t.partitions == nil, retainedBytesPerReplica: perReplica)
    }

    /// The partition question `partitions` answers, asked for one topic of a plan.
    public static func partitionQuestion(_ t: TopicWorkload, policy: Policy) -> PartitionQuestion {
        var q = PartitionQuestion(messagesPerSecond: t.messagesPerSecond, messageSize: t.messageSize)
        q.peakToAverage = t.peakToAverage
        q.growth = policy.growthFactor
        q.partitionWriteThroughput = policy.partitionWriteThroughput
        q.partitionReadThroughput = policy.partitionReadThroughput
        q.consumers = t.consumers
        q.processingTime = t.processingTimeSeconds
        q.replicationFactor = policy.replicationFactor
        return q
    }

    // MARK: - Volumes

    struct VolumeLayout {
        var volumes: Int
        var volumeSize: Double
        var volumeThroughput: Double
    }

    func volumeLayout(perBrokerBytes: Double, perBrokerWrite: Double, storage: StorageType, instance: InstanceType, book: inout FigureBook) -> VolumeLayout {
        let prices = catalog.prices
        if storage == .localNVMe {
            let count = instance.localDisks.count
            book.record("storage.volumesPerBroker", "Local NVMe drives per broker", Double(count), .count, formula: "the instance's drives", inputs: [Term("localNVMeCapacity", instance.localCapacityBytes, .bytes)])
            book.record("storage.volumeSizeBytes", "Drive size", instance.localDisks.first ?? 0, .bytes, formula: "the instance's drive size", inputs: [])
            return VolumeLayout(volumes: count, volumeSize: instance.localDisks.first ?? 0, volumeThroughput: 0)
        }
        let maxVolume = prices.maxVolumeBytes
        let perVolumeThroughputCap: Double? = switch storage {
        case .gp3: prices.gp3MaxThroughput
        case .st1: prices.st1MaxThroughput
        default: nil
        }
        let bySize = ceilInt(perBrokerBytes / maxVolume)
        let byThroughput = perVolumeThroughputCap.map { ceilInt(perBrokerWrite / $0) } ?? 1
        let volumes = Int(book.record("storage.volumesPerBroker", "Volumes per broker", Double(max(1, bySize, byThroughput)), .count,
                                      formula: "max(1, ⌈perBrokerBytes ÷ maxVolumeSize⌉, ⌈perBrokerWriteAtTarget ÷ maxVolumeThroughput⌉)",
                                      inputs: [Term("perBrokerBytes", perBrokerBytes, .bytes), Term("maxVolumeSize", maxVolume, .bytes),
                                               Term("perBrokerWriteAtTarget", perBrokerWrite, .bytesPerSecond), Term("maxVolumeThroughput", perVolumeThroughputCap ?? 0, .bytesPerSecond)]))
        var size = perBrokerBytes / Double(volumes)
        var throughput = 0.0
        if storage == .st1 {
            // st1 throughput grows with size: provision enough TiB for the write rate.
            let forThroughput = perBrokerWrite / Double(volumes) / prices.st1ThroughputPerTiB * 1_099_511_627_776
            size = max(size, forThroughput, 125 * Self.gib)
        }
        if storage == .gp3 {
            throughput = book.record("storage.volumeThroughputBytesPerSecond", "gp3 throughput to provision per volume",
                                     min(prices.gp3MaxThroughput, max(prices.gp3IncludedThroughput, perBrokerWrite / Double(volumes))), .bytesPerSecond,
                                     formula: "clamp(perBrokerWriteAtTarget ÷ volumes, 125 MiB/s included, 2000 MiB/s max)",
                                     inputs: [Term("perBrokerWriteAtTarget", perBrokerWrite, .bytesPerSecond), Term("volumes", Double(volumes), .count)])
        }
        size = max(size, Self.gib)
        book.record("storage.volumeSizeBytes", "Volume size", size, .bytes, formula: storage == .st1 ? "max(perBrokerBytes ÷ volumes, write rate ÷ 40 MiB/s per TiB, 125 GiB)" : "max(perBrokerBytes ÷ volumes, 1 GiB)",
                    inputs: [Term("perBrokerBytes", perBrokerBytes, .bytes), Term("volumes", Double(volumes), .count)])
        return VolumeLayout(volumes: volumes, volumeSize: size, volumeThroughput: throughput)
    }

    // MARK: - Cost

    func costs(_ a: Architecture, instance: InstanceType, brokers n: Double, layout: VolumeLayout,
               wire: Double, egress: Double, remoteBytes: Double, book: inout FigureBook) -> Cost {
        let prices = catalog.prices
        let env = a.environment
        let rf = Double(a.policy.replicationFactor)
        let zones = Double(env.availabilityZones)
        var lines: [CostLine] = []
        func line(_ id: String, _ item: String, _ value: Double, formula: String, inputs: [Term]) -> Double {
            let v = book.record("cost.\(id)", item, value, .usdPerMonth, formula: formula, inputs: inputs)
            lines.append(CostLine(item: item, monthlyUSD: FigureBook.tidy(v, .usdPerMonth), figureId: "cost.\(id)"))
            return v
        }
        var base = line("instances", "Broker instances (\(instance.name))", n * instance.hourlyUSD * Self.hoursPerMonth,
                        formula: "brokers × hourlyPrice × 730 h",
                        inputs: [Term("brokers", n, .brokers), Term("hourlyPrice", instance.hourlyUSD, .usdPerHour)])
        if env.storage.isBlockStorage {
            let perGiB = prices.blockStoragePerGiBMonth[env.storage] ?? 0
            let provisioned = n * Double(layout.volumes) * layout.volumeSize
            base += line("blockStorage", "Block storage (\(env.storage.rawValue))", provisioned / Self.gib * perGiB,
                         formula: "brokers × volumesPerBroker × volumeSize ÷ 1 GiB × pricePerGiBMonth",
                         inputs: [Term("brokers", n, .brokers), Term("volumesPerBroker", Double(layout.volumes), .count), Term("volumeSize", layout.volumeSize, .bytes), Term("pricePerGiBMonth", perGiB, .usdPerGiBMonth)])
            if env.storage == .gp3, layout.volumeThroughput > prices.gp3IncludedThroughput {
                let extraMBps = (layout.volumeThroughput - prices.gp3IncludedThroughput) / 1_048_576
                base += line("blockStorageThroughput", "gp3 provisioned throughput", n * Double(layout.volumes) * extraMBps * prices.gp3ExtraThroughputPerMBpsMonth,
                             formula: "brokers × volumesPerBroker × (volumeThroughput − 125 MiB/s) ÷ 1 MiB/s × pricePerMiBpsMonth",
                             inputs: [Term("brokers", n, .brokers), Term("volumesPerBroker", Double(layout.volumes), .count), Term("volumeThroughput", layout.volumeThroughput, .bytesPerSecond), Term("pricePerMiBpsMonth", prices.gp3ExtraThroughputPerMBpsMonth, .usdPerMonth)])
            }
        }
        if remoteBytes > 0 {
            base += line("objectStorage", "Object storage (tiered segments)", remoteBytes / Self.gib * prices.objectStoragePerGiBMonth,
                         formula: "remoteBytes ÷ 1 GiB × pricePerGiBMonth",
                         inputs: [Term("remoteBytes", remoteBytes, .bytes), Term("pricePerGiBMonth", prices.objectStoragePerGiBMonth, .usdPerGiBMonth)])
        }
        // Cross-zone traffic: producers, leaders and consumers spread evenly over the zones.
        let crossShare = (zones - 1) / zones
        let perGiB = prices.crossZonePerGiB
        let month = Self.secondsPerMonth
        base += line("crossZoneProducer", "Cross-zone traffic: producers to leaders", wire * crossShare * month / Self.gib * perGiB,
                     formula: "ingressWireBytesPerSecond × (zones − 1) ÷ zones × seconds per month ÷ 1 GiB × pricePerGiB",
                     inputs: [Term("ingressWireBytesPerSecond", wire, .bytesPerSecond), Term("zones", zones, .count), Term("pricePerGiB", perGiB, .usdPerGiB)])
        let remoteCopies = min(rf - 1, rf * crossShare)
        base += line("crossZoneReplication", "Cross-zone traffic: replication", wire * remoteCopies * month / Self.gib * perGiB,
                     formula: "ingressWireBytesPerSecond × min(replicationFactor − 1, replicationFactor × (zones − 1) ÷ zones) × seconds per month ÷ 1 GiB × pricePerGiB",
                     inputs: [Term("ingressWireBytesPerSecond", wire, .bytesPerSecond), Term("replicationFactor", rf, .count), Term("zones", zones, .count), Term("pricePerGiB", perGiB, .usdPerGiB)])
        let consumerFromLeaders = egress * crossShare * month / Self.gib * perGiB
        let consumerFromFollowers = egress * max(0, zones - rf) / zones * month / Self.gib * perGiB
        let consumer: Double
        if env.followerFetching {
            consumer = line("crossZoneConsumer", "Cross-zone traffic: consumers (follower fetching)", consumerFromFollowers,
                            formula: "egressBytesPerSecond × max(0, zones − replicationFactor) ÷ zones × seconds per month ÷ 1 GiB × pricePerGiB",
                            inputs: [Term("egressBytesPerSecond", egress, .bytesPerSecond), Term("zones", zones, .count), Term("replicationFactor", rf, .count), Term("pricePerGiB", perGiB, .usdPerGiB)])
        } else {
            consumer = line("crossZoneConsumer", "Cross-zone traffic: consumers (from leaders)", consumerFromLeaders,
                            formula: "egressBytesPerSecond × (zones − 1) ÷ zones × seconds per month ÷ 1 GiB × pricePerGiB",
                            inputs: [Term("egressBytesPerSecond", egress, .bytesPerSecond), Term("zones", zones, .count), Term("pricePerGiB", perGiB, .usdPerGiB)])
        }
        let total = book.record("cost.monthlyUSD", "Monthly cost", base + consumer, .usdPerMonth,
                                formula: "Σ cost lines", inputs: lines.map { Term($0.item, $0.monthlyUSD, .usdPerMonth) })
        let with = book.record("cost.withFollowerFetchingMonthlyUSD", "Monthly cost with follower fetching (KIP-392)", base + consumerFromFollowers, .usdPerMonth,
                               formula: "other lines + consumer cross-zone traffic read from same-zone followers",
                               inputs: [Term("otherLines", base, .usdPerMonth), Term("consumerCrossZone", consumerFromFollowers, .usdPerMonth)])
        let without = book.record("cost.withoutFollowerFetchingMonthlyUSD", "Monthly cost without follower fetching", base + consumerFromLeaders, .usdPerMonth,
                                  formula: "other lines + consumer cross-zone traffic read from leaders",
                                  inputs: [Term("otherLines", base, .usdPerMonth), Term("consumerCrossZone", consumerFromLeaders, .usdPerMonth)])
        return Cost(monthlyUSD: FigureBook.tidy(total, .usdPerMonth), lines: lines,
                    withFollowerFetchingMonthlyUSD: FigureBook.tidy(with, .usdPerMonth),
                    withoutFollowerFetchingMonthlyUSD: FigureBook.tidy(without, .usdPerMonth),
                    followerFetching: env.followerFetching)
    }

    // MARK: - Growth and runway

    func runway(_ a: Architecture, evaluation e: Evaluation, grown: Evaluation, factor: Double, book: inout FigureBook) -> Growth {
        book.record("growth.brokers", "Brokers at the growth factor", Double(grown.brokers), .brokers,
                    formula: "the same plan with every topic's messagesPerSecond × growthFactor",
                    inputs: [Term("growthFactor", factor, .ratio), Term(grown.binding.rawValue, grown.requiredBrokers, .brokers)])
        book.record("growth.monthlyUSD", "Monthly cost at the growth factor", grown.cost.monthlyUSD, .usdPerMonth,
                    formula: "the same plan with every topic's messagesPerSecond × growthFactor", inputs: [Term("growthFactor", factor, .ratio)])
        // Load-driven constraints scale linearly with throughput; the first to reach the planned
        // broker count ends the runway.
        let n = Double(e.brokers)
        let scaling = e.constraints.filter { $0.kind.scalesWithThroughput && $0.requiredBrokers > 0 }
        let first = scaling.min { n / $0.requiredBrokers < n / $1.requiredBrokers }
        let factorLeft = first.map { n / $0.requiredBrokers } ?? .infinity
        let runwayFactor = book.record("growth.runwayFactor", "Load multiple the planned brokers carry", factorLeft, .ratio,
                                       formula: "brokers ÷ requiredBrokers of the first throughput-driven constraint to bind",
                                       inputs: [Term("brokers", n, .brokers), Term(first?.kind.rawValue ?? "none", first?.requiredBrokers ?? 0, .brokers)])
        let bytes = book.record("growth.runwayIngressBytesPerSecond", "Ingress at which the plan runs out", e.throughput.ingressBytesPerSecond * runwayFactor, .bytesPerSecond,
                                formula: "ingressBytesPerSecond × runwayFactor",
                                inputs: [Term("ingressBytesPerSecond", e.throughput.ingressBytesPerSecond, .bytesPerSecond), Term("runwayFactor", runwayFactor, .ratio)])
        return Growth(factor: factor, brokers: grown.brokers, bindingConstraint: grown.binding, monthlyUSD: grown.cost.monthlyUSD,
                      runwayFactor: FigureBook.tidy(runwayFactor, .ratio), runwayIngressBytesPerSecond: FigureBook.tidy(bytes, .bytesPerSecond),
                      runwayMessagesPerSecond: FigureBook.tidy(e.throughput.ingressMessagesPerSecond * runwayFactor, .messagesPerSecond),
                      runwayConstraint: first?.kind ?? .availability)
    }
}

extension Architecture {
    /// The same architecture with every topic's rate multiplied; derived partition counts stay as planned.
    func scaled(by factor: Double) -> Architecture {
        var copy = self
        copy.topics = topics.map { t in
            var s = t
            s.messagesPerSecond *= factor
            if s.partitions == nil {
                s.partitions = CapacityPlanner.topicPlan(t, policy: policy).partitions
            }
            return s
        }
        return copy
    }
}

extension Double {
    var asInt: Int { Int(self) }
}
