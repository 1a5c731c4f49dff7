// What a load test measured, as a value: the live side (`bench`) fills it in, the analysis names the bottleneck,
// the renderers print it. Times are microseconds unless named otherwise.

public enum BenchMode: String, Sendable, Equatable, CaseIterable, Codable {
    case produce, consume, e2e
}

/// Percentiles of one latency distribution, microseconds.
public struct LatencySummary: Sendable, Equatable, Codable {
    public var count: Int
    public var p50: Double
    public var p99: Double
    public var p999: Double
    public var p9999: Double
    public var max: Double
    public var mean: Double
    public init(count: Int, p50: Double, p99: Double, p999: Double, p9999: Double, max: Double, mean: Double) {
        self.count = count
        self.p50 = p50
        self.p99 = p99
        self.p999 = p999
        self.p9999 = p9999
        self.max = max
        self.mean = mean
    }
}

/// One second of the run.
public struct BenchSecond: Sendable, Equatable, Codable {
    public var second: Int
    public var records: Int
    public var bytes: Int
    /// Record latency p99 of the records acknowledged (or consumed) in this second.
    public var p99: Double?
    /// Request round trip p50 in this second.
    public var requestP50: Double?
    public init(second: Int, records: Int, bytes: Int, p99: Double?, requestP50: Double?) {
        self.second = second
        self.records = records
        self.bytes = bytes
        self.p99 = p99
        self.requestP50 = requestP50
    }
}

/// The settings a run used, as the report states them.
public struct BenchSettings: Sendable, Equatable, Codable {
    public var acks = "all"
    public var batchSize = 16384
    public var lingerMs: Double = 5
    public var compression = "none"
    public var maxInFlight = 5
    public var idempotent = true
    public var valueSize = 1024
    public var compressibility: Double = 0
    public var keys = "none"
    public var partitioner = "sticky"
    /// Records per second asked for; nil for `--rate max`.
    public var rate: Double?
    public var durationSeconds: Double?
    public var records: Int?
    /// Consume and e2e: the consumer's fetch.max.wait.ms.
    public var fetchMaxWaitMs: Int?
    /// Where the duration or record count came from when neither was given.
    public var defaulted: String?
    public init() {}
}

public struct BenchReport: Sendable, Equatable, Codable {
    public var mode: BenchMode
    public var topic: String
    public var partitions: Int
    /// Brokers leading the topic's partitions.
    public var leaders: Int
    public var createdTopic: Bool
    public var keptTopic: Bool
    public var settings: BenchSettings
    public var elapsedSeconds: Double
    public var records: Int
    /// Record bytes before compression, and as sent (or fetched).
    public var bytes: Int
    public var wireBytes: Int
    public var errors: [String: Int] = [:]
    public var retries = 0
    /// Produce: from each record's intended send time to its acknowledgement. Consume: none. E2E: from intended
    /// send time to consumption.
    public var latency: LatencySummary?
    /// One Produce (or Fetch) request's round trip.
    public var requestLatency: LatencySummary?
    /// E2E: the producer's own latency, from intended send time to acknowledgement.
    public var ackLatency: LatencySummary?
    /// E2E: the consumer's Fetch round trips, empty answers included (a broker holds an empty fetch up to
    /// fetch.max.wait.ms).
    public var fetchLatency: LatencySummary?
    public var requests = 0
    public var batches = 0
    public var fullBatches = 0
    public var lingerBatches = 0
    public var throttledResponses = 0
    public var throttleMs = 0
    /// Share of send attempts that found the broker at max.in.flight.
    public var inFlightFull = 0
    public var bufferFull = 0
    /// This process's CPU time (user + system), seconds.
    public var cpuSeconds: Double
    public var perSecond: [BenchSecond] = []
    /// Records due by the schedule but not acknowledged when the run ended (never sent, or still out 10 s after
    /// the last was due); each counts in the latencies at its wait so far.
    public var behindSchedule = 0
    /// The link's capacity, bytes/s, when given.
    public var linkBytesPerSecond: Double?
    public var plan: BenchPlanComparison?
    public var complete = true
    public var missing: [String] = []
    public var notes: [String] = []

    public init(
        mode: BenchMode, topic: String, partitions: Int, leaders: Int, createdTopic: Bool, keptTopic: Bool,
        settings: BenchSettings, elapsedSeconds: Double, records: Int, bytes: Int, wireBytes: Int, cpuSeconds: Double
    ) {
        self.mode = mode
        self.topic = topic
        self.partitions = partitions
        self.leaders = leaders
        self.createdTopic = createdTopic
        self.keptTopic = keptTopic
        self.settings = settings
        self.elapsedSeconds = elapsedSeconds
        self.records = records
        self.bytes = bytes
        self.wireBytes = wireBytes
        self.cpuSeconds = cpuSeconds
    }

    public var recordsPerSecond: Double { elapsedSeconds > 0 ? Double(records) / elapsedSeconds : 0 }
    public var bytesPerSecond: Double { elapsedSeconds > 0 ? Double(bytes) / elapsedSeconds : 0 }
    public var wireBytesPerSecond: Double { elapsedSeconds > 0 ? Double(wireBytes) / elapsedSeconds : 0 }
    /// Cores' worth of CPU this process used.
    public var cores: Double { elapsedSeconds > 0 ? cpuSeconds / elapsedSeconds : 0 }
    public var averageBatchBytes: Double { batches > 0 ? Double(bytes) / Double(batches) : 0 }
}

/// The run beside the design it was asked to check.
public struct BenchPlanComparison: Sendable, Equatable, Codable {
    public var file: String
    /// The design's topic whose workload the run took.
    public var workloadTopic: String
    public var plannedRecordsPerSecond: Double
    /// The design's peak ingress per broker (all topics, bytes/s before replication) and the brokers it plans.
    public var plannedBytesPerBroker: Double
    public var plannedBrokers: Int
    public var measuredBytesPerBroker: Double
    /// The latency target and its source, seconds.
    public var sloSeconds: Double?
    public var sloSource: String?
    public init(
        file: String, workloadTopic: String, plannedRecordsPerSecond: Double, plannedBytesPerBroker: Double,
        plannedBrokers: Int, measuredBytesPerBroker: Double, sloSeconds: Double?, sloSource: String?
    ) {
        self.file = file
        self.workloadTopic = workloadTopic
        self.plannedRecordsPerSecond = plannedRecordsPerSecond
        self.plannedBytesPerBroker = plannedBytesPerBroker
        self.plannedBrokers = plannedBrokers
        self.measuredBytesPerBroker = measuredBytesPerBroker
        self.sloSeconds = sloSeconds
        self.sloSource = sloSource
    }
}
