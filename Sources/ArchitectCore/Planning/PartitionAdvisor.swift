// How many partitions a topic should have, term by term: throughput, headroom for consumer scaling
// (with Little's law for processing time), a production floor of one per broker, the smallest multiple of
// the brokers with the most divisors, guidance, and what too many costs. See docs/partitions.md.

/// What the advisor is asked about one topic.
public struct PartitionQuestion: Sendable, Equatable {
    public var messagesPerSecond: Double
    public var messageSize: Double
    public var peakToAverage: Double = 1
    /// Uncompressed ÷ compressed: a partition's throughput is in the bytes it carries.
    public var compressionRatio: Double = 1
    public var growth: Double = 2
    /// Sustained produce throughput per partition, bytes/s.
    public var partitionWriteThroughput: Double = 10e6
    /// Sustained consume throughput per partition per consumer group, bytes/s.
    public var partitionReadThroughput: Double = 10e6
    /// Consumers wanted in one group.
    public var consumers: Int? = nil
    /// Processing time per message, seconds.
    public var processingTime: Double? = nil
    /// Brokers in the cluster: the floor and the multiple. `nil` assumes `defaultBrokers` and says so.
    public var brokers: Int? = nil
    /// Consumer-scaling headroom: partitions are at least this multiple of the throughput minimum.
    public var consumerHeadroom: Double = 3
    /// A low-volume topic (configuration, reference data) skips the one-per-broker floor and the multiple.
    public var lowVolume = false
    /// Ordering across all keys: one partition, the only case for one.
    public var globalOrdering = false
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
    /// The broker count assumed when none is given.
    public static let defaultBrokers = 3
    /// Among multiples of the brokers up to this much larger than the smallest, the one with most divisors wins.
    public static let divisorSearchSpan = 1.5

    public static func advise(_ q: PartitionQuestion) -> PartitionAdvice {
        var book = FigureBook()
        var notes: [String] = []
        let minimum = minimumPartitions(q, book: &book)
        let physical = headroom(q, minimum: minimum, book: &book)
        var c = concurrency(q, physical: physical, minimum: minimum, book: &book, notes: &notes)
        var warnings: [String] = []
        let recommended: Int
        if q.globalOrdering {
            recommended = Int(
                book.record(
                    "recommendedPartitions", "Recommended partitions", 1, .count,
                    formula: "1: ordering across all keys is declared, and only one partition keeps it", inputs: []))
            if minimum > 1 {
                warnings.append(
                    "Global ordering keeps the topic on one partition, but its throughput needs \(minimum): one partition carries at most \(Format.value(min(q.partitionWriteThroughput, q.partitionReadThroughput), .bytesPerSecond)). Order per key instead, or split the stream."
                )
            }
        } else {
            recommended = recommendedPartitions(q, physical: c.physical, book: &book)
        }
        if c.preferInside {
            c.perPartition = Int((Double(c.required) / Double(max(recommended, 1))).rounded(.up))
        }
        warnings += guidanceWarnings(q, recommended: recommended)
        let costs = costFigures(q, recommended: recommended)
        if q.brokers == nil {
            notes.append(
                "Assumes \(Self.defaultBrokers) brokers (the floor, the multiple and the costs); give --brokers for your cluster."
            )
        }

        return PartitionAdvice(
            minimumPartitions: minimum, recommendedPartitions: recommended, requiredConcurrency: c.required,
            concurrencyPerPartition: c.perPartition, preferInPartitionConcurrency: c.preferInside,
            terms: book.figures, costs: costs, notes: notes, warnings: warnings)
    }

    /// Records the fewest partitions the peak throughput after growth needs, writing and reading.
    static func minimumPartitions(_ q: PartitionQuestion, book: inout FigureBook) -> Int {
        let write = q.partitionWriteThroughput
        let read = q.partitionReadThroughput
        let ratio = max(1, q.compressionRatio)
        var inputs = [
            Term("messagesPerSecond", q.messagesPerSecond, .messagesPerSecond),
            Term("peakToAverage", q.peakToAverage, .ratio), Term("messageSize", q.messageSize, .bytes),
        ]
        if ratio != 1 { inputs.append(Term("compressionRatio", ratio, .ratio)) }
        inputs.append(Term("growth", q.growth, .ratio))
        let target = book.record(
            "target", "Peak throughput after growth",
            q.messagesPerSecond * q.peakToAverage * q.messageSize / ratio * q.growth,
            .bytesPerSecond,
            formula: ratio == 1
                ? "messagesPerSecond × peakToAverage × messageSize × growth"
                : "messagesPerSecond × peakToAverage × messageSize ÷ compressionRatio × growth",
            inputs: inputs)
        let forWrites = book.record(
            "throughput.writes", "Partitions for producer throughput", Double(ceilInt(target / write)), .count,
            formula: "⌈T ÷ partitionWriteThroughput⌉",
            inputs: [Term("T", target, .bytesPerSecond), Term("partitionWriteThroughput", write, .bytesPerSecond)])
        let forReads = book.record(
            "throughput.reads", "Partitions for consumer throughput", Double(ceilInt(target / read)), .count,
            formula: "⌈T ÷ partitionReadThroughput⌉",
            inputs: [Term("T", target, .bytesPerSecond), Term("partitionReadThroughput", read, .bytesPerSecond)])
        let minimum = book.record(
            "minimumPartitions", "Minimum partitions (throughput)", max(1, forWrites, forReads), .count,
            formula: "max(1, ⌈T ÷ p⌉, ⌈T ÷ c⌉)",
            inputs: [Term("forWrites", forWrites, .count), Term("forReads", forReads, .count)])
        return Int(minimum)
    }

