// What a load test is asked to do, and the producing side: a constant schedule (record i is due at
// start + i/rate), each record's latency measured from when it was due — not from when the client got round to
// it — so a stall shows in the percentiles instead of hiding in a slower send rate (no coordinated omission).

import ArchitectCore
import Foundation
import KafkaClient
import KafkaProtocol
import NIOCore

public struct BenchRequest: Sendable {
    public var mode: BenchMode
    public var topic: String
    public var bootstrap: [BrokerAddress]
    public var admin: ClusterAdmin
    public var producer = ProducerSettings()
    public var fetcher = FetcherSettings()
    /// Records per second; nil for as fast as possible.
    public var rate: Double?
    public var duration: Double?
    public var records: Int?
    public var keys: KeyDistribution = .none
    public var valueSize = 1024
    public var compressibility = 0.0
    public var partitioner: PartitionerChoice = .sticky
    public var seed: UInt64 = 1
    /// Seconds the run waits, after the last record was due, for acknowledgements; what is still out then counts
    /// as not delivered in the run (its latency at least the wait).
    public static let drainSeconds = 10.0
    /// Off for the overhead check: latencies are not recorded.
    public var histogram = true
    /// Called once a second with the run so far (the terminal's progress line).
    public var progress: (@Sendable (BenchProgress) -> Void)?

    public init(mode: BenchMode, topic: String, bootstrap: [BrokerAddress], admin: ClusterAdmin) {
        self.mode = mode
        self.topic = topic
        self.bootstrap = bootstrap
        self.admin = admin
    }
}

public struct BenchProgress: Sendable {
    public let second: Int
    public let records: Int
    public let bytes: Int
    public let p99Micros: Double?
}

/// The header every record carries: when it was due, microseconds since 1970, 8 bytes big-endian.
public let benchSentHeader = "kafka-architect.bench.due-us"

/// Runs produce (and, for e2e, the consumer beside it) and returns what it measured.
public enum BenchRunner {
    public static func run(_ request: BenchRequest, group: EventLoopGroup) async throws(ClusterError) -> BenchReport {
        switch request.mode {
        case .produce: return try await ProduceRun.start(request, loop: group.next(), consumer: nil)
        case .e2e:
            let consumerLoop = group.next()
            let fetcher = try await Fetcher.start(
                topic: request.topic, bootstrap: request.bootstrap, admin: request.admin, settings: request.fetcher,
                from: .latest, loop: consumerLoop)
            return try await ProduceRun.start(request, loop: group.next(), consumer: fetcher)
        case .consume: return try await ConsumeRun.start(request, loop: group.next())
        }
    }
}

final class ProduceRun: @unchecked Sendable {
    // @unchecked: confined to `loop` (the producer's).
    let loop: EventLoop
    let request: BenchRequest
    let producer: Producer
    var keys: KeySource
    var values: ValueSource
    var picker: PartitionPicker
    var latency: LatencyRecorder
    var requestLatency: LatencyRecorder
    /// Records due that no consumer can see (never sent, never acknowledged, failed), each with the lower bound
    /// of its wait: added to e2e's latency, which the consumer alone would report without them.
    var undelivered: LatencyRecorder
    var start = NIODeadline.now()
    var startWallMicros: Int64 = 0
    var sent = 0
    var acked = 0
    var ackedBytes = 0
    var failed = 0
    var waiting = false
    var generating = true
    var ended = false
    var behind = 0
    var seconds: [BenchSecond] = []
    var secondRecords = 0
    var secondBytes = 0
    var lastAck = NIODeadline.now()
    var done: EventLoopPromise<Void>
    var ticker: RepeatedTask?
    let consumer: E2EConsumer?

    init(_ request: BenchRequest, producer: Producer, consumer: E2EConsumer?) {
        self.request = request
        self.loop = producer.loop
        self.producer = producer
        self.consumer = consumer
        keys = KeySource(request.keys, seed: request.seed)
        values = ValueSource(size: request.valueSize, compressibility: request.compressibility, seed: request.seed)
        picker = PartitionPicker(
            request.partitioner, partitions: producer.partitionCount, seed: request.seed,
            batchSize: request.producer.batchSize)
        latency = LatencyRecorder(enabled: request.histogram)
        requestLatency = LatencyRecorder(enabled: request.histogram)
        undelivered = LatencyRecorder(enabled: request.histogram)
        done = producer.loop.makePromise(of: Void.self)
    }

