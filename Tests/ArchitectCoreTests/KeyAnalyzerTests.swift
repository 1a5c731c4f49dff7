import Testing

@testable import ArchitectCore

@Suite struct StatisticsTests {
    @Test func chiSquareSurvivalMatchesTables() {
        #expect(abs(Statistics.chiSquareSurvival(3.841, degreesOfFreedom: 1) - 0.05) < 1e-3)
        #expect(abs(Statistics.chiSquareSurvival(18.307, degreesOfFreedom: 10) - 0.05) < 1e-3)
        #expect(abs(Statistics.chiSquareSurvival(24.725, degreesOfFreedom: 11) - 0.01) < 1e-3)
        #expect(abs(Statistics.chiSquareCritical(p: 0.05, degreesOfFreedom: 10) - 18.307) < 1e-2)
    }

    @Test func giniAndVariation() {
        #expect(Statistics.gini([5, 5, 5]) == 0)
        #expect(abs(Statistics.gini([0, 0, 9]) - 2.0 / 3.0) < 1e-12)
        #expect(Statistics.coefficientOfVariation([2, 2, 2, 2]) == 0)
        #expect(abs(Statistics.coefficientOfVariation([1, 3]) - 0.5) < 1e-12)
    }

    @Test func detectingSmallerSkewsNeedsMoreData() {
        let tenPercent = Statistics.sampleSizeToDetect(skew: 0.1, partitions: 12)
        let fivePercent = Statistics.sampleSizeToDetect(skew: 0.05, partitions: 12)
        #expect(abs(fivePercent / tenPercent - 4) < 0.01)  // ∝ 1 / skew²
        #expect(tenPercent > 10_000 && tenPercent < 30_000)
    }

    /// Regression: `map(Double.init)` on UInt64 counts once produced a χ² of 0 for a skewed load.
    @Test func chiSquareOfAnUnevenLoadIsLarge() {
        #expect(Statistics.chiSquareUniform([100, 0, 0, 0]) == 300)
    }
}

@Suite struct KeyAnalyzerTests {
    func analyze(_ keys: [String?], partitions: Int = 12, partitioner: Partitioner = .java, whatIf: [Int] = [])
        -> KeyReport
    {
        var a = KeyAnalyzer(partitioner: partitioner, partitions: partitions, whatIf: whatIf)
        for k in keys { a.add(k) }
        return a.report()
    }

    func randomKeys(_ count: Int, distinct: Int, seed: UInt64) -> [String] {
        var rng = SeededRandom(state: seed)
        return (0..<count).map { _ in "user-\(Int.random(in: 0..<distinct, using: &rng))" }
    }

    @Test func countsMatchThePartitionerExactly() {
        let keys = randomKeys(5000, distinct: 1000, seed: 1)
        let r = analyze(keys)
        var expected = [UInt64](repeating: 0, count: 12)
        for k in keys {
            if case .partition(let p) = Partitioner.java.choose(Array(k.utf8), partitions: 12) { expected[p] += 1 }
        }
        #expect(r.loads.map(\.messages) == expected)
        #expect(r.totalMessages == 5000)
    }

    @Test func uniformKeysAreNotCalledSkewed() {
        let r = analyze(randomKeys(200_000, distinct: 1_000_000, seed: 2))
        #expect(!r.chiSquare.skewed, "p = \(r.chiSquare.pValue)")
        #expect(r.maxToMeanRatio < 1.03)
        #expect(!r.findings.contains { $0.code == "skew" })
    }