    /// How processing time shapes the count.
    struct Concurrency {
        /// Messages in flight at peak after growth (Little's law); 0 without a processing time.
        var required = 0
        var perPartition = 1
        var preferInside = false
        /// Partitions the throughput, consumers and (when served by partitions) the concurrency need.
        var physical: Int
    }

    /// Records the concurrency a processing time needs, and chooses between serving it with partitions and
    /// serving it inside them.
    static func concurrency(
        _ q: PartitionQuestion, physical: Int, minimum: Int,
        book: inout FigureBook, notes: inout [String]
    ) -> Concurrency {
        var c = Concurrency(physical: physical)
        guard let t = q.processingTime else { return c }
        let rate = q.messagesPerSecond * q.peakToAverage * q.growth
        c.required = Int(
            book.record(
                "requiredConcurrency", "Required concurrency (Little's law)", Double(ceilInt(rate * t)), .count,
                formula: "⌈messagesPerSecond × peakToAverage × growth × processingTime⌉",
                inputs: [
                    Term("messagesPerSecond", q.messagesPerSecond, .messagesPerSecond),
                    Term("peakToAverage", q.peakToAverage, .ratio),
                    Term("growth", q.growth, .ratio), Term("processingTime", t, .seconds),
                ]))
        let concurrency = c.required
        if Double(concurrency) > Self.inPartitionConcurrencyThreshold * Double(physical) {
            c.preferInside = true
            c.perPartition = Int((Double(concurrency) / Double(physical)).rounded(.up))
            let perPartition = c.perPartition
            notes.append(
                "Processing needs \(concurrency) messages in flight but throughput and consumers need only \(physical) partitions. Process concurrently inside each partition — about \(perPartition) at a time per partition, keyed so each key stays in order (Karafka virtual partitions, Confluent's parallel consumer, or a per-key worker pool) — rather than creating \(concurrency) partitions that exist only to add threads: every partition costs open files, replication work, memory and rebalance time, and the count can never be lowered."
            )
        } else if concurrency > physical {
            c.physical = concurrency
            notes.append(
                "Processing needs \(concurrency) messages in flight, close to the \(minimum) partitions throughput needs: one consumer thread per partition is simplest, so the count rises to \(concurrency)."
            )
        }
        return c
    }

    /// Records the headroom for consumer scaling: a multiple of the throughput minimum, or the consumers
    /// wanted in one group (a group uses at most one consumer per partition), whichever is larger.
    static func headroom(_ q: PartitionQuestion, minimum: Int, book: inout FigureBook) -> Int {
        let scaled = ceilInt(Double(minimum) * q.consumerHeadroom)
        let consumers = q.consumers ?? 0
        var inputs = [
            Term("minimumPartitions", Double(minimum), .count), Term("consumerHeadroom", q.consumerHeadroom, .ratio),
        ]
        if q.consumers != nil { inputs.append(Term("consumers", Double(consumers), .count)) }
        return Int(
            book.record(
                "headroom", "Partitions for consumer scaling", Double(max(scaled, consumers)), .count,
                formula: q.consumers == nil
                    ? "⌈minimumPartitions × consumerHeadroom⌉"
                    : "max(⌈minimumPartitions × consumerHeadroom⌉, consumers)",
                inputs: inputs))
    }

