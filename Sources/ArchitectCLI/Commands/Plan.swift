import ArchitectCore
import ArchitectFile
import ArchitectReports
import ArgumentParser

extension KafkaArchitect {
    /// `kafka-architect plan`: capacity plan and cost, every figure with its formula.
    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Size a Kafka cluster and price it, every figure with its formula and inputs.",
            discussion: """
                Reads an architecture file (YAML; '-' for standard input), or builds
                a one-topic workload from flags. Environment and policy flags
                override the file's values.

                Examples:
                  kafka-architect plan examples/log-pipeline.yaml
                  kafka-architect plan examples/ecommerce.yaml --format markdown -o plan.md
                  kafka-architect plan --messages-per-second 50k --message-size 1KB \\
                    --retention 7d --consumer-groups 3 --instance m6i.2xlarge
                  kafka-architect plan examples/log-pipeline.yaml --deployment msk

                Every plan also lists the same workload self-managed on EC2 (on
                demand and with a 3-year commitment) and on Amazon MSK, and names the
                cheapest.

                Units: counts 50k, 1.5M; sizes 1KB (1000) or 1KiB (1024);
                durations 7d, 36h; rates 50MB/s, 10Gbps; fractions 0.3 or 30%.
                File format and formulas: docs/architecture-file.md, docs/plan.md.
                Exit codes: 0 ok, 2 usage or input error.
                """
        )

        @Argument(help: "Architecture file (YAML), or '-' for standard input. Omit to plan from flags.")
        var file: String?

        // Workload (without a file).
        @Option(help: "Average messages per second, e.g. 50k.") var messagesPerSecond: String?
        @Option(help: "Average uncompressed message size, e.g. 1KB.") var messageSize: String?
        @Option(help: "Retention time, e.g. 7d (default 7d, Kafka's default).") var retention: String?
        @Option(help: "Consumer groups reading the topic (default 1).") var consumerGroups: Int?
        @Option(help: "Compression codec: none, gzip, snappy, lz4, zstd (default none).") var compression: String?
        @Option(help: "Uncompressed ÷ compressed size, e.g. 4 (default: the codec's typical ratio).")
        var compressionRatio: String?
        @Option(help: "Peak rate ÷ average rate (default 1).") var peakToAverage: String?
        @Option(help: "Partitions (default: derived from throughput).") var partitions: Int?
        @Option(help: "Consumers wanted in one group: a derived partition count is at least this.") var consumers: Int?
        @Option(help: "Processing time per message, e.g. 20ms: a derived count allows its concurrency.")
        var processingTime: String?

        // Environment and policy (override a file).
        @Option(help: "Replication factor (default 3).") var replicationFactor: Int?
        @Option(help: "min.insync.replicas (default 2).") var minInsyncReplicas: Int?
        @Option(help: "Availability zones (default 3).") var availabilityZones: Int?
        @Option(help: "Instance type, a machine named in the file, or auto (default auto).") var instance: String?
        @Option(help: "Fix the broker count and check it instead of sizing.") var brokers: Int?
        @Option(help: "Storage: gp3, gp2, st1, io2, local-nvme (default gp3).") var storage: String?
        @Option(help: "Free-space margin on top of retained data (default 0.3).") var storageOverhead: String?
        @Option(help: "Growth factor the plan must also hold (default 2).") var growth: String?
        @Option(help: "Target utilisation of network, disk and CPU at peak (default 60%).") var targetUtilization:
            String?
        @Option(help: "Enable tiered storage with this local retention, e.g. 1d.") var tieredLocalRetention: String?
        @Flag(help: "Plan with follower fetching (KIP-392) for consumers.") var followerFetching = false
        @Option(help: "Controller mode: kraft or zookeeper (default kraft).") var controller: String?
        @Option(help: "Where the brokers run: ec2 (self-managed) or msk (Amazon MSK provisioned) (default ec2).")
        var deployment: String?
        @Option(help: "Instance pricing: on-demand or reserved-3y (a 3-year commitment; EC2 only) (default on-demand).")
        var pricing: String?
        @Option(help: "Longest time to re-replicate a replaced broker, e.g. 4h (default 4h).") var recoveryTarget:
            String?
        @Option(help: "Most of a resource survivors may use after losing a broker or a zone (default 100%).")
        var failureCeiling: String?
        @Option(help: "Share of consumer reads that miss the page cache (default 25%).") var cacheMissReadShare: String?
        @Option(help: "KRaft controllers: 3 or 5 (default 3).") var controllers: Int?
        @Option(help: "p99 produce-latency target to check the estimate against, e.g. 50ms.")
        var produceLatencyP99: String?

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            if file != nil {
                let workloadFlags: [(String, Bool)] = [
                    ("--messages-per-second", messagesPerSecond != nil), ("--message-size", messageSize != nil),
                    ("--retention", retention != nil), ("--consumer-groups", consumerGroups != nil),
                    ("--compression", compression != nil), ("--compression-ratio", compressionRatio != nil),
                    ("--peak-to-average", peakToAverage != nil), ("--partitions", partitions != nil),
                    ("--consumers", consumers != nil), ("--processing-time", processingTime != nil),
                ]
                if let flag = workloadFlags.first(where: { $0.1 }) {
                    throw ValidationError(
                        "\(flag.0) describes a workload; with an architecture file, change the file's topics instead")
                }
            } else if messagesPerSecond == nil || messageSize == nil {
                throw ValidationError(
                    "give an architecture file (e.g. examples/log-pipeline.yaml), or at least --messages-per-second and --message-size"
                )
            }
        }

        func run() throws {
            var architecture: Architecture
            if let file {
                architecture = try ArchitectureInput.load(
                    file, overriding: { (a: inout Architecture) throws(InputFailure) in try applyOverrides(&a) },
                    blame: { field in Self.flagFields[field].flatMap { givenFlags.contains($0) ? $0 : nil } })
            } else if let messagesPerSecond, let messageSize {
                architecture = Architecture(
                    name: "workload",
                    topics: [try flagTopic(messagesPerSecond: messagesPerSecond, messageSize: messageSize)])
            } else {
                throw InputFailure(
                    message:
                        "give an architecture file (e.g. examples/log-pipeline.yaml), or at least --messages-per-second and --message-size"
                )
            }
            if file == nil { try applyOverrides(&architecture) }
            if let file, architecture.topics.isEmpty && architecture.design == nil {
                throw InputFailure(
                    message:
                        "\(file): nothing to size: its topics give partitions and a replication factor but no messagesPerSecond and messageSize (diff and apply manage such topics; plan sizes topics with rates)"
                )
            }
            let plan: CapacityPlan
            do {
                // A design is planned exactly as `design` and `generate` plan it (partitions rounded to the
                // broker count), so the three never disagree.
                plan =
                    try architecture.design == nil
                    ? CapacityPlanner().plan(architecture) : DesignAdvisor.designPlan(architecture)
            } catch {
                throw InputFailure(message: describe(error, file: file))
            }
            let color = outputOptions.useColor
            try outputOptions.emit(
                text: { PlanTextRenderer(color: color).render(plan) },
                markdown: { PlanMarkdownRenderer().render(plan) },
                json: { try PlanJSONRenderer().render(plan) })
        }

        /// The one topic the workload flags describe.
        func flagTopic(messagesPerSecond: String, messageSize: String) throws(InputFailure) -> TopicWorkload {
            var codec = CompressionCodec.none
            if let compression { codec = try parseChoice(compression, "--compression", CompressionCodec.self) }
            var ratio: Double?
            if let compressionRatio {
                ratio = try parseUnit(compressionRatio, "--compression-ratio", UnitParser.factor)
            }
            var t = TopicWorkload(
                name: "workload",
                messagesPerSecond: try parseUnit(messagesPerSecond, "--messages-per-second", UnitParser.count),
                messageSize: try parseUnit(messageSize, "--message-size", UnitParser.bytes),
                compression: codec,
                compressionRatio: ratio
            )
            if let retention { t.retentionSeconds = try parseUnit(retention, "--retention", UnitParser.duration) }
            if let consumerGroups { t.consumerGroups = consumerGroups }
            if let peakToAverage {
                t.peakToAverage = try parseUnit(peakToAverage, "--peak-to-average", UnitParser.factor)
            }
            if let partitions { t.partitions = partitions }
            if let consumers { t.consumers = consumers }
            if let processingTime {
                t.processingTimeSeconds = try parseUnit(processingTime, "--processing-time", UnitParser.duration)
            }
            return t
        }

        func applyOverrides(_ a: inout Architecture) throws(InputFailure) {
            if let replicationFactor { a.policy.replicationFactor = replicationFactor }
            if let minInsyncReplicas { a.policy.minInsyncReplicas = minInsyncReplicas }
            if let availabilityZones { a.environment.availabilityZones = availabilityZones }
            if let instance { a.environment.instance = instance == "auto" ? nil : instance }
            if let brokers { a.environment.brokers = brokers }
            if let storage { a.environment.storage = try parseChoice(storage, "--storage", StorageType.self) }
            if let storageOverhead {
                a.policy.freeSpaceMargin = try parseUnit(storageOverhead, "--storage-overhead", UnitParser.fraction)
            }
            if let growth { a.policy.growthFactor = try parseUnit(growth, "--growth", UnitParser.factor) }
            if let targetUtilization {
                a.policy.targetUtilization = try parseUnit(
                    targetUtilization, "--target-utilization", UnitParser.fraction)
            }
            if let tieredLocalRetention {
                a.environment.tieredStorage = TieredStorage(
                    localRetentionSeconds: try parseUnit(
                        tieredLocalRetention, "--tiered-local-retention", UnitParser.duration))
            }
            if followerFetching { a.environment.followerFetching = true }
            if let controller {
                a.environment.controller = try parseChoice(controller, "--controller", ControllerMode.self)
            }
            if let deployment {
                let d = try parseChoice(deployment, "--deployment", Deployment.self)
                a.environment.provider =
                    d == .msk ? .msk : (a.environment.provider == .msk ? .aws : a.environment.provider)
            }
            if let pricing { a.environment.pricing = try parseChoice(pricing, "--pricing", Pricing.self) }
            if let recoveryTarget {
                a.policy.recoveryTargetSeconds = try parseUnit(recoveryTarget, "--recovery-target", UnitParser.duration)
            }
            if let failureCeiling {
                a.policy.failureCeiling = try parseUnit(failureCeiling, "--failure-ceiling", UnitParser.fraction)
            }
            if let cacheMissReadShare {
                a.policy.cacheMissReadShare = try parseUnit(
                    cacheMissReadShare, "--cache-miss-read-share", UnitParser.fraction)
            }
            if let controllers { a.environment.controllers = controllers }
            if let produceLatencyP99 {
                a.policy.produceLatencyP99Seconds = try parseUnit(
                    produceLatencyP99, "--produce-latency-p99", UnitParser.duration)
            }
        }

        /// The flag that sets each model field.
        static let flagFields: [String: String] = [
            "policy.replicationFactor": "--replication-factor",
            "policy.minInsyncReplicas": "--min-insync-replicas",
            "environment.availabilityZones": "--availability-zones", "environment.instance": "--instance",
            "environment.brokers": "--brokers", "environment.storage": "--storage",
            "policy.freeSpaceMargin": "--storage-overhead",
            "policy.growthFactor": "--growth", "policy.targetUtilization": "--target-utilization",
            "topics[0].messagesPerSecond": "--messages-per-second", "topics[0].messageSize": "--message-size",
            "topics[0].retention": "--retention", "topics[0].consumerGroups": "--consumer-groups",
            "topics[0].compressionRatio": "--compression-ratio", "topics[0].peakToAverage": "--peak-to-average",
            "topics[0].partitions": "--partitions", "topics[0].consumers": "--consumers",
            "topics[0].processingTime": "--processing-time",
            "environment.tieredStorage.localRetention": "--tiered-local-retention",
            "environment.pricing": "--pricing", "environment.controllers": "--controllers",
            "policy.recoveryTarget": "--recovery-target", "policy.failureCeiling": "--failure-ceiling",
            "policy.cacheMissReadShare": "--cache-miss-read-share",
            "policy.produceLatencyP99": "--produce-latency-p99",
            "topics": "--messages-per-second, --message-size, --retention",
        ]

        /// The environment and policy flags given on the command line.
        var givenFlags: Set<String> {
            let given: [(String, Bool)] = [
                ("--replication-factor", replicationFactor != nil), ("--min-insync-replicas", minInsyncReplicas != nil),
                ("--availability-zones", availabilityZones != nil), ("--instance", instance != nil),
                ("--brokers", brokers != nil), ("--storage", storage != nil),
                ("--storage-overhead", storageOverhead != nil), ("--growth", growth != nil),
                ("--target-utilization", targetUtilization != nil),
                ("--tiered-local-retention", tieredLocalRetention != nil), ("--pricing", pricing != nil),
                ("--controllers", controllers != nil), ("--recovery-target", recoveryTarget != nil),
                ("--failure-ceiling", failureCeiling != nil), ("--cache-miss-read-share", cacheMissReadShare != nil),
                ("--produce-latency-p99", produceLatencyP99 != nil),
            ]
            return Set(given.filter(\.1).map(\.0))
        }

        /// Names the flag when validation fails on a value given on the command line.
        func describe(_ error: PlanError, file: String?) -> String {
            switch error {
            case .noCandidateInstance(let message):
                return "\(file ?? "plan"): \(message)"
            case .invalid(let errors):
                let e = errors[0]
                let flags = Self.flagFields
                if let file {
                    // The file validated on its own, so a flag that overrides the field is to blame; when
                    // none did, the file's values only fail together with a flag's (e.g. --deployment).
                    if let flag = flags[e.field], givenFlags.contains(flag) {
                        return "\(flag) (overriding \(file)): \(e.message)"
                    }
                    return "\(file): \(e.field): \(e.message)"
                }
                return "\(flags[e.field] ?? e.field): \(e.message)"
            }
        }
    }
}
