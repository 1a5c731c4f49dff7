// What limited a load test, with the evidence and the setting to change; whether the asked rate held; whether the
// latency target was met. Pure: the report in, the verdict out.

public struct BenchFinding: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, CaseIterable, Codable {
        case throttling = "broker throttling"
        case clientCPU = "client CPU"
        case network = "network"
        case fetchWait = "consumer fetch wait"
        case brokerLatency = "broker response time"
        case queueing = "queueing at the broker"
        case inFlight = "requests in flight"
        case batching = "batching"
        case broker = "the broker"
        case none = "no bottleneck reached"
    }
    public var kind: Kind
    public var evidence: String
    /// The setting to change, and which way.
    public var change: String
    public init(kind: Kind, evidence: String, change: String) {
        self.kind = kind
        self.evidence = evidence
        self.change = change
    }
}

public struct BenchVerdict: Sendable, Equatable, Codable {
    /// The bottleneck first, then what else the run showed.
    public var findings: [BenchFinding]
    /// Whether the asked rate held (nil for `--rate max` and consume runs).
    public var sustained: Bool?
    public var sustainedEvidence: String?
    /// Whether the latency target was met (nil without one).
    public var sloMet: Bool?
    public var sloEvidence: String?
    public var bottleneck: BenchFinding? { findings.first }
}

public enum BenchAnalysis {
    /// Thresholds, stated so the report can say them.
    public static let cpuBound = 0.85
    public static let slowBrokerMicros = 10_000.0
    public static let growthFactor = 3.0
    public static let linkBound = 0.8
    /// E2E: the share of fetch.max.wait.ms records must wait beyond their acknowledgement to blame the fetch.
    public static let fetchWaitShare = 0.2

    public static func analyse(_ r: BenchReport) -> BenchVerdict {
        var v = BenchVerdict(findings: [])
        (v.sustained, v.sustainedEvidence) = sustained(r)
        var found = [
            throttling(r), clientCPU(r), network(r), fetchWait(r), brokerLatency(r), queueing(r), inFlight(r),
            batching(r),
        ]
        .compactMap { $0 }
        if found.isEmpty {
            found.append(unexplained(r, sustained: v.sustained))
        }
        v.findings = found
        (v.sloMet, v.sloEvidence) = slo(r, sustained: v.sustained)
        return v
    }

    static func sustained(_ r: BenchReport) -> (Bool?, String?) {
        guard r.mode != .consume, let rate = r.settings.rate, rate > 0, r.elapsedSeconds > 0 else { return (nil, nil) }
        // The run's span is the first due time to the last acknowledgement; a broker that answers late but keeps
        // up adds its usual latency to that span once, not to the rate: the median acknowledgement latency is
        // taken off. A rate the broker cannot keep up with grows the latency through the run, so its median is
        // well below the last record's wait and the share stays short.
        let median = ((r.mode == .e2e ? r.ackLatency : r.latency)?.p50 ?? 0) / 1e6
        let span = max(r.elapsedSeconds - median, min(r.elapsedSeconds, 1e-3))
        let achieved = Double(r.records) / span
        let share = achieved / rate
        let behind = r.behindSchedule
        let how =
            "\(count(achieved)) records/s acknowledged of \(count(rate)) asked (\(percent(share)); \(count(r.records)) records over \(fixed(span, 2)) s: first due to last acknowledged, less the median latency of \(millis(median * 1e6)))"
        if share >= 0.95 && Double(behind) <= 0.01 * Double(max(1, r.records)) { return (true, how) }
        var why = how
        if behind > 0 { why += "; \(count(behind)) records due were not acknowledged when the run ended" }
        return (false, why + ": latencies include the queue behind the schedule, as they should")
    }

    static func throttling(_ r: BenchReport) -> BenchFinding? {
        guard r.throttledResponses > 0 else { return nil }
        let share = r.requests > 0 ? Double(r.throttledResponses) / Double(r.requests) : 1
        return BenchFinding(
            kind: .throttling,
            evidence:
                "\(count(r.throttledResponses)) of \(count(r.requests)) responses (\(percent(share))) carried throttle_time_ms, \(count(r.throttleMs)) ms in all: a client quota is holding the rate",
            change:
                "raise the quota (producer_byte_rate / consumer_byte_rate for this principal or client id) or lower --rate"
        )
    }

