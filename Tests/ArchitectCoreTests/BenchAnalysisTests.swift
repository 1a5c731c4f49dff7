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

    @Test func aRateShortOfTheTargetIsNotSustained() {
        var r = Self.report(rate: 10_000, records: 60_000)
        r.behindSchedule = 40_000
        let v = BenchAnalysis.analyse(r)
        #expect(v.sustained == false)
        #expect(v.sustainedEvidence?.contains("6,000 records/s acknowledged of 10,000 asked (60%)") == true)
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
