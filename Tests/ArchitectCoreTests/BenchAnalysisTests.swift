import Testing

@testable import ArchitectCore

/// The bottleneck rules on hand-built reports. No peer sets throttle_time_ms, so throttling is shown here on a
/// report whose responses carried it.
struct BenchAnalysisTests {
    static func report(rate: Double?, records: Int, seconds: Double = 10) -> BenchReport {
        var s = BenchSettings()
        s.rate = rate
        return BenchReport(
            mode: .produce, topic: "t", partitions: 6, leaders: 3, createdTopic: true, keptTopic: false, settings: s,
            elapsedSeconds: seconds, records: records, bytes: records * 1000, wireBytes: records * 500,
            cpuSeconds: 2)
    }

    @Test func throttledResponsesAreTheBottleneck() {
        var r = Self.report(rate: 10_000, records: 100_000)
        r.requests = 400
        r.throttledResponses = 100
        r.throttleMs = 2_500
        let v = BenchAnalysis.analyse(r)
        #expect(v.bottleneck?.kind == .throttling)
        #expect(v.bottleneck?.evidence.contains("100 of 400 responses (25%)") == true)
        #expect(v.bottleneck?.evidence.contains("2,500 ms") == true)
        #expect(v.sustained == true)
    }

    static func summary(p50: Double, p99: Double) -> LatencySummary {
        LatencySummary(count: 1000, p50: p50, p99: p99, p999: p99, p9999: p99, max: p99, mean: p50)
    }

    @Test func recordsWaitingForTheConsumersFetchAreNamedInEndToEnd() {
        var r = Self.report(rate: 1000, records: 10_000)
        r.mode = .e2e
        r.settings.fetchMaxWaitMs = 500
        r.latency = Self.summary(p50: 250_000, p99: 495_000)
        r.ackLatency = Self.summary(p50: 5_000, p99: 9_000)
        r.fetchLatency = Self.summary(p50: 700, p99: 500_000)
        let v = BenchAnalysis.analyse(r)
        #expect(v.bottleneck?.kind == .fetchWait)
        #expect(v.bottleneck?.evidence.contains("records waited 245 ms more at the median") == true)
        // Fetches that answer fast leave the gap unexplained by the wait: no such finding.
        r.fetchLatency = Self.summary(p50: 700, p99: 3_000)
        #expect(BenchAnalysis.analyse(r).findings.contains { $0.kind == .fetchWait } == false)
        // A produce run never has it.
        r.mode = .produce
        r.fetchLatency = Self.summary(p50: 700, p99: 500_000)
        #expect(BenchAnalysis.analyse(r).findings.contains { $0.kind == .fetchWait } == false)
    }

    /// 500 records/s for 3 s against a broker answering in 150 ms: the last acknowledgement comes 150 ms after the
    /// last due time. The broker kept up; it is slow, not short of the rate.
    @Test func aSlowBrokerThatKeepsUpSustainsTheRate() {
        var r = Self.report(rate: 500, records: 1500, seconds: 3.0 + 0.152)
        r.latency = Self.summary(p50: 150_000, p99: 160_000)
        let v = BenchAnalysis.analyse(r)
        #expect(v.sustained == true, "\(v.sustainedEvidence ?? "")")
        // 1,500 / (3.152 − 0.150) = 499.7/s.
        #expect(v.sustainedEvidence?.contains("500 records/s acknowledged of 500 asked (100%") == true)
    }

    /// A broker doing 800 of 1,000 records/s asked for 30 s: the last of 30,000 records is acknowledged at 37.5 s,
    /// waits grow from 0 to 7.5 s (median 3.75 s): 30,000 / (37.5 − 3.75) = 889/s, 89%: not sustained.
    @Test func aBrokerFallingBehindDoesNotSustainTheRate() {
        var r = Self.report(rate: 1000, records: 30_000, seconds: 37.5)
        r.latency = Self.summary(p50: 3_750_000, p99: 7_400_000)
        let v = BenchAnalysis.analyse(r)
        #expect(v.sustained == false)
        #expect(v.sustainedEvidence?.contains("889 records/s acknowledged of 1,000 asked (89%") == true)
    }

    @Test func batchesWaitingForARequestSlotAreNamedWithTheRightSetting() {
        var r = Self.report(rate: nil, records: 100_000)
        r.batches = 1000
        r.requests = 400
        r.inFlightFull = 700
        r.settings.maxInFlight = 1
        r.settings.idempotent = false
        var f = BenchAnalysis.analyse(r).findings.first { $0.kind == .inFlight }
        #expect(f?.evidence.contains("700 of 1,000 batches were ready while all 1 requests") == true)
        #expect(f?.change.hasPrefix("raise max.in.flight") == true)
        // With idempotence at 5 in flight a higher setting buys nothing: say so.
        r.settings.maxInFlight = 5
        r.settings.idempotent = true
        f = BenchAnalysis.analyse(r).findings.first { $0.kind == .inFlight }
        #expect(f?.change.contains("at idempotence's limit of 5") == true)
        // Fewer than half the batches waited: no finding.
        r.inFlightFull = 499
        #expect(BenchAnalysis.analyse(r).findings.contains { $0.kind == .inFlight } == false)
    }

