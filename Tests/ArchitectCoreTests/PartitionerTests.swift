import Testing

@testable import ArchitectCore

/// Published vectors: Apache Kafka's UtilsTest.testMurmur2 (Java ints), librdkafka's
/// rdmurmur2.c and rdfnv1a.c unit tests, and the standard CRC-32 check value.
@Suite struct PartitionerTests {
    @Test(arguments: [
        ("21", Int32(-973_932_308)), ("foobar", -790_332_482), ("a-little-bit-long-string", -985_981_536),
        ("a-little-bit-longer-string", -1_486_304_829),
        ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
        ("abc", 479_470_107),
    ])
    func murmur2MatchesKafkaUtilsTest(key: String, expected: Int32) {
        #expect(Int32(bitPattern: KafkaHash.murmur2(Array(key.utf8))) == expected)
    }

    /// The batch form hashes four keys of four bytes or more in lockstep: Kafka's vectors through
    /// that path, then random keys of every length 0–70 cut from one buffer of random bytes (a read
    /// past a key's end would change its hash), in batches of every size 1–67.
    @Test func batchMurmur2MatchesKafkaAndTheOneKeyForm() {
        let vectors: [(String, Int32)] = [
            ("foobar", -790_332_482), ("a-little-bit-long-string", -985_981_536),
            ("a-little-bit-longer-string", -1_486_304_829),
            ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971), ("21", -973_932_308),
            ("abc", 479_470_107),
        ]
        let joined = vectors.map { Array($0.0.utf8) }
        var hashes = [UInt32](repeating: 0, count: joined.count)
        withPointers(to: joined) { keys in KafkaHash.murmur2(keys, into: &hashes) }
        #expect(hashes.map { Int32(bitPattern: $0) } == vectors.map(\.1))

        var random = SeededRandom(state: 11)
        let pool = (0..<20_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        pool.withUnsafeBytes { bytes in
            var offset = 0
            for size in 1...67 {
                let keys = (0..<size).map { _ -> UnsafeRawBufferPointer in
                    let length = Int(random.next() % 71)
                    defer { offset = (offset + length + 1) % (pool.count - 80) }
                    return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
                }
                var batch = [UInt32](repeating: 0, count: size)
                keys.withUnsafeBufferPointer { KafkaHash.murmur2($0, into: &batch) }
                #expect(batch == keys.map { KafkaHash.murmur2($0) }, "batch of \(size)")
            }
        }
    }

    private func withPointers(to keys: [[UInt8]], _ body: (UnsafeBufferPointer<UnsafeRawBufferPointer>) -> Void) {
        let copies = keys.map { key -> UnsafeMutableRawBufferPointer in
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: key.count, alignment: 1)
            copy.copyBytes(from: key)
            return copy
        }
        defer { for copy in copies { copy.deallocate() } }
        copies.map { UnsafeRawBufferPointer($0) }.withUnsafeBufferPointer(body)
    }

    @Test(arguments: [("kafka", UInt32(1_348_980_580)), ("amqp", 767_747_138), ("giberish123456789", 257_239_820)])
    func murmur2MatchesLibrdkafkaVectorsAfterToPositive(key: String, expected: UInt32) {
        #expect(KafkaHash.murmur2(Array(key.utf8)) & 0x7fff_ffff == expected)
    }

    @Test func fnv1aMatchesLibrdkafkaVectors() {
        let unaligned = "PreAmbleWillBeRemoved,ThePrePartThatIs"
        let cases: [(String, UInt32)] = [
            ("kafka", 0xd33c4e1), ("giberish123456789", 0x77a5_8295), ("1234", 0x23bdd03), ("234", 0x2dea_3cd2),
            ("34", 0x740f_a83e), ("4", 0x310c_a263), (unaligned, 0x65cb_d69c),
            (String(unaligned.dropFirst()), 0x6e49_c79a),
            (String(unaligned.dropFirst(2)), 0x69ee_d356), (String(unaligned.dropFirst(3)), 0x6abc_c023),
            ("", 0x7ee3_623b),
        ]
        for (key, expected) in cases {
            #expect(KafkaHash.fnv1a(Array(key.utf8)) == expected, "\(key)")
        }
    }

    @Test func crc32CheckValue() {
        #expect(KafkaHash.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(KafkaHash.crc32([UInt8]()) == 0)
    }

    /// toPositive is `& 0x7fffffff`, not abs: the two differ for negative hashes.
    @Test func javaUsesMaskNotAbs() {
        let key = Array("21".utf8)
        let h = Int32(bitPattern: KafkaHash.murmur2(key))  // -973932308
        let masked = Int(UInt32(bitPattern: h) & 0x7fff_ffff) % 12
        let abs = Int(h.magnitude) % 12
        #expect(masked != abs)
        #expect(Partitioner.java.choose(key, partitions: 12) == .partition(masked))
    }

    @Test func nullAndEmptyKeysFollowEachPartitionersRules() {
        for p in Partitioner.allCases {
            #expect(p.choose(nil as [UInt8]?, partitions: 6) == .spread, "\(p) null key")
        }
        #expect(Partitioner.consistent.choose([UInt8](), partitions: 6) == .partition(0))
        #expect(Partitioner.consistentRandom.choose([UInt8](), partitions: 6) == .spread)
        let emptyMurmur = Int(KafkaHash.murmur2([UInt8]()) & 0x7fff_ffff) % 6
        for p in [Partitioner.java, .murmur2, .murmur2Random] {
            #expect(p.choose([UInt8](), partitions: 6) == .partition(emptyMurmur))
        }
        #expect(Partitioner.fnv1a.choose([UInt8](), partitions: 6) == .partition(Int(0x7ee3_623b % 6)))
    }

    @Test func invalidUTF8IsHashedAsBytes() {
        let bytes: [UInt8] = [0xFF, 0xFE, 0x00, 0x80]
        if case .partition(let p) = Partitioner.java.choose(bytes, partitions: 10) {
            #expect(p == Int(KafkaHash.murmur2(bytes) & 0x7fff_ffff) % 10)
        } else {
            Issue.record("keyed record must get a partition")
        }
    }
}