    /// Records the recommended count: at least one partition per broker (every broker leads), then the
    /// smallest multiple of the brokers at or above the need, preferring among the multiples up to 50% larger
    /// the one with the most divisors, so consumer counts divide the partitions evenly. A low-volume topic
    /// skips the floor and the multiple.
    static func recommendedPartitions(_ q: PartitionQuestion, physical: Int, book: inout FigureBook) -> Int {
        if q.lowVolume {
            return Int(
                book.record(
                    "recommendedPartitions", "Recommended partitions", Double(physical), .count,
                    formula: "partitions for consumer scaling (a low-volume topic: no per-broker floor or multiple)",
                    inputs: [Term("partitions", Double(physical), .count)]))
        }
        let b = max(1, q.brokers ?? Self.defaultBrokers)
        let brokers = Term("brokers", Double(b), .brokers)
        let floor = book.record(
            "floor", "Production floor (every broker leads one)", Double(max(physical, b)), .count,
            formula: "max(partitions, brokers)", inputs: [Term("partitions", Double(physical), .count), brokers])
        let smallest = Int(
            book.record(
                "multiple", "Smallest multiple of the brokers", Double(ceilInt(floor / Double(b)) * b), .count,
                formula: "⌈floor ÷ brokers⌉ × brokers", inputs: [Term("floor", floor, .count), brokers]))
        let ceiling = Double(smallest) * Self.divisorSearchSpan
        var candidates: [Int] = []
        var k = smallest
        // Divisors matter for counts consumers can match; beyond a million the smallest multiple stands.
        while Double(k) <= ceiling + 1e-9 && candidates.count < 64 && (k <= 1_000_000 || candidates.isEmpty) {
            candidates.append(k)
            k += b
        }
        // A count the declared consumers divide wins; then most divisors; among equals, the smallest.
        func score(_ n: Int) -> (Int, Int) {
            (q.consumers.map { n % $0 == 0 ? 1 : 0 } ?? 0, divisorCount(n))
        }
        let best = candidates.reduce(smallest) { score($1) > score($0) ? $1 : $0 }
        return Int(
            book.record(
                "recommendedPartitions", "Recommended partitions", Double(best), .count,
                formula: q.consumers == nil
                    ? "the multiple of brokers in [multiple, 1.5 × multiple] with the most divisors (the smallest among equals)"
                    : "the multiple of brokers in [multiple, 1.5 × multiple] the consumers divide, else with the most divisors (the smallest among equals)",
                inputs: candidates.map { Term("divisors of \($0)", Double(divisorCount($0)), .count) }))
    }

    /// How many whole numbers divide n.
    static func divisorCount(_ n: Int) -> Int {
        guard n > 0, n <= 100_000_000 else { return 0 }
        var count = 0
        var d = 1
        while d * d <= n {
            if n % d == 0 { count += d * d == n ? 1 : 2 }
            d += 1
        }
        return count
    }

    /// Warnings where the count exceeds the per-broker or per-cluster guidance.
    static func guidanceWarnings(_ q: PartitionQuestion, recommended: Int) -> [String] {
        var warnings: [String] = []
        let rf = Double(q.replicationFactor)
        if let b = q.brokers, b > 0 {
            let perBroker = Double(recommended) * rf / Double(b)
            if perBroker > Double(q.replicasPerBrokerGuidance) {
                warnings.append(
                    "\(Int(perBroker)) partition replicas per broker from this topic alone exceed the guidance of \(q.replicasPerBrokerGuidance); use fewer partitions (with in-partition concurrency) or more brokers."
                )
            }
        }
        let clusterLimit = ReplicaGuidance.perCluster(q.controller)
        if recommended > clusterLimit {
            warnings.append(
                "\(recommended) partitions exceed the \(q.controller == .kraft ? "KRaft" : "ZooKeeper") guidance of \(clusterLimit) per cluster."
            )
        }
        return warnings
    }

    /// The cost of this many partitions, against what they buy.
    static func costFigures(_ q: PartitionQuestion, recommended: Int) -> [Figure] {
        var costs = FigureBook()
        let partitions = Double(recommended)
        let brokers = Double(q.brokers ?? Self.defaultBrokers)
        let replicasPerBroker = partitions * Double(q.replicationFactor) / brokers
        costs.record(
            "cost.replicationLatency", "Added commit latency from replication", replicasPerBroker / 1000 * 0.020,
            .seconds,
            formula: "replicasPerBroker ÷ 1,000 × 20 ms (one replica fetcher; more num.replica.fetchers lower it)",
            inputs: [Term("replicasPerBroker", replicasPerBroker, .count)])
        costs.record(
            "cost.openFiles", "Open segment files per broker (at least)", replicasPerBroker * 3, .count,
            formula: "replicasPerBroker × 3 (.log, .index, .timeindex of the active segment; more per rolled segment)",
            inputs: [Term("replicasPerBroker", replicasPerBroker, .count)])
        costs.record(
            "cost.failoverElections", "Leader elections when one broker fails", partitions / brokers, .count,
            formula: "partitions ÷ brokers (ZooKeeper controllers took ~5 ms each; KRaft batches them)",
            inputs: [Term("partitions", partitions, .count), Term("brokers", brokers, .brokers)])
        costs.record(
            "cost.rebalanceMoves", "Partitions revoked per eager rebalance", partitions, .count,
            formula: "partitions (cooperative-sticky assignment moves only the changed share)",
            inputs: [Term("partitions", partitions, .count)])
        costs.record(
            "cost.producerBuffers", "Producer batch memory to fill every partition",
            partitions * 16_384, .memoryBytes,
            formula: "partitions × batch.size (16 KiB default; buffer.memory is 32 MiB)",
            inputs: [Term("partitions", partitions, .count)])
        costs.record(
            "benefit.throughput", "Throughput the partitions can carry",
            partitions * min(q.partitionWriteThroughput, q.partitionReadThroughput), .bytesPerSecond,
            formula: "partitions × min(partitionWriteThroughput, partitionReadThroughput)",
            inputs: [Term("partitions", partitions, .count)])
        costs.record(
            "benefit.consumers", "Most consumers one group can use", partitions, .count,
            formula: "partitions", inputs: [Term("partitions", partitions, .count)])
        return costs.figures
    }
}
