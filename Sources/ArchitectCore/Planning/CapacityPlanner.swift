// Capacity planning: from workloads to a broker count, an instance type and a monthly cost.
// Every number is recorded in a FigureBook with its formula, so the plan explains itself.
// Formulas are documented in docs/plan.md; keep the two in step.
// One evaluation runs in stages, each in its own file: the workload's figures (+Workload), the broker
// count from the constraints in Constraints/ (+Sizing), per-broker figures and memory (+PerBroker), cost (+Cost).

/// Why a plan could not be made.
public enum PlanError: Error, Equatable, Sendable {
    /// The model breaks rules; each error names its field.
    case invalid([ModelError])
    /// No instance type in the catalog fits (e.g. local NVMe asked for, no such machine described).
    case noCandidateInstance(String)
}

public struct CapacityPlanner: Sendable {
    /// Self-managed EC2 machines and prices.
    public let catalog: InstanceCatalog
    /// Amazon MSK broker types and prices.
    public let mskCatalog: InstanceCatalog

    public static let hoursPerMonth = 730.0
    static let secondsPerMonth = hoursPerMonth * 3600
    static let secondsPerDay = 86_400.0
    static let gib = 1_073_741_824.0
    /// Memory left to the operating system and other processes before page cache.
    static let osReserveBytes = 1.0 * 1_073_741_824
    static let maxHeapBytes = 6.0 * 1_073_741_824
    static let minHeapBytes = 1.0 * 1_073_741_824

    /// Instance types within this fraction of the cheapest count as equally cheap.
    public static let costTolerance = 0.05

    public init(catalog: InstanceCatalog = .builtIn, mskCatalog: InstanceCatalog = .msk) {
        self.catalog = catalog
        self.mskCatalog = mskCatalog
    }

    /// The planner for the architecture's deployment: its catalog prices every figure.
    func forDeployment(_ env: Environment) -> CapacityPlanner {
        env.deployment == .msk ? CapacityPlanner(catalog: mskCatalog, mskCatalog: mskCatalog) : self
    }

    /// Plans the cluster for an architecture, and the same workload under the other deployments and pricing.
    /// - Throws: `PlanError.invalid` when the model breaks a rule, naming each field.
    public func plan(_ architecture: Architecture) throws(PlanError) -> CapacityPlan {
        var plan = try forDeployment(architecture.environment).planDeployment(architecture)
        plan.alternatives = alternatives(architecture, chosen: plan)
        return plan
    }

    /// The plan under the architecture's own deployment and pricing, without alternatives.
    func planDeployment(_ architecture: Architecture) throws(PlanError) -> CapacityPlan {
        let errors = architecture.validationErrors(catalog: catalog) + architecture.designErrors()
        guard errors.isEmpty else { throw .invalid(errors) }
        // Plan the design's topics too; from here on they are ordinary topics.
        var architecture = architecture
        architecture.topics = architecture.workloads
        if architecture.policy.produceLatencyP99Seconds == nil {
            architecture.policy.produceLatencyP99Seconds = architecture.design?.slos.produceLatencyP99Seconds
        }
        architecture.design = nil

        let (instance, candidates) = try chooseInstance(architecture)
        try Self.checkScale(architecture, on: instance, planner: self)
        var book = FigureBook()
        let settled = partitionBrokers(architecture, on: instance)
        var evaluation = evaluate(architecture, on: instance, partitionBrokers: settled, book: &book)
        try checkDeploymentLimits(architecture, evaluation: evaluation, instance: instance)
        evaluation.produceLatency = Self.produceLatency(architecture, evaluation: evaluation, book: &book)

        // The same plan at the growth factor, on the same instance type.
        var growthBook = FigureBook()
        let growthFactor = architecture.policy.growthFactor
        // With a fixed broker count, the growth plan says how many brokers the grown load needs.
        var grownArchitecture = architecture.scaled(by: growthFactor, partitionBrokers: settled)
        grownArchitecture.environment.brokers = nil
        let grown = evaluate(grownArchitecture, on: instance, partitionBrokers: settled, book: &growthBook)
        let growth = runway(architecture, evaluation: evaluation, grown: grown, factor: growthFactor, book: &book)

        let warnings = Warnings.collect(architecture, evaluation: evaluation, instance: instance, catalog: catalog)
        var plan = CapacityPlan(
            name: architecture.name,
            brokers: evaluation.brokers,
            bindingConstraint: evaluation.binding,
            brokersFixed: architecture.environment.brokers != nil,
            instance: InstanceSelection(
                type: instance, automatic: architecture.environment.instance == nil, candidates: candidates),
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
            catalog: CatalogReference(
                provider: catalog.provider, region: catalog.region, asOf: catalog.asOf, source: catalog.source)
        )
        plan.deployment = catalog.deployment
        plan.pricing = architecture.environment.pricing
        return plan
    }

