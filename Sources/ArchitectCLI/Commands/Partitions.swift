import ArchitectCore
import ArchitectFile
import ArchitectReports
import ArgumentParser

extension KafkaArchitect {
    /// `kafka-architect partitions`: how many partitions, term by term.
    struct Partitions: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "partitions",
            abstract: "Recommend a topic's partition count, explaining each term.",
            discussion: """
                Terms: throughput against per-partition producer and consumer throughput
                (after growth), headroom for consumer scaling (3× that minimum, or the
                consumers wanted), Little's law for processing time (with advice on
                concurrency inside partitions), a floor of one partition per broker, the
                smallest multiple of the brokers with the most divisors within 50%,
                guidance, and what the count costs. One partition only with
                --global-ordering. Give an architecture file to advise every topic, for
                the broker count its plan settles on.

                Examples:
                  kafka-architect partitions --messages-per-second 10k --message-size 1KB --growth 2.5
                  kafka-architect partitions --messages-per-second 2k --message-size 2KB \\
                    --processing-time 50ms --consumers 6 --brokers 6
                  kafka-architect partitions examples/ecommerce.yaml --format json

                Formulas: docs/partitions.md. Exit codes: 0 ok, 2 usage or input error.
                """
        )

        @Argument(help: "Architecture file: advise each topic (or --topic). Omit to use flags.") var file: String?
        @Option(help: "Only this topic of the file.") var topic: String?
        @Option(help: "Average messages per second, e.g. 10k.") var messagesPerSecond: String?
        @Option(help: "Average message size, e.g. 1KB.") var messageSize: String?
        @Option(help: "Peak rate ÷ average rate (default 1).") var peakToAverage: String?
        @Option(help: "Growth factor to size for (default 2).") var growth: String?
        @Option(help: "Uncompressed ÷ compressed size: partitions carry compressed batches (default 1).")
        var compressionRatio: String?
        @Option(help: "Sustained produce throughput per partition (default 10MB/s); use a measured figure.")
        var partitionWriteThroughput: String?
        @Option(help: "Sustained consume throughput per partition (default 10MB/s); use a measured figure.")
        var partitionReadThroughput: String?
        @Option(help: "Consumers wanted in one group.") var consumers: Int?
        @Option(help: "Processing time per message, e.g. 50ms.") var processingTime: String?
        @Option(help: "Brokers: the floor and the multiple (default 3; with a file, the plan's count).")
        var brokers: Int?
        @Option(help: "Consumer-scaling headroom over the throughput minimum (default 3).") var consumerHeadroom:
            String?
        @Flag(help: "A low-volume topic: no one-per-broker floor or multiple.") var lowVolume = false
        @Flag(help: "Ordering across all keys is needed: one partition.") var globalOrdering = false
        @Option(help: "Replication factor for per-broker guidance (default 3).") var replicationFactor: Int?
        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            if file == nil && (messagesPerSecond == nil || messageSize == nil) {
                throw ValidationError("give --messages-per-second and --message-size, or an architecture file")
            }
            if file != nil && (messagesPerSecond != nil || messageSize != nil) {
                throw ValidationError(
                    "--messages-per-second and --message-size describe a topic; with a file, the file's topics are used"
                )
            }
            if let brokers, !(1...10_000).contains(brokers) {
                throw ValidationError("--brokers must be between 1 and 10000 (got \(brokers))")
            }
            if let consumers, consumers > 1_000_000 {
                throw ValidationError("--consumers must be at most 1000000 (got \(consumers))")
            }
            if let consumers, consumers < 1 { throw ValidationError("--consumers must be at least 1") }
            if let replicationFactor, replicationFactor < 1 {
                throw ValidationError("--replication-factor must be at least 1")
            }
        }

        func run() throws {
            var entries: [PartitionAdviceRenderer.Entry] = []
            if let file {
                let architecture = try ArchitectureInput.load(file)
                let topics = architecture.workloads.filter { topic == nil || $0.name == topic }
                guard !topics.isEmpty else {
                    throw InputFailure(
                        message:
                            "--topic: '\(topic ?? "")' is not in \(file); topics: \(architecture.workloads.map(\.name).joined(separator: ", "))"
                    )
                }
                // The broker count the plan settles on, so `partitions` gives the plan's own counts.
                let planned =
                    try?
                    (architecture.design == nil
                    ? CapacityPlanner().plan(architecture) : DesignAdvisor.designPlan(architecture))
                let clusterBrokers = planned?.brokers ?? architecture.environment.brokers
                for t in topics {
                    var q = CapacityPlanner.partitionQuestion(t, policy: architecture.policy, brokers: clusterBrokers)
                    q.controller = architecture.environment.controller
                    try applyOverrides(&q)
                    entries.append(.init(name: t.name, advice: PartitionAdvisor.advise(q)))
                }
            } else if let messagesPerSecond, let messageSize {
                var q = PartitionQuestion(
                    messagesPerSecond: try positive(
                        parseUnit(messagesPerSecond, "--messages-per-second", UnitParser.count), "--messages-per-second"
                    ),
                    messageSize: try positive(
                        parseUnit(messageSize, "--message-size", UnitParser.bytes), "--message-size"))
                try applyOverrides(&q)
                try checkBounds(q)
                entries.append(.init(name: nil, advice: PartitionAdvisor.advise(q)))
            } else {
                throw InputFailure(message: "give --messages-per-second and --message-size, or an architecture file")
            }
            let renderer = PartitionAdviceRenderer()
            try outputOptions.emit(
                text: { renderer.text(entries) }, markdown: { renderer.markdown(entries) },
                json: { try renderer.json(entries, single: file == nil) })
        }

        /// The same bounds `plan` holds a topic to (`Limits`), so neither answers for a workload no cluster runs.
        func checkBounds(_ q: PartitionQuestion) throws(InputFailure) {
            if q.messagesPerSecond > Limits.messagesPerSecond {
                throw InputFailure(
                    message: "--messages-per-second: at most 1 billion msg/s, beyond what any one Kafka cluster carries"
                )
            }
            if q.messageSize > Limits.messageSize {
                throw InputFailure(message: "--message-size: must be below 2 GiB (Kafka's size limits are 32-bit)")
            }
            if q.messagesPerSecond * q.messageSize > Limits.totalBytesPerSecond {
                throw InputFailure(
                    message:
                        "--messages-per-second × --message-size: at most 1 TB/s, beyond what any one cluster carries")
            }
            if q.growth > Limits.factor || q.peakToAverage > Limits.factor {
                throw InputFailure(message: "--growth and --peak-to-average: at most 1000")
            }
            if q.partitionWriteThroughput < 1000 || q.partitionReadThroughput < 1000 {
                throw InputFailure(
                    message: "--partition-write-throughput and --partition-read-throughput: at least 1KB/s")
            }
        }

        func applyOverrides(_ q: inout PartitionQuestion) throws(InputFailure) {
            if let peakToAverage {
                q.peakToAverage = try atLeastOne(
                    parseUnit(peakToAverage, "--peak-to-average", UnitParser.factor), "--peak-to-average")
            }
            if let growth { q.growth = try atLeastOne(parseUnit(growth, "--growth", UnitParser.factor), "--growth") }
            if let compressionRatio {
                q.compressionRatio = try atLeastOne(
                    parseUnit(compressionRatio, "--compression-ratio", UnitParser.factor), "--compression-ratio")
            }
            if let partitionWriteThroughput {
                q.partitionWriteThroughput = try positive(
                    parseUnit(partitionWriteThroughput, "--partition-write-throughput", UnitParser.byteRate),
                    "--partition-write-throughput")
            }
            if let partitionReadThroughput {
                q.partitionReadThroughput = try positive(
                    parseUnit(partitionReadThroughput, "--partition-read-throughput", UnitParser.byteRate),
                    "--partition-read-throughput")
            }
            if let consumers { q.consumers = consumers }
            if let processingTime {
                q.processingTime = try positive(
                    parseUnit(processingTime, "--processing-time", UnitParser.duration), "--processing-time")
            }
            if let brokers { q.brokers = brokers }
            if let replicationFactor { q.replicationFactor = replicationFactor }
            if let consumerHeadroom {
                q.consumerHeadroom = try atLeastOne(
                    parseUnit(consumerHeadroom, "--consumer-headroom", UnitParser.factor), "--consumer-headroom")
            }
            if q.consumerHeadroom > 100 { throw InputFailure(message: "--consumer-headroom: at most 100") }
            if q.compressionRatio > Limits.factor { throw InputFailure(message: "--compression-ratio: at most 1000") }
            if (q.processingTime ?? 0) > 86_400 { throw InputFailure(message: "--processing-time: at most 1 day") }
            if q.replicationFactor > Limits.replicationFactor {
                throw InputFailure(message: "--replication-factor: at most \(Limits.replicationFactor)")
            }
            if lowVolume { q.lowVolume = true }
            if globalOrdering { q.globalOrdering = true }
        }
    }
}
