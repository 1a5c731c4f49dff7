// How many partitions a topic should have, term by term: throughput, consumer parallelism
// (with Little's law for processing time), broker multiples and guidance, and what too many costs.

/// What the advisor is asked about one topic.
public struct PartitionQuestion: Sendable, Equatable {
    public var messagesPerSecond: Double
    public var messageSize: Double
    public var peakToAverage: Double = 1
    public var growth: Double = 2
    /// Sustained produce throughput per partition, bytes/s.
    public var partitionWriteThroughput: Double = 10e6
    /// Sustained consume throughput per partition per consumer group, bytes/s.
    public var partitionReadThroughput: Double = 10e6
    /// Consumers wanted in one group.
    public var consumers: Int? = nil
    /// Processing time per message, seconds.
    public var processingTime: Double? = nil
    /// Round to a multiple of this when given.
    public var brokers: Int? = nil
    public var replicationFactor: Int = 3
    public var controller: ControllerMode = .kraft
    /// Partition replicas one broker should host.
    public var replicasPerBrokerGuidance: Int = 4000

    public init(messagesPerSecond: Double, messageSize: Double) {
        self.messagesPerSecond = messagesPerSecond
        self.messageSize = messageSize
    }
}

/// The advice, every term with its formula.
public struct PartitionAdvice: Sendable, Equatable {
    /// The fewest partitions the throughput needs.
    public let minimumPartitions: Int
    public let recommendedPartitions: Int
    /// Messages being processed at once at peak after growth (Little's law); 0 without a processing time.
    public let requiredConcurrency: Int
    /// Concurrent messages each partition must process to reach the required concurrency.
    public let concurrencyPerPartition: Int
    /// True when concurrency inside partitions is advised over more partitions.
    public let preferInPartitionConcurrency: Bool
    public let terms: [Figure]
    /// What the recommended count costs, and what it buys.
    public let costs: [Figure]
    public let notes: [String]
    public let warnings: [String]
}

public enum PartitionAdvisor {
    /// Concurrency beyond this multiple of the partitions otherwise needed is better served inside partitions.
    public static let inPartitionConcurrencyThreshold = 2.0