    static func clientCPU(_ r: BenchReport) -> BenchFinding? {
        guard r.cores >= cpuBound else { return nil }
        let codec = r.settings.compression
        let change =
            codec == "gzip" || codec == "zstd"
            ? "compression.type=lz4 costs a fraction of \(codec)'s CPU; or run more producer processes"
            : "run more producer processes (or machines): one process is using a whole core"
        return BenchFinding(
            kind: .clientCPU,
            evidence:
                "this process used \(fixed(r.cores, 2)) cores (\(fixed(r.cpuSeconds, 1)) s of CPU in \(fixed(r.elapsedSeconds, 1)) s)",
            change: change)
    }

    static func network(_ r: BenchReport) -> BenchFinding? {
        guard let link = r.linkBytesPerSecond, link > 0, r.wireBytesPerSecond >= linkBound * link else { return nil }
        return BenchFinding(
            kind: .network,
            evidence:
                "\(bytes(r.wireBytesPerSecond))/s on the wire of a \(bytes(link))/s link (\(percent(r.wireBytesPerSecond / link)))",
            change: "compression.type=lz4 or zstd sends fewer bytes; or a faster link")
    }

    /// E2E: records waited for the consumer's next fetch answer, not for the producer — a broker that holds an
    /// empty fetch until fetch.max.wait.ms runs out instead of answering when records arrive.
    static func fetchWait(_ r: BenchReport) -> BenchFinding? {
        guard r.mode == .e2e, let e2e = r.latency, let ack = r.ackLatency, let fetch = r.fetchLatency,
            let waitMs = r.settings.fetchMaxWaitMs, waitMs > 0
        else { return nil }
        let wait = Double(waitMs) * 1000
        let added = e2e.p50 - ack.p50
        // The gap is the fetch's doing when it is a fair share of the wait and fetches took as long themselves.
        guard added >= fetchWaitShare * wait, fetch.p99 >= added else { return nil }
        return BenchFinding(
            kind: .fetchWait,
            evidence:
                "end-to-end p50 \(millis(e2e.p50)) against \(millis(ack.p50)) to be acknowledged: records waited \(millis(added)) more at the median for the consumer; its fetches took up to \(millis(fetch.p99)) (p99; fetch.max.wait.ms \(waitMs) ms) — the broker held fetches rather than answering when records arrived",
            change:
                "a lower fetch.max.wait.ms (--fetch-max-wait-ms) bounds the wait at the cost of more fetches; a broker that answers a waiting fetch when records arrive (Apache Kafka does) removes it"
        )
    }

    static func brokerLatency(_ r: BenchReport) -> BenchFinding? {
        guard let req = r.requestLatency, req.p50 >= slowBrokerMicros else { return nil }
        // A Fetch carrying megabytes takes its transfer time: that is throughput, not a slow broker.
        let perRequest = r.requests > 0 ? Double(r.wireBytes) / Double(r.requests) : 0
        if r.mode == .consume && perRequest >= 1_000_000 { return nil }
        let share = r.latency.map { $0.p99 > 0 ? req.p99 / $0.p99 : 0 } ?? 1
        guard share >= 0.5 || r.latency == nil else { return nil }
        var evidence =
            "each request took \(millis(req.p50)) at the median and \(millis(req.p99)) at p99 to be answered"
        if let l = r.latency { evidence += " (records' p99 \(millis(l.p99)))" }
        if r.inFlightFull > 0 {
            evidence +=
                "; \(count(r.inFlightFull)) of \(count(r.batches)) batches were ready while all \(r.settings.maxInFlight) requests were in flight"
        }
        let change =
            r.mode == .consume
            ? "the broker is slow to answer fetches (network round trip, disk reads of data not in the page cache): check its fetch latency; more per request (fetch.min.bytes, max.partition.fetch.bytes) carries more per round trip"
            : "the broker is slow to answer (network round trip, disk, or acks=\(r.settings.acks) waiting for followers): check its request latency; more per request (batch.size, linger.ms) carries more per round trip"
        return BenchFinding(kind: .brokerLatency, evidence: evidence, change: change)
    }

    static func queueing(_ r: BenchReport) -> BenchFinding? {
        let p99s = r.perSecond.compactMap(\.p99)
        guard p99s.count >= 6 else { return nil }
        let third = p99s.count / 3
        let first = median(Array(p99s.prefix(third)))
        let last = median(Array(p99s.suffix(third)))
        guard first > 0, last / first >= growthFactor, last >= 10_000 else { return nil }
        return BenchFinding(
            kind: .queueing,
            evidence:
                "records' p99 grew from \(millis(first)) in the first \(third) s to \(millis(last)) in the last \(third) s: work is arriving faster than it is done",
            change: "lower --rate to what the cluster sustains, or add brokers/partitions (the queue only grows)")
    }

