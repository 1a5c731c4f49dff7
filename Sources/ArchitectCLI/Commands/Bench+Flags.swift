import ArchitectCore
import Foundation
import KafkaBench
import KafkaClient
import KafkaProtocol

/// `bench`'s flags checked and resolved: every bad value is one line, exit 2, before anything connects.
struct BenchPlan {
    var mode: BenchMode
    var producer = ProducerSettings()
    var rate: Double?
    var duration: Double?
    var records: Int?
    var keys: KeyDistribution = .none
    var valueSize = 1000
    var compressibility = 0.5
    var partitioner: PartitionerChoice = .sticky
    var seed: UInt64 = 1
    var histogram = true
    var fetchMaxWaitMs: Int32 = 500
    var partitions: Int?
    var replicationFactor: Int?
    var defaulted: String?
    /// From --file.
    var file: String?
    var workloadTopic: String?
    var plannedRate: Double?
    var plannedBytesPerBroker: Double?
    var plannedBrokers: Int?
    var slo: (seconds: Double, source: String)?
    var protectedTopics: Set<String> = []

    func request(_ c: ClusterConnection, topic: String) -> BenchRequest {
        var r = BenchRequest(mode: mode, topic: topic, bootstrap: c.addresses, admin: c.admin)
        r.producer = producer
        r.rate = rate
        r.duration = duration
        r.records = records
        r.keys = keys
        r.valueSize = valueSize
        r.compressibility = compressibility
        r.partitioner = partitioner
        r.seed = seed
        r.histogram = histogram
        r.fetcher.maxWaitMs = fetchMaxWaitMs
        r.progress = isatty(STDERR_FILENO) == 1 ? BenchProgressLine.print : nil
        return r
    }

    func comparison(_ r: BenchReport) -> BenchPlanComparison? {
        guard let file, let workloadTopic, let plannedRate, let plannedBytesPerBroker, let plannedBrokers else {
            return nil
        }
        return BenchPlanComparison(
            file: file, workloadTopic: workloadTopic, plannedRecordsPerSecond: plannedRate,
            plannedBytesPerBroker: plannedBytesPerBroker, plannedBrokers: plannedBrokers,
            measuredBytesPerBroker: r.bytesPerSecond / Double(max(1, r.leaders)), sloSeconds: slo?.seconds,
            sloSource: slo?.source)
    }
}

enum BenchProgressLine {
    @Sendable static func print(_ p: BenchProgress) {
        let p99 = p.p99Micros.map { "p99 so far \(BenchAnalysis.millis($0))" } ?? ""
        let line =
            "\r  \(p.second) s  \(BenchAnalysis.count(p.records)) records/s  \(BenchAnalysis.bytes(Double(p.bytes)))/s  \(p99)    "
        FileHandle.standardError.write(Data(line.utf8))
    }
}

struct BenchFlags {
    let c: KafkaArchitect.Bench
    init(_ c: KafkaArchitect.Bench) { self.c = c }

    func resolve() throws(InputFailure) -> BenchPlan {
        var p = BenchPlan(mode: BenchMode(rawValue: c.mode.rawValue) ?? .produce)
        if let file = c.file { try workload(file, into: &p) }
        if let name = c.topic, p.protectedTopics.contains(name) {
            throw InputFailure(
                message:
                    "--topic \(name): \(c.file ?? "the architecture file") marks it as production data; bench never writes to it"
            )
        }
        if let v = c.valueSize {
            let bytes = try parseUnit(v, "--value-size", UnitParser.bytes)
            guard bytes >= 8, bytes <= 10_000_000, bytes == bytes.rounded() else {
                throw InputFailure(
                    message: "--value-size \(v): give 8 B to 10 MB (the first 8 bytes carry the record's number)")
            }
            p.valueSize = Int(bytes)
        }
        guard (0...1).contains(c.compressibility) else {
            throw InputFailure(message: "--compressibility \(c.compressibility): give a share from 0 to 1, e.g. 0.5")
        }
        p.compressibility = c.compressibility
        try rates(&p)
        try limits(&p)
        try schedule(p)
        try producer(&p)
        p.keys = try Self.keys(c.keys)
        guard let partitioner = PartitionerChoice(rawValue: c.partitioner) else {
            throw InputFailure(message: "--partitioner \(c.partitioner): give sticky, murmur2 or round-robin")
        }
        p.partitioner = partitioner
        if let n = c.partitions, !(1...100_000).contains(n) {
            throw InputFailure(message: "--partitions \(n): give 1 to 100000")
        }
        if let rf = c.replicationFactor, !(1...32).contains(rf) {
            throw InputFailure(message: "--replication-factor \(rf): give 1 to 32")
        }
        p.partitions = c.partitions
        p.replicationFactor = c.replicationFactor
        p.seed = c.seed
        p.histogram = !c.noHistogram
        guard (0...30_000).contains(c.fetchMaxWaitMs) else {
            throw InputFailure(message: "--fetch-max-wait-ms \(c.fetchMaxWaitMs): give 0 to 30000")
        }
        p.fetchMaxWaitMs = Int32(c.fetchMaxWaitMs)
        if let g = c.linkGbps, !(g > 0 && g <= 10_000) {
            throw InputFailure(message: "--link-gbps \(g): give the link's speed in Gbit/s, more than 0 (e.g. 10)")
        }
        return p
    }