    static func start(_ request: BenchRequest, loop: EventLoop, consumer fetcher: Fetcher?) async throws(ClusterError)
        -> BenchReport
    {
        let producer = try await Producer.start(
            topic: request.topic, bootstrap: request.bootstrap, admin: request.admin, settings: request.producer,
            loop: loop)
        let consumer = fetcher.map { E2EConsumer(fetcher: $0, histogram: request.histogram) }
        let run = ProduceRun(request, producer: producer, consumer: consumer)
        let cpu = processCPUSeconds()
        let finished = loop.flatSubmit { run.begin() }
        do { try await finished.get() } catch {
            await producer.close()
            throw ClusterError(address: request.topic, reason: "\(error)")
        }
        var consumed: E2EConsumer.Result?
        if let consumer {
            let expected = (try? await loop.submit { run.acked }.get()) ?? 0
            consumed = await consumer.finish(expecting: expected, within: 10 + request.producer.requestTimeout)
        }
        let cpuUsed = processCPUSeconds() - cpu
        await producer.close()
        do { return try await loop.submit { [consumed] in run.report(cpu: cpuUsed, consumed: consumed) }.get() } catch {
            throw ClusterError(address: request.topic, reason: "\(error)")
        }
    }

    func begin() -> EventLoopFuture<Void> {
        producer.onDelivery = { [self] d in delivered(d) }
        producer.onRequest = { [self] s in
            requestLatency.record(micros: s.nanoseconds / 1000)
        }
        start = NIODeadline.now()
        lastAck = start
        startWallMicros = Int64(Date().timeIntervalSince1970 * 1e6)
        consumer?.begin()
        ticker = loop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { [self] _ in closeSecond() }
        tick()
        return done.futureResult
    }

    /// The due time of record `i`, nanoseconds on the monotonic clock.
    func due(_ i: Int) -> UInt64 {
        guard let rate = request.rate else { return NIODeadline.now().uptimeNanoseconds }
        // Clamped: the flags refuse schedules past a day, so this only guards the conversion.
        return start.uptimeNanoseconds + UInt64(min(Double(i) / rate * 1e9, 1e18))
    }

    /// Records due by `now` (all of them for --rate max), capped by --records and --duration.
    func dueCount(_ now: NIODeadline) -> Int {
        var due = Int.max
        let elapsed = Double((now - start).nanoseconds) / 1e9
        if let rate = request.rate {
            due = Int(min(Double(Int.max / 2), elapsed * rate)) + 1
            if let d = request.duration { due = min(due, Int(d * rate)) }
        }
        if let n = request.records { due = min(due, n) }
        return due
    }

    func tick() {
        guard generating else { return }
        let now = NIODeadline.now()
        // Records due before the end are sent even when this tick comes after it (late, and measured so).
        let dueNow = dueCount(now)
        var n = 0
        while sent < dueNow && n < 2048 {
            guard appendNext() else { return }
            if waiting { break }
            n += 1
        }
        if let total = request.records, sent >= total {
            stopGenerating(now)
            return
        }
        if let rate = request.rate, let d = request.duration, sent >= Int(d * rate) {
            stopGenerating(now)
            return
        }
        if let d = request.duration, now - start >= .nanoseconds(Int64(d * 1e9)) {
            stopGenerating(now)
            return
        }
        if waiting { return }
        if n == 2048 || request.rate == nil {
            loop.execute { [self] in tick() }
            return
        }
        let next = NIODeadline.uptimeNanoseconds(due(sent))
        loop.scheduleTask(deadline: max(next, now + .microseconds(100))) { [self] in tick() }
    }

    /// Appends record `sent`; false when the producer has stopped.
    func appendNext() -> Bool {
        let dueNs = due(sent)
        let dueWall = startWallMicros + Int64((dueNs &- start.uptimeNanoseconds) / 1000)
        let header: [(key: String, value: [UInt8]?)] = [(benchSentHeader, bigEndian(dueWall))]
        let seq = UInt64(sent)
        var unkeyed: Int?
        let outcome: Producer.Appended = keys.next { key in
            let partition = picker.pick(key)
            let r = values.value(seq) { value in
                producer.append(
                    partition: partition, key: key, value: value, headers: header, timestampMs: dueWall / 1000,
                    token: dueNs)
            }
            if key == nil { unkeyed = values.size }
            return r
        }
        switch outcome {
        case .added:
            if let unkeyed { picker.appended(unkeyed: unkeyed) }
            sent += 1
        case .bufferFull: waiting = true
        case .stopped:
            stopGenerating(NIODeadline.now())
            return false
        }
        return true
    }

    func delivered(_ d: ProducerDelivery) {
        guard !ended else { return }
        let now = NIODeadline.now()
        if d.error != nil {
            failed += d.tokens.count
            let nowNs = now.uptimeNanoseconds
            for t in d.tokens { undelivered.record(micros: (nowNs &- min(t, nowNs)) / 1000) }
        } else {
            acked += d.tokens.count
            // Keys and values, as the consumer counts them; wire bytes are counted apart.
            ackedBytes += d.payloadBytes
            secondRecords += d.tokens.count
            secondBytes += d.payloadBytes
            lastAck = now
            let nowNs = now.uptimeNanoseconds
            for t in d.tokens { latency.record(micros: (nowNs &- min(t, nowNs)) / 1000) }
        }
        if waiting {
            waiting = false
            loop.execute { [self] in tick() }
        }
    }