    @Test func aHotKeyIsFoundWithItsPartitionAndCalledSkew() {
        var keys = randomKeys(50_000, distinct: 100_000, seed: 3)
        keys += Array(repeating: "merchant-42", count: 20_000)
        let r = analyze(keys)
        let top = try! #require(r.hotKeys.first)
        #expect(top.key == Array("merchant-42".utf8))
        #expect(top.messages >= 20_000 && Double(top.messages) <= 20_000 + r.hotKeyErrorBound)
        #expect(top.hot)
        if case .partition(let p) = Partitioner.java.choose(Array("merchant-42".utf8), partitions: 12) {
            #expect(top.partition == p)
        }
        #expect(r.chiSquare.skewed)
        #expect(r.findings.contains { $0.code == "skew" })
        let salt = try! #require(r.fixes.first { $0.kind == .salt })
        #expect(salt.maxToMeanRatioAfter < salt.maxToMeanRatioBefore)
        let isolate = try! #require(r.fixes.first { $0.kind == .isolate })
        #expect(isolate.maxToMeanRatioAfter < 1.2)
    }

    @Test func heavyHittersSurviveManyDistinctKeys() {
        var a = KeyAnalyzer(partitioner: .java, partitions: 24, trackedKeys: 64)
        var rng = SeededRandom(state: 4)
        let planted = ["alpha": 5000, "beta": 3000, "gamma": 2000]
        var stream: [String] = []
        for (k, n) in planted { stream += Array(repeating: k, count: n) }
        stream += (0..<200_000).map { _ in "noise-\(UInt64.random(in: 0..<UInt64.max, using: &rng))" }
        stream.shuffle(using: &rng)
        for k in stream { a.add(k) }
        let r = a.report(top: 3)
        #expect(Set(r.hotKeys.map { String(decoding: $0.key, as: UTF8.self) }) == Set(planted.keys))
        for h in r.hotKeys {
            let truth = UInt64(planted[String(decoding: h.key, as: UTF8.self)]!)
            #expect(h.messages >= truth && Double(h.messages - truth) <= r.hotKeyErrorBound)
        }
        #expect(abs(r.distinctKeysEstimate - 200_003) / 200_003 < 0.03)
    }

    @Test func moreSaltBucketsSpreadAHotKeyFurther() {
        var a = KeyAnalyzer(partitioner: .java, partitions: 12)
        for k in randomKeys(20_000, distinct: 50_000, seed: 9) { a.add(k) }
        for _ in 0..<30_000 { a.add("whale") }
        func salted(_ b: Int) -> Double {
            a.report(saltBuckets: b).fixes.first { $0.kind == .salt }!.maxToMeanRatioAfter
        }
        #expect(a.report(saltBuckets: 24).fixes.first { $0.kind == .salt }!.description.contains("24 buckets"))
        #expect(salted(24) < salted(2))
    }

    @Test func constantKeyIsAnError() {
        let r = analyze(Array(repeating: "same", count: 1000))
        #expect(r.findings.contains { $0.code == "constant-key" && $0.severity == .error })
        #expect(r.maxToMeanRatio == 12)
    }

    @Test func nullAndEmptyKeysAreCountedAndExplained() {
        let r = analyze(["a", nil, nil, "", "b", ""], partitions: 4)
        #expect(r.nullKeys == 2)
        #expect(r.emptyKeys == 2)
        #expect(r.spreadMessages == 2)
        #expect(r.keyedMessages == 4)
        #expect(r.findings.contains { $0.code == "null-keys" })
        #expect(r.findings.contains { $0.code == "empty-keys" && $0.severity == .warning })
        let random = analyze(["a", "", ""], partitions: 4, partitioner: .consistentRandom)
        #expect(random.spreadMessages == 2)
    }

    @Test func lowCardinalityIsFlagged() {
        let r = analyze(randomKeys(10_000, distinct: 20, seed: 5))
        #expect(r.findings.contains { $0.code == "low-cardinality" })
    }

    @Test func sequentialAndTimestampKeysAreRecognised() {
        let sequential = analyze((1...5000).map { String($0) })
        #expect(sequential.findings.contains { $0.code == "sequential-key" })
        let timestamps = analyze((0..<5000).map { String(1_763_700_000_000 + $0 * 37) })
        #expect(timestamps.findings.contains { $0.code == "timestamp-key" })
        let iso = analyze((0..<100).map { "2026-11-21T10:\($0 % 60):00Z" })
        #expect(iso.findings.contains { $0.code == "timestamp-key" })
    }