    /// 100,000 records of 1,000 B in 10,000 batches: 10 KB per batch of a 16 KB batch.size (61%) — full enough;
    /// in 50,000 batches, 2 KB (12%) — still not below 10%; in 100,000 batches of one record, 1 KB (6%) at
    /// 10,000 requests/s and linger 0: batching.
    @Test func smallBatchesAtLowLingerAreNamed() {
        var r = Self.report(rate: nil, records: 100_000)
        r.settings.batchSize = 16_384
        r.settings.lingerMs = 0
        r.requests = 100_000
        for (batches, named) in [(10_000, false), (50_000, false), (100_000, true)] {
            r.batches = batches
            let f = BenchAnalysis.analyse(r).findings.first { $0.kind == .batching }
            #expect((f != nil) == named, "\(batches) batches")
            if named { #expect(f?.evidence.contains("(6%) at linger.ms=0.0") == true) }
        }
        // The same batches at linger.ms 10: the user already lingers, no finding.
        r.settings.lingerMs = 10
        #expect(BenchAnalysis.analyse(r).findings.contains { $0.kind == .batching } == false)
    }

    /// Wire bytes of 40 MB/s on a 1 Gbit/s link (125 MB/s) are 32%; at 110 MB/s, 88% ≥ 80%: the network.
    @Test func aLinkNearlyFullIsTheNetwork() {
        var r = Self.report(rate: nil, records: 100_000, seconds: 10)
        r.linkBytesPerSecond = 125_000_000
        r.wireBytes = 400_000_000
        #expect(BenchAnalysis.analyse(r).findings.contains { $0.kind == .network } == false)
        r.wireBytes = 1_100_000_000
        let f = BenchAnalysis.analyse(r).findings.first { $0.kind == .network }
        #expect(f?.evidence.contains("(88%)") == true)
    }

    /// Requests answered in 25 ms at the median while records' p99 is 40 ms: the broker's response time.
    @Test func slowResponsesAreTheBrokersResponseTime() {
        var r = Self.report(rate: 1000, records: 10_000)
        r.requestLatency = Self.summary(p50: 25_000, p99: 38_000)
        r.latency = Self.summary(p50: 26_000, p99: 40_000)
        #expect(BenchAnalysis.analyse(r).bottleneck?.kind == .brokerLatency)
        // A consumer's 68 ms Fetches carrying 4 MB each are transfer time, not a slow broker; 40 KB each are slow.
        var c = r
        c.mode = .consume
        c.settings.rate = nil
        c.requests = 6
        c.wireBytes = 6 * 4_000_000
        c.requestLatency = Self.summary(p50: 68_000, p99: 85_000)
        c.latency = nil
        #expect(BenchAnalysis.analyse(c).findings.contains { $0.kind == .brokerLatency } == false)
        c.wireBytes = 6 * 40_000
        let slow = BenchAnalysis.analyse(c).findings.first { $0.kind == .brokerLatency }
        #expect(slow?.change.contains("fetch.min.bytes") == true)
        // Fast responses (2 ms): not the broker's response time.
        r.requestLatency = Self.summary(p50: 2_000, p99: 3_000)
        #expect(BenchAnalysis.analyse(r).findings.contains { $0.kind == .brokerLatency } == false)
    }

    @Test func aRateShortOfTheTargetIsNotSustained() {
        var r = Self.report(rate: 10_000, records: 60_000)
        r.behindSchedule = 40_000
        let v = BenchAnalysis.analyse(r)
        #expect(v.sustained == false)
        #expect(v.sustainedEvidence?.contains("6,000 records/s acknowledged of 10,000 asked (60%;") == true)
        #expect(v.bottleneck?.kind == .broker)
    }

    @Test func latencyGrowingOverTheRunIsQueueing() {
        var r = Self.report(rate: 10_000, records: 100_000)
        r.perSecond = (1...9).map { s in
            BenchSecond(
                second: s, records: 10_000, bytes: 0, p99: Double(s <= 3 ? 2_000 : s * 20_000), requestP50: 1_000)
        }
        let v = BenchAnalysis.analyse(r)
        #expect(v.findings.contains { $0.kind == .queueing })
    }

    @Test func aProcessUsingACoreIsCPUBound() {
        var r = Self.report(rate: nil, records: 1_000_000)
        r.cpuSeconds = 9.5
        r.settings.compression = "zstd"
        let v = BenchAnalysis.analyse(r)
        #expect(v.bottleneck?.kind == .clientCPU)
        #expect(v.bottleneck?.change.contains("lz4") == true)
    }

    @Test func anUnsustainedRateFailsTheLatencyTarget() {
        var r = Self.report(rate: 10_000, records: 50_000)
        r.behindSchedule = 50_000
        r.latency = LatencySummary(
            count: 100_000, p50: 1_000, p99: 4_000, p999: 5_000, p9999: 6_000, max: 7_000, mean: 1_500)
        r.plan = BenchPlanComparison(
            file: "a.yaml", workloadTopic: "t", plannedRecordsPerSecond: 10_000, plannedBytesPerBroker: 1e6,
            plannedBrokers: 3, measuredBytesPerBroker: 1e6, sloSeconds: 0.05, sloSource: "target")
        let v = BenchAnalysis.analyse(r)
        #expect(v.sloMet == false)
    }
}