    public static func advise(_ q: PartitionQuestion) -> PartitionAdvice {
        var book = FigureBook()
        var notes: [String] = []
        var warnings: [String] = []
        let target = book.record("target", "Peak throughput after growth", q.messagesPerSecond * q.peakToAverage * q.messageSize * q.growth, .bytesPerSecond,
                                 formula: "messagesPerSecond × peakToAverage × messageSize × growth",
                                 inputs: [Term("messagesPerSecond", q.messagesPerSecond, .messagesPerSecond), Term("peakToAverage", q.peakToAverage, .ratio),
                                          Term("messageSize", q.messageSize, .bytes), Term("growth", q.growth, .ratio)])
        let forWrites = book.record("throughput.writes", "Partitions for producer throughput", Double(ceilInt(target / q.partitionWriteThroughput)), .count,
                                    formula: "⌈T ÷ partitionWriteThroughput⌉",
                                    inputs: [Term("T", target, .bytesPerSecond), Term("partitionWriteThroughput", q.partitionWriteThroughput, .bytesPerSecond)])
        let forReads = book.record("throughput.reads", "Partitions for consumer throughput", Double(ceilInt(target / q.partitionReadThroughput)), .count,
                                   formula: "⌈T ÷ partitionReadThroughput⌉",
                                   inputs: [Term("T", target, .bytesPerSecond), Term("partitionReadThroughput", q.partitionReadThroughput, .bytesPerSecond)])
        let minimum = Int(book.record("minimumPartitions", "Minimum partitions (throughput)", max(1, forWrites, forReads), .count,
                                      formula: "max(1, ⌈T ÷ p⌉, ⌈T ÷ c⌉)",
                                      inputs: [Term("forWrites", forWrites, .count), Term("forReads", forReads, .count)]))
        var physical = minimum
        if let consumers = q.consumers {
            let v = book.record("consumers", "Partitions for the consumers wanted", Double(consumers), .count,
                                formula: "consumers (a group uses at most one consumer per partition)", inputs: [Term("consumers", Double(consumers), .count)])
            physical = max(physical, Int(v))
        }
        var concurrency = 0
        var perPartition = 1
        var preferInside = false
        if let t = q.processingTime {
            let rate = q.messagesPerSecond * q.peakToAverage * q.growth
            concurrency = Int(book.record("requiredConcurrency", "Required concurrency (Little's law)", Double(ceilInt(rate * t)), .count,
                                          formula: "⌈messagesPerSecond × peakToAverage × growth × processingTime⌉",
                                          inputs: [Term("messagesPerSecond", q.messagesPerSecond, .messagesPerSecond), Term("peakToAverage", q.peakToAverage, .ratio),
                                                   Term("growth", q.growth, .ratio), Term("processingTime", t, .seconds)]))
            if Double(concurrency) > Self.inPartitionConcurrencyThreshold * Double(physical) {
                preferInside = true
                perPartition = Int((Double(concurrency) / Double(physical)).rounded(.up))
                notes.append("Processing needs \(concurrency) messages in flight but throughput and consumers need only \(physical) partitions. Process concurrently inside each partition — about \(perPartition) at a time per partition, keyed so each key stays in order (Karafka virtual partitions, Confluent's parallel consumer, or a per-key worker pool) — rather than creating \(concurrency) partitions that exist only to add threads: every partition costs open files, replication work, memory and rebalance time, and the count can never be lowered.")
            } else if concurrency > physical {
                physical = concurrency
                notes.append("Processing needs \(concurrency) messages in flight, close to the \(minimum) partitions throughput needs: one consumer thread per partition is simplest, so the count rises to \(concurrency).")
            }
        }
        var recommended = physical
        if let b = q.brokers, b > 0 {
            let rounded = Int((Double(physical) / Double(b)).rounded(.up)) * b
            book.record("brokers", "Rounded to a multiple of the brokers", Double(rounded), .count,
                        formula: "⌈partitions ÷ brokers⌉ × brokers", inputs: [Term("partitions", Double(physical), .count), Term("brokers", Double(b), .brokers)])
            recommended = rounded
            if preferInside { perPartition = Int((Double(concurrency) / Double(recommended)).rounded(.up)) }
        }
        book.record("recommendedPartitions", "Recommended partitions", Double(recommended), .count,
                    formula: q.brokers == nil ? "max(minimumPartitions, consumers, concurrency when served by partitions)" : "that, rounded up to a multiple of brokers",
                    inputs: [Term("minimumPartitions", Double(minimum), .count)] + (q.consumers.map { [Term("consumers", Double($0), .count)] } ?? []))

        // Guidance.
        let rf = Double(q.replicationFactor)
        if let b = q.brokers, b > 0 {
            let perBroker = Double(recommended) * rf / Double(b)
            if perBroker > Double(q.replicasPerBrokerGuidance) {
                warnings.append("\(Int(perBroker)) partition replicas per broker from this topic alone exceed the guidance of \(q.replicasPerBrokerGuidance); use fewer partitions (with in-partition concurrency) or more brokers.")
            }
        }
        let clusterLimit = ReplicaGuidance.perCluster(q.controller)
        if recommended > clusterLimit {
            warnings.append("\(recommended) partitions exceed the \(q.controller == .kraft ? "KRaft" : "ZooKeeper") guidance of \(clusterLimit) per cluster.")
        }

        // The cost of this many partitions, against what they buy.
        var costs = FigureBook()
        let brokers = Double(q.brokers ?? 3)
        let replicasPerBroker = Double(recommended) * rf / brokers
        costs.record("cost.replicationLatency", "Added commit latency from replication", replicasPerBroker / 1000 * 0.020, .seconds,
                     formula: "replicasPerBroker ÷ 1,000 × 20 ms (one replica fetcher; more num.replica.fetchers lower it)",
                     inputs: [Term("replicasPerBroker", replicasPerBroker, .count)])
        costs.record("cost.openFiles", "Open segment files per broker (at least)", replicasPerBroker * 3, .count,
                     formula: "replicasPerBroker × 3 (.log, .index, .timeindex of the active segment; more per rolled segment)",
                     inputs: [Term("replicasPerBroker", replicasPerBroker, .count)])
        costs.record("cost.failoverElections", "Leader elections when one broker fails", Double(recommended) / brokers, .count,
                     formula: "partitions ÷ brokers (ZooKeeper controllers took ~5 ms each; KRaft batches them)",
                     inputs: [Term("partitions", Double(recommended), .count), Term("brokers", brokers, .brokers)])
        costs.record("cost.rebalanceMoves", "Partitions revoked per eager rebalance", Double(recommended), .count,
                     formula: "partitions (cooperative-sticky assignment moves only the changed share)",
                     inputs: [Term("partitions", Double(recommended), .count)])
        costs.record("cost.producerBuffers", "Producer batch memory to fill every partition", Double(recommended) * 16_384, .memoryBytes,
                     formula: "partitions × batch.size (16 KiB default; buffer.memory is 32 MiB)",
                     inputs: [Term("partitions", Double(recommended), .count)])
        costs.record("benefit.throughput", "Throughput the partitions can carry", Double(recommended) * min(q.partitionWriteThroughput, q.partitionReadThroughput), .bytesPerSecond,
                     formula: "partitions × min(partitionWriteThroughput, partitionReadThroughput)",
                     inputs: [Term("partitions", Double(recommended), .count)])
        costs.record("benefit.consumers", "Most consumers one group can use", Double(recommended), .count,
                     formula: "partitions", inputs: [Term("partitions", Double(recommended), .count)])
        if q.brokers == nil { notes.append("Costs assume 3 brokers; give --brokers for your cluster.") }

        return PartitionAdvice(minimumPartitions: minimum, recommendedPartitions: recommended, requiredConcurrency: concurrency,
                               concurrencyPerPartition: perPartition, preferInPartitionConcurrency: preferInside,
                               terms: book.figures, costs: costs.figures, notes: notes, warnings: warnings)
    }
}