    @Test func whatIfEqualsAnalysingAtThatCount() {
        let keys = randomKeys(20_000, distinct: 500, seed: 6)
        let r = analyze(keys, whatIf: [6, 24])
        let direct = analyze(keys, partitions: 24)
        let w = try! #require(r.whatIf.first { $0.partitions == 24 })
        #expect(abs(w.maxToMeanRatio - direct.maxToMeanRatio) < 1e-12)
    }

    @Test func emptyInputGivesAnEmptyReport() {
        let r = analyze([])
        #expect(r.totalMessages == 0)
        #expect(r.hotKeys.isEmpty)
        #expect(!r.chiSquare.skewed)
    }
}

@Suite struct PartitionAdvisorTests {
    @Test func throughputTermIsMaxOfWriteAndRead() {
        var q = PartitionQuestion(messagesPerSecond: 10_000, messageSize: 1000)
        q.growth = 2.5
        q.partitionWriteThroughput = 10e6
        q.partitionReadThroughput = 5e6
        let a = PartitionAdvisor.advise(q)
        #expect(a.minimumPartitions == 5)  // 25 MB/s ÷ 5 MB/s
        // Headroom 3 × 5 = 15, a multiple of the default 3 brokers; 15, 18, 21 lie within 1.5 × 15 and
        // 18 has the most divisors (6 against 4 and 4).
        #expect(a.recommendedPartitions == 18)
        #expect(a.terms.contains { $0.id == "minimumPartitions" && $0.formula == "max(1, ⌈T ÷ p⌉, ⌈T ÷ c⌉)" })
    }

    @Test func consumersRaiseTheCount() {
        var q = PartitionQuestion(messagesPerSecond: 100, messageSize: 100)
        q.consumers = 8
        // max(3 × 1, 8) = 8, up to the multiple of 3 brokers 9; within 13.5: 9 (3 divisors) and 12 (6):
        // neither divides by 8, so the most divisors.
        #expect(PartitionAdvisor.advise(q).recommendedPartitions == 12)
        q.consumers = 6
        // 6, then 9: 6 divides by the 6 consumers.
        #expect(PartitionAdvisor.advise(q).recommendedPartitions == 6)
    }