    func stopGenerating(_ now: NIODeadline) {
        guard generating else { return }
        generating = false
        if let rate = request.rate {
            var total = request.duration.map { Int($0 * rate) } ?? Int.max
            if let n = request.records { total = min(total, n) }
            if total != Int.max && total > sent { recordBehind(from: sent, to: total, now: now) }
        }
        producer.flush().whenComplete { [self] _ in end() }
        // What is still unacknowledged this long after the last record was due did not make it in the run.
        loop.scheduleTask(in: .seconds(Int64(BenchRequest.drainSeconds))) { [self] in
            guard !ended else { return }
            let nowNs = NIODeadline.now().uptimeNanoseconds
            let pending = producer.pendingTokens
            behind += pending.count
            for t in pending {
                latency.record(micros: (nowNs &- min(t, nowNs)) / 1000)
                undelivered.record(micros: (nowNs &- min(t, nowNs)) / 1000)
            }
            end()
        }
    }

    func end() {
        guard !ended else { return }
        ended = true
        ticker?.cancel()
        closeSecond()
        done.succeed(())
    }

    /// Records due by the schedule but never sent: each waited at least until now. Recorded as that lower
    /// bound (in 1,000 steps), so an unsustainable rate cannot look fast.
    func recordBehind(from: Int, to: Int, now: NIODeadline) {
        behind = to - from
        let steps = min(1000, behind)
        let nowNs = now.uptimeNanoseconds
        for k in 0..<steps {
            let lo = from + behind * k / steps
            let hi = from + behind * (k + 1) / steps
            let waited = nowNs &- min(due(hi - 1), nowNs)
            latency.record(micros: waited / 1000, count: UInt64(hi - lo))
            undelivered.record(micros: waited / 1000, count: UInt64(hi - lo))
        }
    }

    func closeSecond() {
        let p99 = latency.closeSecond(99)
        let req = requestLatency.closeSecond(50)
        let n = seconds.count + 1
        seconds.append(BenchSecond(second: n, records: secondRecords, bytes: secondBytes, p99: p99, requestP50: req))
        request.progress?(
            BenchProgress(second: n, records: secondRecords, bytes: secondBytes, p99Micros: latency.soFar(99)))
        secondRecords = 0
        secondBytes = 0
    }

    func report(cpu: Double, consumed: E2EConsumer.Result?) -> BenchReport {
        let s = producer.statistics
        var settings = BenchSettings()
        settings.acks = request.producer.acks == -1 ? "all" : String(request.producer.acks)
        settings.batchSize = request.producer.batchSize
        settings.lingerMs = request.producer.lingerMs
        settings.compression = request.producer.compression.description
        settings.maxInFlight = request.producer.maxInFlight
        settings.idempotent = request.producer.idempotent
        settings.valueSize = request.valueSize
        settings.compressibility = request.compressibility
        settings.keys = request.keys.description
        settings.partitioner = request.partitioner.rawValue
        settings.rate = request.rate
        settings.durationSeconds = request.duration
        settings.records = request.records
        let elapsed = max(1e-9, Double((lastAck - start).nanoseconds) / 1e9)
        var r = BenchReport(
            mode: request.mode, topic: request.topic, partitions: Int(producer.partitionCount),
            leaders: producer.leaderCount, createdTopic: false, keptTopic: true,
            settings: settings, elapsedSeconds: elapsed, records: acked, bytes: ackedBytes, wireBytes: s.wireBytes,
            cpuSeconds: cpu)
        r.errors = s.errors
        r.retries = s.retries
        if var e2e = consumed?.latency {
            e2e.merge(undelivered)
            r.latency = e2e.summary
        } else {
            r.latency = latency.summary
        }
        r.requestLatency = requestLatency.summary
        r.requests = s.requests
        r.batches = s.batches
        r.fullBatches = s.fullBatches
        r.lingerBatches = s.lingerBatches
        r.throttledResponses = s.throttledResponses
        r.throttleMs = s.throttleMs
        r.inFlightFull = s.inFlightFull
        r.bufferFull = s.bufferFull
        r.perSecond = seconds
        r.behindSchedule = behind
        if let f = producer.fatal {
            r.complete = false
            r.missing.append("the producer stopped: \(f.reason)")
        }
        if failed > 0 { r.notes.append("\(failed) records failed (see errors)") }
        if let consumed {
            r.ackLatency = latency.summary
            r.fetchLatency = consumed.fetchLatency
            r.settings.fetchMaxWaitMs = Int(request.fetcher.maxWaitMs)
            r.notes.append(contentsOf: consumed.notes)
            if consumed.records < acked {
                r.complete = false
                r.missing.append("\(acked - consumed.records) acknowledged records were not consumed in time")
            }
        }
        return r
    }
}

func bigEndian(_ v: Int64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * Int64($0))) }
}