    func rates(_ p: inout BenchPlan) throws(InputFailure) {
        if c.rate != nil && c.mbPerSecond != nil {
            throw InputFailure(message: "--rate and --mb-per-second: give one of them")
        }
        if let mb = c.mbPerSecond {
            guard mb > 0, mb <= 100_000 else {
                throw InputFailure(message: "--mb-per-second \(mb): give more than 0 (up to 100000)")
            }
            p.rate = mb * 1e6 / Double(p.valueSize)
        } else if let text = c.rate {
            p.rate = try Self.rate(text)
        }
        if p.mode == .consume && (c.rate != nil || c.mbPerSecond != nil) {
            throw InputFailure(message: "--rate: consume reads as fast as it can; give --rate to produce or e2e")
        }
    }

    /// `50k/s`, `2000/s`, `max`; a bare number is refused (per second is the unit).
    static func rate(_ text: String) throws(InputFailure) -> Double? {
        // Lowercased only to compare: the count keeps its unit's case (M is mega, m is not a count unit).
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.lowercased() == "max" { return nil }
        guard t.lowercased().hasSuffix("/s") else {
            throw InputFailure(message: "--rate \(text): give records per second with the unit, e.g. 50k/s, or max")
        }
        let number = String(t.dropLast(2))
        let v: Double
        do { v = try UnitParser.count(number) } catch {
            throw InputFailure(message: "--rate \(text): \(error.description), then /s (e.g. 50k/s)")
        }
        guard v > 0 else { throw InputFailure(message: "--rate \(text): give more than 0 records/s, or max") }
        guard v <= 100_000_000 else { throw InputFailure(message: "--rate \(text): at most 100M/s") }
        return v
    }

    /// A rate so low that the run schedules no record, or a schedule longer than a day: refused.
    func schedule(_ p: BenchPlan) throws(InputFailure) {
        guard let rate = p.rate else { return }
        let flag =
            c.mbPerSecond != nil ? "--mb-per-second" : c.rate != nil ? "--rate" : "\(c.file ?? "the file")'s rate"
        if let d = p.duration, d * rate < 1 {
            throw InputFailure(
                message:
                    "\(flag) gives \(rate) records/s: no record is due in --duration \(Format.duration(d)); give at least \(BenchAnalysis.count((1 / d).rounded(.up)))/s"
            )
        }
        if p.duration == nil, let n = p.records, Double(n) / rate > 86_400 {
            throw InputFailure(
                message:
                    "--records \(n) at \(rate) records/s takes more than 24h: give a higher rate, fewer records or a --duration"
            )
        }
    }

    func limits(_ p: inout BenchPlan) throws(InputFailure) {
        if let d = c.duration {
            let s = try parseUnit(d, "--duration", UnitParser.duration)
            guard s >= 1, s <= 86_400 else { throw InputFailure(message: "--duration \(d): give 1s to 24h") }
            p.duration = s
        }
        if let n = c.records {
            let v = try parseUnit(n, "--records", UnitParser.count)
            guard v >= 1, v <= 1e12, v == v.rounded() else {
                throw InputFailure(message: "--records \(n): give a whole number from 1 to 1e12")
            }
            p.records = Int(v)
        }
        if p.duration == nil && p.records == nil {
            p.duration = 30
            p.defaulted =
                p.mode == .consume
                ? "neither --duration nor --records: read for at most 30 s (the default), stopping when caught up"
                : "neither --duration nor --records: ran for 30 s (the default)"
        }
    }