    @Test func theSeedsWorkedExampleIsTwelve() {
        // ../shared/seeds: 10,000 msg/s × 1 KB, growth 2.5× → 25 MB/s, 3 partitions for throughput at 10 MB/s,
        // 9 with 3× headroom, 9 and 12 are the multiples of 3 brokers within 13.5, 12 has 6 divisors.
        var q = PartitionQuestion(messagesPerSecond: 10_000, messageSize: 1000)
        q.growth = 2.5
        let a = PartitionAdvisor.advise(q)
        #expect(a.minimumPartitions == 3)
        #expect(a.recommendedPartitions == 12)
        #expect(
            a.terms.map(\.id) == [
                "target", "throughput.writes", "throughput.reads", "minimumPartitions", "headroom", "floor", "multiple",
                "recommendedPartitions",
            ])
        #expect(a.terms.first { $0.id == "headroom" }?.value == 9)
        #expect(a.notes.contains { $0.contains("Assumes 3 brokers") })
    }

    @Test func onePartitionOnlyForGlobalOrderingAndLowVolumeSkipsTheFloor() {
        var q = PartitionQuestion(messagesPerSecond: 50, messageSize: 500)
        q.brokers = 6
        #expect(PartitionAdvisor.advise(q).recommendedPartitions == 6)  // max(3, 6 brokers)
        q.lowVolume = true
        #expect(PartitionAdvisor.advise(q).recommendedPartitions == 3)  // 3 × 1, no floor
        q.globalOrdering = true
        let ordered = PartitionAdvisor.advise(q)
        #expect(ordered.recommendedPartitions == 1)
        #expect(ordered.warnings.isEmpty)
        q.messagesPerSecond = 50_000  // 25 MB/s × 2 needs 5 partitions
        #expect(PartitionAdvisor.advise(q).warnings.contains { $0.contains("Global ordering") })
    }

    @Test func divisorCounts() {
        #expect([1, 2, 6, 9, 12, 16, 36, 60].map(PartitionAdvisor.divisorCount) == [1, 2, 4, 3, 6, 5, 9, 12])
    }

    @Test func littleLawWithSlowProcessingAdvisesConcurrencyInsidePartitions() {
        var q = PartitionQuestion(messagesPerSecond: 2000, messageSize: 1000)
        q.processingTime = 0.05
        q.growth = 2
        let a = PartitionAdvisor.advise(q)
        #expect(a.requiredConcurrency == 200)  // 2,000 × 2 × 50 ms
        #expect(a.preferInPartitionConcurrency)
        // 4 MB/s needs 1 partition, 3 with headroom, 3 on 3 brokers: 200 in flight ÷ 3 = 67 per partition.
        #expect(a.recommendedPartitions == 3)
        #expect(a.concurrencyPerPartition == 67)
        #expect(a.notes.contains { $0.contains("virtual partitions") })
    }

    @Test func modestConcurrencyRaisesPartitions() {
        var q = PartitionQuestion(messagesPerSecond: 1000, messageSize: 100)
        #expect(PartitionAdvisor.advise(q).recommendedPartitions == 3)  // 1 for throughput, 3 with headroom
        q.processingTime = 0.0025  // 1,000 × 2 × 2.5 ms = 5 in flight vs 3: within 2×, so partitions
        let a = PartitionAdvisor.advise(q)
        #expect(!a.preferInPartitionConcurrency)
        #expect(a.recommendedPartitions == 6)  // 5 → the multiple of 3 brokers 6; 6 (4 divisors) beats 9 (3)
    }

    @Test func roundsToBrokerMultiples() {
        var q = PartitionQuestion(messagesPerSecond: 50_000, messageSize: 1000)
        q.brokers = 6
        let a = PartitionAdvisor.advise(q)
        #expect(a.minimumPartitions == 10)
        // 30 with headroom; 30, 36, 42 within 45: 36 has 9 divisors against 8 and 8.
        #expect(a.recommendedPartitions == 36)
    }

    @Test func costsGrowWithPartitions() {
        let few = PartitionAdvisor.advise(PartitionQuestion(messagesPerSecond: 1000, messageSize: 1000))
        var manyQ = PartitionQuestion(messagesPerSecond: 1000, messageSize: 1000)
        manyQ.consumers = 600
        let many = PartitionAdvisor.advise(manyQ)
        func cost(_ a: PartitionAdvice, _ id: String) -> Double { a.costs.first { $0.id == id }!.value }
        #expect(cost(many, "cost.openFiles") > cost(few, "cost.openFiles"))
        #expect(cost(many, "cost.replicationLatency") > cost(few, "cost.replicationLatency"))
    }
}

@Suite struct KeyAnalyzerFastPathTests {
    /// The line-per-key fast path must give exactly the general path's report.
    @Test func fastPathEqualsGeneralPath() {
        var rng = SeededRandom(state: 77)
        let keys: [[UInt8]] = (0..<20_000).map { i in
            i % 97 == 0 ? [] : Array("k-\(Int.random(in: 0..<3000, using: &rng))".utf8)
        }
        var general = KeyAnalyzer(partitioner: .java, partitions: 12)
        var fast = KeyAnalyzer(partitioner: .java, partitions: 12)
        for k in keys {
            k.withUnsafeBytes { general.add($0, weight: 1, size: nil) }
            k.withUnsafeBytes { fast.add(key: $0) }
        }
        #expect(general.report() == fast.report())
    }
}
