// The consuming sides: `bench consume` reads a topic as fast as the fetcher goes; `bench e2e` reads what the
// producer writes and measures each record's age from when it was due (the header the producer wrote).

import ArchitectCore
import Foundation
import KafkaClient
import KafkaProtocol
import NIOCore

/// The consumer beside an e2e producer, on its own loop.
final class E2EConsumer: @unchecked Sendable {
    // @unchecked: confined to the fetcher's loop.
    let fetcher: Fetcher
    var latency: LatencyRecorder
    var fetchLatency: LatencyRecorder
    var records = 0
    var unparsed = 0

    init(fetcher: Fetcher, histogram: Bool) {
        self.fetcher = fetcher
        self.latency = LatencyRecorder(enabled: histogram)
        self.fetchLatency = LatencyRecorder(enabled: histogram)
    }

    struct Result: Sendable {
        let records: Int
        /// The consumer's latencies (the report adds the records it could never see).
        let latency: LatencyRecorder?
        let fetchLatency: LatencySummary?
        let notes: [String]
    }

    func begin() {
        fetcher.loop.execute { [self] in
            fetcher.onRecord = { [self] _, _, _, r in
                records += 1
                guard let due = Self.dueMicros(r) else {
                    unparsed += 1
                    return
                }
                let now = Int64(Date().timeIntervalSince1970 * 1e6)
                latency.record(micros: UInt64(max(0, now - due)))
            }
            fetcher.onFetch = { [self] s in fetchLatency.record(micros: s.nanoseconds / 1000) }
            fetcher.run()
        }
    }

    /// The due time a bench record carries, from its header.
    static func dueMicros(_ r: RecordView) -> Int64? {
        // The header is the record's only one; RecordView gives its count, the parser its bytes.
        r.headerValue(benchSentHeader).flatMap { v in
            guard v.count == 8 else { return nil }
            return v.reduce(Int64(0)) { ($0 << 8) | Int64($1) }
        }
    }

