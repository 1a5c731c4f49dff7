import Testing

@testable import ArchitectCore

@Suite struct PartitionerDetectorTests {
    func placed(_ keys: [String], by p: Partitioner, n: Int) -> [(key: [UInt8], partition: Int)] {
        keys.map { k in
            guard case .partition(let q) = p.choose(Array(k.utf8), partitions: n) else { fatalError("keyed") }
            return (Array(k.utf8), q)
        }
    }
    let keys = (0..<500).map { "order-\($0 * 7919)" }

    @Test func eachFamilyIsRecognised() {
        for (p, family) in [(Partitioner.murmur2Random, "murmur2"), (.consistentRandom, "CRC-32"), (.fnv1a, "FNV-1a")] {
            let d = PartitionerDetector.detect(placed(keys, by: p, n: 12), partitions: 12)
            #expect(d.family?.hasPrefix(family) == true, "\(p): \(d.verdict)")
            #expect(!d.disagree)
        }
    }

    @Test func mixedProducersDisagree() {
        let mixed =
            placed(Array(keys.prefix(250)), by: .java, n: 12)
            + placed(Array(keys.suffix(250)), by: .consistentRandom, n: 12)
        let d = PartitionerDetector.detect(mixed, partitions: 12)
        #expect(d.disagree)
        #expect(d.family == nil)
        #expect(d.verdict.contains("disagree"))
        // Half and half, though records both place alike (1 in 12) cannot be attributed.
        #expect(d.producers.allSatisfy { abs($0.share - 0.5) < 0.02 }, "\(d.producers)")
    }

    /// Two producers one after the other, 99.3% and 0.7% of the records, were once called "a custom
    /// partitioner": the few records of the second still all follow a known family.
    @Test func aBriefSecondProducerIsStillMixed() {
        let keys = (0..<1400).map { "vehicle-\($0 * 104_729)" }
        let placedByFirst = placed(Array(keys.prefix(1390)), by: .consistentRandom, n: 6)
        // The second producer's records, only those murmur2 places apart from CRC-32 (as observed).
        let second = placed(Array(keys.suffix(10)), by: .java, n: 6)
        let mixed = placedByFirst + second
        let d = PartitionerDetector.detect(mixed, partitions: 6)
        let crcOnly = second.filter { r in
            Partitioner.consistentRandom.choose(r.key, partitions: 6) != .partition(r.partition)
        }
        try? #require(crcOnly.count >= 4, "the test needs records only murmur2 explains")
        #expect(d.disagree, "\(d.verdict)")
        #expect(d.partitioner == .consistentRandom)
        // The producers' shares, 99.3% and 0.7%, within 2 points.
        #expect(d.producers.count == 2)
        #expect(d.producers.first.map { abs($0.share - 1390.0 / 1400) < 0.02 } == true, "\(d.producers)")
        let crc = d.matches.first { $0.family.hasPrefix("CRC-32") }
        #expect(crc.map { abs($0.share - Double(mixed.count - crcOnly.count) / Double(mixed.count)) < 1e-9 } == true)
    }

    @Test func placementFollowsTheDetectedPartitionerUnlessGiven() {
        let d = PartitionerDetector.detect(placed(keys, by: .consistentRandom, n: 12), partitions: 12)
        let auto = KeyPlacement.choose(given: nil, detected: d)
        #expect(auto.partitioner == .consistentRandom && auto.source == .detected)
        let forced = KeyPlacement.choose(given: .java, detected: d)
        #expect(forced.partitioner == .java && forced.source == .given)
        #expect(forced.note.contains("not the detected consistent_random"))
        let sameFamily = KeyPlacement.choose(given: .consistent, detected: d)
        #expect(!sameFamily.note.contains("not the detected"))
        let none = KeyPlacement.choose(given: nil, detected: PartitionerDetector.detect([], partitions: 12))
        #expect(none.partitioner == .java && none.source == .fallback)
    }

    @Test func randomPlacementIsExplainedByNoPartitioner() {
        var rng = SeededRandom(state: 3)
        let random = keys.map { (key: Array($0.utf8), partition: Int.random(in: 0..<12, using: &rng)) }
        let d = PartitionerDetector.detect(random, partitions: 12)
        #expect(d.family == nil && !d.disagree)
        #expect(d.verdict.contains("no known partitioner"))
    }

    @Test func onePartitionCannotTell() {
        #expect(
            PartitionerDetector.detect(placed(keys, by: .java, n: 1), partitions: 1).verdict.contains("one partition"))
    }
}
