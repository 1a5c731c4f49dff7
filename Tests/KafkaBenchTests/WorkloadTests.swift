import Foundation
import Testing

@testable import KafkaBench

/// The workload's distributions and the latency recorder, checked against answers computed here.
struct WorkloadTests {
    @Test func zipfKeysFollowTheirWeights() {
        var keys = KeySource(.zipf(count: 10, skew: 1.0), seed: 7)
        var seen = [Int](repeating: 0, count: 10)
        let draws = 200_000
        for _ in 0..<draws { seen[keys.nextIndex() ?? -1] += 1 }
        // The k-th key's share is (1/k) / H(10).
        let harmonic = (1...10).reduce(0.0) { $0 + 1 / Double($1) }
        for k in 1...10 {
            let expected = (1 / Double(k)) / harmonic
            let share = Double(seen[k - 1]) / Double(draws)
            #expect(abs(share - expected) < 0.005, "key \(k): \(share) against \(expected)")
        }
    }

    @Test func uniformKeysAreEven() {
        var keys = KeySource(.uniform(count: 4), seed: 3)
        var seen = [Int](repeating: 0, count: 4)
        for _ in 0..<40_000 { seen[keys.nextIndex() ?? -1] += 1 }
        for n in seen { #expect(abs(n - 10_000) < 400, "\(seen)") }
    }

    @Test func keysAreNamedAndTheFileIsReplayedInOrder() {
        var file = KeySource(.list([Array("a".utf8), Array("bc".utf8)]), seed: 1)
        let got = (0..<5).map { _ in
            file.next { String(decoding: $0 ?? UnsafeRawBufferPointer(start: nil, count: 0), as: UTF8.self) }
        }
        #expect(got == ["a", "bc", "a", "bc", "a"])
        var none = KeySource(.none, seed: 1)
        #expect(none.next { $0 == nil })
    }

    @Test func valuesCarryTheirNumberAndTheirShareOfPattern() {
        var values = ValueSource(size: 108, compressibility: 0.5, seed: 1, poolSize: 4)
        let bytes = values.value(0x0102_0304_0506_0708) { Array($0) }
        #expect(bytes.count == 108)
        #expect(Array(bytes.prefix(8)) == [1, 2, 3, 4, 5, 6, 7, 8])
        // 50 of the 100 body bytes are the pattern a, b, …, p, a, …
        let pattern = (0..<50).map { UInt8(ascii: "a") + UInt8($0 % 16) }
        #expect(Array(bytes[8..<58]) == pattern)
        let next = values.value(1) { Array($0) }
        #expect(Array(next[58...]) != Array(bytes[58...]), "bodies come from a pool of distinct values")
    }

    /// KIP-794: unkeyed records stay on one partition until batch.size bytes went to it; the record after that
    /// goes elsewhere. 16 records of 1,000 bytes stay below 16,384; the 17th crosses it.
    @Test func theStickyPartitionerMovesOnAfterBatchSizeBytes() {
        var p = PartitionPicker(.sticky, partitions: 6, seed: 1, batchSize: 16_384)
        let first = p.pick(nil)
        for _ in 0..<16 {
            #expect(p.pick(nil) == first)
            p.appended(unkeyed: 1000)
        }
        #expect(p.pick(nil) == first, "16,000 bytes: still below batch.size")
        p.appended(unkeyed: 1000)
        let second = p.pick(nil)
        #expect(second != first, "17,000 bytes reached batch.size: the next record moves")
        var spread = Set<Int32>()
        for _ in 0..<1000 {
            spread.insert(p.pick(nil))
            p.appended(unkeyed: 1000)
        }
        #expect(spread.count == 6, "over many switches every partition is used")
        var rr = PartitionPicker(.roundRobin, partitions: 3, seed: 1)
        let cycle = (0..<6).map { _ in rr.pick(nil) }
        #expect(Set(cycle) == [0, 1, 2])
        #expect(cycle[0] == cycle[3])
    }

    @Test func recordedLatenciesMatchExactPercentilesWithinAThousandth() {
        var recorder = LatencyRecorder(enabled: true)
        var random = SplitMix64(seed: 11)
        var all: [UInt64] = []
        for second in 0..<5 {
            for _ in 0..<20_000 {
                let v = 50 + random.next() % 2_000_000
                all.append(v)
                recorder.record(micros: v)
            }
            // The last second is left open: the summary must still hold it.
            if second < 4 { _ = recorder.closeSecond(99) }
        }
        let s = recorder.summary
        #expect(s?.count == all.count)
        let sorted = all.sorted()
        func exact(_ q: Double) -> Double { Double(sorted[Int((Double(sorted.count) * q).rounded(.up)) - 1]) }
        for (got, q) in [(s?.p50, 0.5), (s?.p99, 0.99), (s?.p999, 0.999)] {
            let want = exact(q)
            #expect(abs((got ?? 0) - want) <= want * 0.001 + 1, "p\(q * 100): \(got ?? 0) against \(want)")
        }
        #expect(abs((s?.max ?? 0) - Double(sorted.last ?? 0)) <= Double(sorted.last ?? 0) * 0.001)
        var off = LatencyRecorder(enabled: false)
        off.record(micros: 5)
        #expect(off.summary == nil)
        #expect(off.count == 1)
    }
}