    /// Waits until `expecting` records were consumed (or `within` seconds passed), then stops.
    func finish(expecting: Int, within seconds: Double) async -> Result {
        let deadline = NIODeadline.now() + .nanoseconds(Int64(seconds * 1e9))
        while NIODeadline.now() < deadline {
            let (n, fatal) = (try? await fetcher.loop.submit { [self] in (records, fetcher.fatal) }.get()) ?? (0, nil)
            if n >= expecting || fatal != nil { break }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        let result =
            (try? await fetcher.loop.submit { [self] () -> Result in
                fetcher.stop()
                var notes: [String] = []
                if unparsed > 0 {
                    notes.append("\(unparsed) consumed records had no \(benchSentHeader) header (not ours)")
                }
                if let f = fetcher.fatal { notes.append("the consumer stopped: \(f.reason)") }
                return Result(
                    records: records, latency: latency, fetchLatency: fetchLatency.summary, notes: notes)
            }.get()) ?? Result(records: 0, latency: nil, fetchLatency: nil, notes: ["the consumer's loop stopped"])
        await fetcher.close()
        return result
    }
}

enum ConsumeRun {
    /// Reads the topic from its start until --records are read, --duration passed, or it has caught up (every
    /// leader answered empty after records were read).
    static func start(_ request: BenchRequest, loop: EventLoop) async throws(ClusterError) -> BenchReport {
        // The clock starts before connecting and looking up the offsets, as the peers' (Tests/Peers) does.
        let started = NIODeadline.now()
        let fetcher = try await Fetcher.start(
            topic: request.topic, bootstrap: request.bootstrap, admin: request.admin, settings: request.fetcher,
            from: .earliest, loop: loop)
        let state = ConsumeState(histogram: request.histogram)
        let cpu = processCPUSeconds()
        let begun = loop.submit {
            fetcher.onRecord = { _, _, _, r in
                state.records += 1
                state.secondRecords += 1
                let n = (r.key?.count ?? 0) + (r.value?.count ?? 0)
                state.bytes += n
                state.secondBytes += n
            }
            fetcher.onFetch = { s in
                // An empty answer is a long poll that waited fetch.max.wait.ms: not the broker's response time.
                if s.bytes > 0 { state.fetchLatency.record(micros: s.nanoseconds / 1000) }
                if s.bytes == 0 { state.emptyFetches += 1 } else { state.emptyFetches = 0 }
                if s.throttleMs > 0 { state.throttled += 1 }
                state.lastData = s.bytes > 0 ? NIODeadline.now() : state.lastData
            }
            fetcher.run()
        }
        do { try await begun.get() } catch { throw ClusterError(address: request.topic, reason: "\(error)") }
        let limit = request.duration ?? 3600
        while true {
            try? await Task.sleep(nanoseconds: 1_000_000_000)
            let (records, stop) =
                (try? await loop.submit { () -> (Int, Bool) in
                    state.closeSecond(request.progress)
                    let caughtUp = state.records > 0 && state.emptyFetches >= 2 * max(1, fetcher.leaderCount)
                    return (state.records, caughtUp || fetcher.fatal != nil)
                }.get()) ?? (0, true)
            if stop || NIODeadline.now() - started >= .nanoseconds(Int64(limit * 1e9)) { break }
            if let n = request.records, records >= n { break }
        }
        let cpuUsed = processCPUSeconds() - cpu
        let report = try? await loop.submit { () -> BenchReport in
            fetcher.stop()
            return state.report(request, fetcher: fetcher, started: started, cpu: cpuUsed)
        }.get()
        await fetcher.close()
        guard let report else { throw ClusterError(address: request.topic, reason: "the consumer's loop stopped") }
        return report
    }
}

final class ConsumeState: @unchecked Sendable {
    // @unchecked: confined to the fetcher's loop.
    var records = 0
    var bytes = 0
    var secondRecords = 0
    var secondBytes = 0
    var emptyFetches = 0
    /// Fetch responses that carried throttle_time_ms > 0.
    var throttled = 0
    var lastData = NIODeadline.now()
    var fetchLatency: LatencyRecorder
    var seconds: [BenchSecond] = []

    init(histogram: Bool) { fetchLatency = LatencyRecorder(enabled: histogram) }

    func closeSecond(_ progress: (@Sendable (BenchProgress) -> Void)?) {
        let p50 = fetchLatency.closeSecond(50)
        let n = seconds.count + 1
        seconds.append(BenchSecond(second: n, records: secondRecords, bytes: secondBytes, p99: nil, requestP50: p50))
        progress?(BenchProgress(second: n, records: secondRecords, bytes: secondBytes, p99Micros: nil))
        secondRecords = 0
        secondBytes = 0
    }

    func report(_ request: BenchRequest, fetcher: Fetcher, started: NIODeadline, cpu: Double) -> BenchReport {
        var settings = BenchSettings()
        settings.durationSeconds = request.duration
        settings.records = request.records
        settings.rate = nil
        settings.fetchMaxWaitMs = Int(request.fetcher.maxWaitMs)
        let elapsed = max(1e-9, Double((lastData - started).nanoseconds) / 1e9)
        var r = BenchReport(
            mode: .consume, topic: request.topic, partitions: fetcher.positions.count, leaders: fetcher.leaderCount,
            createdTopic: false, keptTopic: true, settings: settings, elapsedSeconds: elapsed, records: records,
            bytes: bytes, wireBytes: fetcher.bytes, cpuSeconds: cpu)
        r.requestLatency = fetchLatency.summary
        r.requests = fetcher.fetches
        r.throttleMs = fetcher.throttleMs
        r.throttledResponses = throttled
        r.perSecond = seconds
        if let f = fetcher.fatal {
            r.complete = false
            r.missing.append("the consumer stopped: \(f.reason)")
        }
        return r
    }
}