    static func inFlight(_ r: BenchReport) -> BenchFinding? {
        guard r.mode != .consume, r.batches > 0, Double(r.inFlightFull) >= 0.5 * Double(r.batches) else {
            return nil
        }
        // Idempotence caps the requests in flight per partition at 5: above that a higher setting buys nothing.
        let atCap = r.settings.idempotent && r.settings.maxInFlight >= 5
        return BenchFinding(
            kind: .inFlight,
            evidence:
                "\(count(r.inFlightFull)) of \(count(r.batches)) batches were ready while all \(r.settings.maxInFlight) requests of their connection were in flight",
            change: atCap
                ? "max.in.flight is at idempotence's limit of 5: larger batches (batch.size, linger.ms) carry more per request; or more partitions spread over more brokers"
                : "raise max.in.flight.requests.per.connection (up to 5 with idempotence), or larger batches (batch.size, linger.ms) so each request carries more"
        )
    }

    static func batching(_ r: BenchReport) -> BenchFinding? {
        guard r.mode != .consume, r.batches > 0, r.elapsedSeconds > 0 else { return nil }
        let fill = r.averageBatchBytes / Double(r.settings.batchSize)
        let perSecond = Double(r.requests) / r.elapsedSeconds
        guard fill < 0.1, r.settings.lingerMs < 5, perSecond >= 500 else { return nil }
        return BenchFinding(
            kind: .batching,
            evidence:
                "batches averaged \(bytes(r.averageBatchBytes)) of \(bytes(Double(r.settings.batchSize))) (\(percent(fill))) at linger.ms=\(fixed(r.settings.lingerMs, 1)), \(count(perSecond)) requests/s",
            change: "linger.ms=5–20 fills batches and cuts requests (and broker CPU) many times over")
    }

    static func unexplained(_ r: BenchReport, sustained: Bool?) -> BenchFinding {
        let client =
            "the client used \(fixed(r.cores, 2)) cores, no response was throttled, and requests were answered in \(r.requestLatency.map { millis($0.p50) } ?? "—") (median)"
        if sustained == true {
            return BenchFinding(
                kind: .none,
                evidence: "the cluster kept up with \(count(r.settings.rate ?? 0)) records/s; \(client)",
                change: "raise --rate (or --rate max) to find the limit")
        }
        return BenchFinding(
            kind: .broker,
            evidence: "\(client): nothing on the client's side was at its limit, so the broker set the pace",
            change:
                "look at the broker: its CPU, disk and request queue (kafka.network:type=RequestChannel); more partitions or brokers spread the load"
        )
    }

    static func slo(_ r: BenchReport, sustained: Bool?) -> (Bool?, String?) {
        guard let target = r.plan?.sloSeconds, let source = r.plan?.sloSource else { return (nil, nil) }
        guard let l = r.latency else { return (nil, "no latency measured in a consume run; \(source) is not checked") }
        let targetMicros = target * 1e6
        if sustained == false {
            return (
                false,
                "not met: the rate was not sustained (p99 \(millis(l.p99)) against \(source) \(millis(targetMicros)))"
            )
        }
        let met = l.p99 <= targetMicros
        return (met, "p99 \(millis(l.p99)) \(met ? "within" : "above") \(source) \(millis(targetMicros))")
    }

    // MARK: - Formatting

    public static func millis(_ micros: Double) -> String {
        let ms = micros / 1000
        if ms >= 100 { return "\(count(Int(ms.rounded()))) ms" }
        if ms >= 10 { return "\(fixed(ms, 1)) ms" }
        return "\(fixed(ms, 2)) ms"
    }

    public static func count(_ x: Int) -> String { Format.grouped(Double(x), decimals: 0) }
    public static func count(_ x: Double) -> String { Format.grouped(x, decimals: 0) }
    public static func bytes(_ x: Double) -> String { Format.si(x, "B") }

    static func percent(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }

    static func fixed(_ x: Double, _ digits: Int) -> String { Format.grouped(x, decimals: digits, fixed: true) }

    static func median(_ xs: [Double]) -> Double {
        guard !xs.isEmpty else { return 0 }
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