    /// The workload under every deployment and pricing on offer: EC2 on demand and with a 3-year commitment,
    /// and Amazon MSK (which has no commitment pricing). A machine the file names is used under its
    /// counterpart's name where there is one; machines described in the file stay with EC2.
    func alternatives(_ a: Architecture, chosen: CapacityPlan) -> [DeploymentAlternative] {
        guard a.environment.provider != .custom else { return [] }
        var out: [DeploymentAlternative] = []
        for (provider, pricing) in [(Provider.aws, Pricing.onDemand), (.aws, .reserved3y), (.msk, .onDemand)] {
            if provider == a.environment.provider && pricing == a.environment.pricing {
                out.append(DeploymentAlternative(chosen, chosen: true))
                continue
            }
            var other = a
            other.environment.provider = provider
            other.environment.pricing = pricing
            if provider == .msk && other.environment.storage == .localNVMe { other.environment.storage = .gp3 }
            let deployment = other.environment.deployment
            let planner = forDeployment(other.environment)
            if let name = a.environment.instance {
                let mapped = InstanceCatalog.counterpart(of: name, in: deployment)
                other.environment.instance = planner.catalog.instance(named: mapped) != nil ? mapped : nil
            }
            guard let p = try? planner.planDeployment(other) else { continue }
            out.append(DeploymentAlternative(p, chosen: false))
        }
        if let cheapest = out.indices.min(by: { out[$0].monthlyUSD < out[$1].monthlyUSD }) {
            out[cheapest].cheapest = true
        }
        return out
    }

    // MARK: - Instance choice

    func candidates(for architecture: Architecture) -> [InstanceType] {
        let env = architecture.environment
        let pool = env.provider == .custom ? env.machines : env.machines + catalog.instances
        // Local-NVMe plans need machines with drives; block-storage plans skip machines whose drives would sit idle.
        return pool.filter {
            env.storage == .localNVMe ? !$0.localDisks.isEmpty : ($0.localDisks.isEmpty || env.machines.contains($0))
        }
    }

    /// An instance type with the plan it gives.
    struct Scored {
        let type: InstanceType
        let eval: Evaluation
    }

