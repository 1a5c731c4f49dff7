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