    func producer(_ p: inout BenchPlan) throws(InputFailure) {
        var s = p.producer
        switch c.acks.lowercased() {
        case "all", "-1": s.acks = -1
        case "1": s.acks = 1
        case "0": s.acks = 0
        default: throw InputFailure(message: "--acks \(c.acks): give all, 1 or 0")
        }
        // As Kafka's clients do: idempotence is on for acks=all unless turned off, and off otherwise.
        s.idempotent = !c.noIdempotence && s.acks == -1
        let asked = c.compression ?? "none"
        guard let codec = RecordBatchCodec.allCases.first(where: { $0.description == asked.lowercased() }) else {
            throw InputFailure(message: "--compression \(asked): give none, gzip, snappy, lz4 or zstd")
        }
        // --compression, when given, overrides the file's codec (none included).
        if c.file == nil || c.compression != nil { s.compression = codec }
        guard Compression.isAvailable(s.compression) else {
            throw InputFailure(message: "--compression \(s.compression): its system library is not installed here")
        }
        guard (1...16_000_000).contains(c.batchSize) else {
            throw InputFailure(message: "--batch-size \(c.batchSize): give 1 to 16000000 bytes")
        }
        guard c.lingerMs >= 0, c.lingerMs <= 60_000 else {
            throw InputFailure(message: "--linger-ms \(c.lingerMs): give 0 to 60000")
        }
        guard (1...100).contains(c.maxInFlight) else {
            throw InputFailure(message: "--max-in-flight \(c.maxInFlight): give 1 to 100")
        }
        s.batchSize = c.batchSize
        s.lingerMs = c.lingerMs
        s.maxInFlight = c.maxInFlight
        if let problem = s.problem { throw InputFailure(message: problem) }
        p.producer = s
    }

    static func keys(_ text: String) throws(InputFailure) -> KeyDistribution {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        func count(_ s: String) throws(InputFailure) -> Int {
            guard let v = try? UnitParser.count(s), v >= 1, v <= 10_000_000, v == v.rounded() else {
                throw InputFailure(message: "--keys \(text): give a key count from 1 to 10M, e.g. uniform:100k")
            }
            return Int(v)
        }
        switch parts.first ?? "" {
        case "none": return .none
        case "uniform" where parts.count == 2: return .uniform(count: try count(parts[1]))
        case "zipf" where parts.count == 2:
            let z = parts[1].split(separator: ":").map(String.init)
            guard z.count == 2, let skew = Double(z[1]), skew > 0, skew <= 10 else {
                throw InputFailure(
                    message: "--keys \(text): give zipf:COUNT:SKEW, e.g. zipf:10k:1.1 (skew above 0, up to 10)")
            }
            return .zipf(count: try count(z[0]), skew: skew)
        case "file" where parts.count == 2:
            let content = try Terminal.readText(parts[1])
            // One key per line; a Windows line ending (\r\n, one Character in Swift) ends a line too.
            let keys = content.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" }.map {
                Array($0.utf8)
            }
            guard !keys.isEmpty else { throw InputFailure(message: "\(parts[1]): no keys (one per line)") }
            return .list(keys)
        default:
            throw InputFailure(message: "--keys \(text): give none, uniform:N, zipf:N:SKEW or file:PATH")
        }
    }

    /// The design's busiest topic (or --workload-topic): its value size, peak rate and compression, the plan's
    /// per-broker peak ingress, and the latency target.
    func workload(_ file: String, into p: inout BenchPlan) throws(InputFailure) {
        let a = try ArchitectureInput.load(file)
        let topics = a.topics
        let chosen: TopicWorkload?
        if let name = c.workloadTopic {
            chosen = topics.first { $0.name == name }
            guard chosen != nil else {
                throw InputFailure(
                    message:
                        "--workload-topic \(name): \(file) has no such topic (it has \(topics.map(\.name).joined(separator: ", ")))"
                )
            }
        } else {
            chosen = topics.max { $0.messagesPerSecond * $0.messageSize < $1.messagesPerSecond * $1.messageSize }
        }
        guard let t = chosen else { throw InputFailure(message: "\(file): no topics with a workload to run") }
        p.file = file
        p.workloadTopic = t.name
        guard t.messageSize <= 10_000_000 || c.valueSize != nil else {
            throw InputFailure(
                message:
                    "\(file): topic \(t.name) has messages of \(Format.si(t.messageSize, "B")): bench sends values up to 10 MB; give --value-size"
            )
        }
        p.valueSize = max(8, Int(t.messageSize.rounded()))
        p.plannedRate = t.messagesPerSecond * t.peakToAverage
        p.rate = p.plannedRate
        if let codec = RecordBatchCodec.allCases.first(where: { $0.description == t.compression.rawValue }) {
            p.producer.compression = codec
        }
        do {
            let plan = try CapacityPlanner().plan(a)
            p.plannedBrokers = plan.brokers
            p.plannedBytesPerBroker = plan.throughput.peakIngressBytesPerSecond / Double(max(1, plan.brokers))
        } catch {
            throw InputFailure(message: "\(file): cannot plan it (\(error)); run kafka-architect plan \(file)")
        }
        let produceSLO = a.policy.produceLatencyP99Seconds ?? a.design?.slos.produceLatencyP99Seconds
        if p.mode == .e2e, let s = a.design?.slos.endToEndLatencyP99Seconds {
            p.slo = (s, "slos.endToEndLatencyP99 in \(file)")
        } else if p.mode == .produce, let s = produceSLO {
            p.slo = (s, "the produce latency p99 target in \(file)")
        }
        if a.environment.stage == .production {
            p.protectedTopics = Set(topics.map(\.name) + a.managed.topics.map(\.name))
        }
    }
}