    func chooseInstance(_ architecture: Architecture) throws(PlanError) -> (InstanceType, [InstanceSelection.Candidate])
    {
        if let name = architecture.environment.instance,
            let type = architecture.resolveInstance(named: name, catalog: catalog)
        {
            return (type, [])
        }
        let pool = candidates(for: architecture)
        guard !pool.isEmpty else {
            throw .noCandidateInstance(
                "no instance type fits storage '\(architecture.environment.storage.rawValue)'; describe a machine under environment.machines"
            )
        }
        var scored = pool.map { type in
            var scratch = FigureBook()
            let brokers = partitionBrokers(architecture, on: type)
            return Scored(type: type, eval: evaluate(architecture, on: type, partitionBrokers: brokers, book: &scratch))
        }
        let fixed = architecture.environment.brokers
        let quota = brokerQuota(architecture.environment)
        // A type fits when the given count holds it, and (MSK) when it stays within the broker quota.
        func fits(_ s: Scored) -> Bool {
            (fixed.map { Double($0) >= s.eval.requiredBrokers - 1e-9 } ?? true)
                && (quota.map { s.eval.brokers <= $0 } ?? true)
        }
        scored.sort { a, b in
            let fa = fits(a)
            let fb = fits(b)
            if fa != fb { return fa }
            // Over a fixed count, the type closest to fitting; over only the quota, the fewest brokers, then the
            // cheapest of those.
            if !fa && fixed != nil { return a.eval.requiredBrokers < b.eval.requiredBrokers }
            if !fa && a.eval.brokers != b.eval.brokers { return a.eval.brokers < b.eval.brokers }
            if a.eval.cost.monthlyUSD != b.eval.cost.monthlyUSD {
                return a.eval.cost.monthlyUSD < b.eval.cost.monthlyUSD
            }
            if a.eval.brokers != b.eval.brokers { return a.eval.brokers < b.eval.brokers }
            return a.type.name < b.type.name
        }
        // Within 5% of the cheapest, fewer brokers win: fewer machines to patch, restart and lose.
        if fits(scored[0]), let cheapest = scored.first?.eval.cost.monthlyUSD {
            let close = scored.filter { fits($0) && $0.eval.cost.monthlyUSD <= cheapest * (1 + Self.costTolerance) }
            if let preferred = close.min(by: {
                ($0.eval.brokers, $0.eval.cost.monthlyUSD) < ($1.eval.brokers, $1.eval.cost.monthlyUSD)
            }),
                let index = scored.firstIndex(where: { $0.type == preferred.type })
            {
                scored.insert(scored.remove(at: index), at: 0)
            }
        }
        let top = scored.prefix(5).map {
            InstanceSelection.Candidate(
                instance: $0.type.name, brokers: $0.eval.brokers, bindingConstraint: $0.eval.binding,
                monthlyUSD: ($0.eval.cost.monthlyUSD * 100).rounded() / 100)
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
        /// The estimated p99 produce latency (recorded after the cost, with the plan's own figures).
        var produceLatency = 0.0
    }

    /// Refuses what the deployment cannot build: on MSK, a fixed broker count whose brokers would each hold
    /// more than the 16 TiB one MSK volume can.
    func checkDeploymentLimits(_ a: Architecture, evaluation e: Evaluation, instance: InstanceType) throws(PlanError) {
        if a.environment.storage == .localNVMe, e.storage.perBrokerBytes > instance.localCapacityBytes * (1 + 1e-9) {
            let needed = Self.brokersToHold(e.storage.localBytes, perBroker: instance.localCapacityBytes, a.environment)
            throw .invalid([
                ModelError(
                    field: "environment.brokers",
                    message:
                        "each of the \(e.brokers) brokers would hold \(Format.value(e.storage.perBrokerBytes, .bytes)), more than \(instance.name)'s \(Format.value(instance.localCapacityBytes, .bytes)) of local drives: use at least \(needed) brokers, larger drives, or tiered storage"
                )
            ])
        }
        guard let limit = catalog.storageLimitPerBroker, e.storage.perBrokerBytes > limit * (1 + 1e-9) else { return }
        let needed = Self.brokersToHold(e.storage.localBytes, perBroker: limit, a.environment)
        throw .invalid([
            ModelError(
                field: "environment.brokers",
                message:
                    "each of the \(e.brokers) brokers would hold \(Format.value(e.storage.perBrokerBytes, .bytes)), more than the 16 TiB Amazon MSK gives a broker: use at least \(needed) brokers, a shorter retention, or tiered storage"
            )
        ])
    }

    /// The fewest brokers, the same number in every zone, that hold `bytes` at `perBroker` each.
    static func brokersToHold(_ bytes: Double, perBroker: Double, _ env: Environment) -> Int {
        let zones = env.availabilityZones
        return (ceilInt(bytes / perBroker) + zones - 1) / zones * zones
    }

    /// The most brokers one cluster of this deployment may have by default (Amazon MSK's quota), if any.
    func brokerQuota(_ env: Environment) -> Int? {
        catalog.deployment == .msk ? (env.controller == .kraft ? 60 : 30) : nil
    }

    /// Refuses a workload no single cluster can carry: beyond `Limits.plannedBrokers` brokers on the chosen
    /// instance type the figures mean nothing, and a fixed broker count would only hide it.
    static func checkScale(_ a: Architecture, on instance: InstanceType, planner: CapacityPlanner) throws(PlanError) {
        var scratch = FigureBook()
        var unfixed = a
        unfixed.environment.brokers = nil
        let e = planner.evaluate(
            unfixed, on: instance, partitionBrokers: PartitionAdvisor.defaultBrokers, book: &scratch)
        guard e.requiredBrokers > Double(Limits.plannedBrokers) else { return }
        throw .invalid([
            ModelError(
                field: "topics",
                message:
                    "the workload needs \(Format.value(e.requiredBrokers, .count)) × \(instance.name) brokers (\(e.binding.label)), beyond the \(Format.grouped(Double(Limits.plannedBrokers), decimals: 0)) any one cluster could run: check the rates, sizes and retention, or split the workload over clusters"
            )
        ])
    }

    /// The broker count derived partition counts are planned for: the one given, else the count the plan
    /// settles on (partitions are at least one per broker and a multiple of the brokers, and the replicas
    /// they make can in turn need brokers), starting from the advisor's default.
    func partitionBrokers(_ a: Architecture, on instance: InstanceType) -> Int {
        if let fixed = a.environment.brokers { return fixed }
        var brokers = PartitionAdvisor.defaultBrokers
        guard a.topics.contains(where: { $0.partitions == nil }) else { return brokers }
        for _ in 0..<4 {
            var scratch = FigureBook()
            let planned = evaluate(a, on: instance, partitionBrokers: brokers, book: &scratch).brokers
            if planned == brokers { break }
            brokers = planned
        }
        return brokers
    }

    /// Plans the architecture on one instance type. Each stage records its figures in `book` as it goes, and
    /// the plan lists them in that order (the JSON's `figures[]` too): workload, constraints, broker count,
    /// per-broker figures, memory, cost. Keep the stages in this order.
    func evaluate(_ a: Architecture, on instance: InstanceType, partitionBrokers: Int, book: inout FigureBook)
        -> Evaluation
    {
        let topics = a.topics.map { Self.topicPlan($0, policy: a.policy, brokers: partitionBrokers) }
        let traffic = Self.trafficFigures(
            topics, policy: a.policy, tiered: a.environment.tieredStorage != nil, book: &book)
        let storage = Self.storageFigures(a, topics: topics, book: &book)
        let partitions = Self.partitionFigures(topics, policy: a.policy, book: &book)
        var context = ConstraintContext(
            architecture: a, instance: instance, topics: topics,
            traffic: traffic, storage: storage, partitions: partitions)
        context.deploymentStorageLimit = catalog.storageLimitPerBroker
        let sizing = Self.size(context, book: &book)
        let n = Double(sizing.brokers)
        let perBroker = perBrokerFigures(context, brokers: n, book: &book)
        let memory = Self.memoryFigures(context, brokers: n, book: &book)
        let cost = costs(
            a, instance: instance, brokers: n, layout: perBroker.layout,
            wire: traffic.ingressWireBytesPerSecond, egress: traffic.egressBytesPerSecond,
            remoteBytes: storage.remoteBytes, book: &book)
        let controller = a.environment.controller
        let partitionSummary = PartitionSummary(
            total: partitions.total, replicas: partitions.replicas.asInt,
            replicasPerBroker: FigureBook.tidy(perBroker.replicas, .ratio),
            perBrokerGuidance: ReplicaGuidance.perBroker(vcpus: instance.vcpus, controller: controller),
            clusterGuidance: ReplicaGuidance.perCluster(controller))
        return Evaluation(
            topics: topics, throughput: Throughput(traffic, perBroker: perBroker),
            storage: Storage(storage, perBroker: perBroker), memory: memory,
            partitions: partitionSummary, constraints: sizing.constraints,
            requiredBrokers: sizing.requiredBrokers, brokers: sizing.brokers, binding: sizing.binding, cost: cost)
    }

    // MARK: - Topics

    static func topicPlan(_ t: TopicWorkload, policy: Policy, brokers: Int) -> TopicPlan {
        let ingress = t.messagesPerSecond * t.messageSize
        // A topic that recompresses stores, replicates and serves its own codec's bytes.
        let ratio =
            t.topicCompression.map { $0 == t.compression ? t.compressionRatio : $0.typicalRatio } ?? t.compressionRatio
        let wire = ingress / ratio
        let partitions =
            t.partitions
            ?? PartitionAdvisor.advise(partitionQuestion(t, policy: policy, brokers: brokers)).recommendedPartitions
        let retentionSeconds =
            t.keptForever
            ? nil
            : t.retentionSeconds ?? (t.retentionBytesPerPartition == nil ? TopicWorkload.defaultRetentionSeconds : nil)
        var perReplica = Double.infinity
        if let r = t.keptForever ? TopicWorkload.foreverSizingSeconds : retentionSeconds { perReplica = wire * r }
        if let b = t.retentionBytesPerPartition { perReplica = min(perReplica, b * Double(partitions)) }
        if t.compacted, let keys = t.keyCount {
            // The latest record per key, up to twice over between cleaner runs (dirty ratio 0.5).
            perReplica = min(perReplica, keys * t.messageSize / ratio * compactedDirtyFactor)
        }
        var plan = TopicPlan(
            name: t.name, messagesPerSecond: t.messagesPerSecond, messageSize: t.messageSize,
            compression: t.compression,
            compressionRatio: ratio, ingressBytesPerSecond: ingress, ingressWireBytesPerSecond: wire,
            retentionSeconds: retentionSeconds, retentionBytesPerPartition: t.retentionBytesPerPartition,
            consumerGroups: t.consumerGroups, peakToAverage: t.peakToAverage, partitions: partitions,
            partitionsDerived: t.partitions == nil, retainedBytesPerReplica: perReplica)
        plan.compacted = t.compacted
        plan.keepLocal = t.compacted || t.keepLocal
        plan.keptForever = t.keptForever
        plan.topicCompression = t.topicCompression == t.compression ? nil : t.topicCompression
        plan.globalOrdering = t.globalOrdering
        return plan
    }

    /// A compacted log holds its clean part plus as much again of dirty records before the cleaner runs
    /// at Kafka's `min.cleanable.dirty.ratio` of 0.5: 1 ÷ (1 − 0.5).
    static let compactedDirtyFactor = 2.0

    /// The partition question `partitions` answers, asked for one topic of a plan.
    public static func partitionQuestion(_ t: TopicWorkload, policy: Policy, brokers: Int? = nil) -> PartitionQuestion {
        var q = PartitionQuestion(messagesPerSecond: t.messagesPerSecond, messageSize: t.messageSize)
        q.brokers = brokers
        q.peakToAverage = t.peakToAverage
        q.growth = policy.growthFactor
        q.partitionWriteThroughput = policy.partitionWriteThroughput
        q.partitionReadThroughput = policy.partitionReadThroughput
        q.consumers = t.consumers
        q.processingTime = t.processingTimeSeconds
        q.replicationFactor = policy.replicationFactor
        q.lowVolume = t.lowVolume
        q.globalOrdering = t.globalOrdering
        // Partitions carry the bytes on the wire: compressed batches, in the topic's own codec when it recompresses.
        q.compressionRatio =
            t.topicCompression.map { $0 == t.compression ? t.compressionRatio : $0.typicalRatio } ?? t.compressionRatio
        return q
    }

    // MARK: - Growth and runway

    func runway(_ a: Architecture, evaluation e: Evaluation, grown: Evaluation, factor: Double, book: inout FigureBook)
        -> Growth
    {
        book.record(
            "growth.brokers", "Brokers at the growth factor", Double(grown.brokers), .brokers,
            formula: "the same plan with every topic's messagesPerSecond × growthFactor",
            inputs: [
                Term("growthFactor", factor, .ratio), Term(grown.binding.rawValue, grown.requiredBrokers, .brokers),
            ])
        book.record(
            "growth.monthlyUSD", "Monthly cost at the growth factor", grown.cost.monthlyUSD, .usdPerMonth,
            formula: "the same plan with every topic's messagesPerSecond × growthFactor",
            inputs: [Term("growthFactor", factor, .ratio)])
        // Load-driven constraints scale linearly with throughput; the first to reach the planned
        // broker count ends the runway.
        let n = Double(e.brokers)
        let scaling = e.constraints.filter { $0.kind.scalesWithThroughput && $0.requiredBrokers > 0 }
        let first = scaling.min { n / $0.requiredBrokers < n / $1.requiredBrokers }
        let factorLeft = first.map { n / $0.requiredBrokers } ?? .infinity
        let runwayFactor = book.record(
            "growth.runwayFactor", "Load multiple the planned brokers carry", factorLeft, .ratio,
            formula: "brokers ÷ requiredBrokers of the first throughput-driven constraint to bind",
            inputs: [
                Term("brokers", n, .brokers),
                Term(first?.kind.rawValue ?? "none", first?.requiredBrokers ?? 0, .brokers),
            ])
        let bytes = book.record(
            "growth.runwayIngressBytesPerSecond", "Ingress at which the plan runs out",
            e.throughput.ingressBytesPerSecond * runwayFactor, .bytesPerSecond,
            formula: "ingressBytesPerSecond × runwayFactor",
            inputs: [
                Term("ingressBytesPerSecond", e.throughput.ingressBytesPerSecond, .bytesPerSecond),
                Term("runwayFactor", runwayFactor, .ratio),
            ])
        return Growth(
            factor: factor, brokers: grown.brokers, bindingConstraint: grown.binding, monthlyUSD: grown.cost.monthlyUSD,
            runwayFactor: FigureBook.tidy(runwayFactor, .ratio),
            runwayIngressBytesPerSecond: FigureBook.tidy(bytes, .bytesPerSecond),
            runwayMessagesPerSecond: FigureBook.tidy(
                e.throughput.ingressMessagesPerSecond * runwayFactor, .messagesPerSecond),
            runwayConstraint: first?.kind ?? .availability)
    }
}

extension Architecture {
    /// The same architecture with every topic's rate multiplied; derived partition counts stay as planned.
    func scaled(by factor: Double, partitionBrokers: Int) -> Architecture {
        var copy = self
        copy.topics = topics.map { t in
            var s = t
            s.messagesPerSecond *= factor
            if s.partitions == nil {
                s.partitions = CapacityPlanner.topicPlan(t, policy: policy, brokers: partitionBrokers).partitions
            }
            return s
        }
        return copy
    }
}

extension Double {
    /// The whole number, saturating where ceilInt does.
    var asInt: Int { isFinite ? Int(Swift.min(Swift.max(self, -Limits.saturation), Limits.saturation)) : 0 }
}
