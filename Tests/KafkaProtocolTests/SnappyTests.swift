import Testing

@testable import KafkaProtocol

/// Snappy raw blocks and the xerial framing Kafka's Java client writes. Known answers come from the
/// reference C++ snappy (through python's cramjam) and from snappy-java's SnappyCodec/SnappyOutputStream.
@Suite struct SnappyTests {
    // MARK: Helpers

    /// A seeded 64-bit LCG (Knuth's MMIX constants), so inputs and mutations are the same every run.
    struct LCG {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8(truncatingIfNeeded: next()) } }
    }

    static func compress(_ b: [UInt8]) -> [UInt8] { b.withUnsafeBytes { Snappy.compress($0) } }
    static func encodeKafka(_ b: [UInt8]) -> [UInt8] { b.withUnsafeBytes { Snappy.encodeKafka($0) } }
    static func decompress(_ b: [UInt8], limit: Int = 1 << 24) throws -> [UInt8] {
        try b.withUnsafeBytes { (p: UnsafeRawBufferPointer) throws -> [UInt8] in try Snappy.decompress(p, limit: limit)
        }
    }
    static func decodeKafka(_ b: [UInt8], limit: Int = 1 << 24) throws -> [UInt8] {
        try b.withUnsafeBytes { (p: UnsafeRawBufferPointer) throws -> [UInt8] in try Snappy.decodeKafka(p, limit: limit)
        }
    }

    static func hex(_ s: String) -> [UInt8] {
        let digits = Array(s.utf8.filter { $0 != UInt8(ascii: " ") })
        return stride(from: 0, to: digits.count, by: 2).map { i in
            UInt8(String(decoding: digits[i..<i + 2], as: UTF8.self), radix: 16)!
        }
    }

    /// Text-like input: words from a small vocabulary with numbers, the kind of thing record values hold.
    static func text(_ n: Int, seed: UInt64) -> [UInt8] {
        let words = [
            "kafka", "broker", "partition", "replica", "leader", "offset", "consumer", "producer", "topic", "batch",
        ]
        var rng = LCG(state: seed)
        var out: [UInt8] = []
        out.reserveCapacity(n + 16)
        while out.count < n {
            out += words[rng.below(words.count)].utf8
            if rng.below(5) == 0 { out += String(rng.below(100_000)).utf8 }
            out.append(UInt8(ascii: " "))
        }
        return Array(out.prefix(n))
    }

    /// Walks the xerial framing: the header, then (length, block) pairs.
    static func xerialBlocks(_ framed: [UInt8]) -> (header: [UInt8], blocks: [[UInt8]])? {
        guard framed.count >= 16 else { return nil }
        var blocks: [[UInt8]] = []
        var i = 16
        while i < framed.count {
            guard framed.count - i >= 4 else { return nil }
            let n = framed[i..<i + 4].reduce(0) { $0 << 8 | Int($1) }
            i += 4
            guard framed.count - i >= n else { return nil }
            blocks.append(Array(framed[i..<i + n]))
            i += n
        }
        return (Array(framed.prefix(16)), blocks)
    }

    static let hello = Array("Hello, Hello, Hello, Hello!".utf8)
    /// cramjam.snappy.compress_raw(b"Hello, Hello, Hello, Hello!"): length 27, literal "Hello, ",
    /// copy-2 of 19 bytes from offset 7, literal "!".
    static let helloRaw = hex("1b 18 48656c6c6f2c20 4a 0700 00 21")
    /// The same block as snappy-java's SnappyOutputStream frames it (built by hand from SnappyCodec:
    /// magic, version 1, compatible version 1, then big-endian block length 14 and the block).
    static let helloXerial = hex("82 534e4150505900 00000001 00000001 0000000e") + helloRaw
    static let xerialHeader: [UInt8] = [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]

    // MARK: Round trips

    @Test(arguments: [0, 1, 2, 3, 4, 15, 16, 17, 60, 61, 1000, 32 * 1024, 32 * 1024 + 1, 65535, 65536, 65537, 200_000])
    func roundTripsText(size: Int) throws {
        let input = Self.text(size, seed: UInt64(size))
        #expect(try Self.decompress(Self.compress(input)) == input)
        #expect(try Self.decodeKafka(Self.encodeKafka(input)) == input)
        // librdkafka may send a raw block instead of the xerial framing.
        #expect(try Self.decodeKafka(Self.compress(input)) == input)
    }

    @Test func roundTripsEmptyAndOneByte() throws {
        #expect(Self.compress([]) == [0])
        #expect(try Self.decompress([0]) == [])
        #expect(try Self.decompress(Self.compress([42])) == [42])
        // snappy-java writes only the header for an empty stream.
        #expect(Self.encodeKafka([]) == Self.xerialHeader)
        #expect(try Self.decodeKafka(Self.xerialHeader) == [])
    }

    @Test func repetitiveInputUsesCopies() throws {
        let runs = [UInt8](repeating: 0x61, count: 300_000)
        let packed = Self.compress(runs)
        #expect(packed.count < runs.count / 20)
        #expect(try Self.decompress(packed) == runs)
        let pattern = Array((0..<100_000).map { UInt8(truncatingIfNeeded: $0 % 10) })
        let packedPattern = Self.compress(pattern)
        #expect(packedPattern.count < pattern.count / 20)
        #expect(try Self.decompress(packedPattern) == pattern)
        let text = Self.text(100_000, seed: 7)
        #expect(Self.compress(text).count < text.count * 2 / 3)
    }

    @Test func pseudoRandomInputBarelyExpands() throws {
        var rng = LCG(state: 0x5EED)
        for size in [1, 7, 100, 4096, 70_000, 300_000] {
            let input = rng.bytes(size)
            let packed = Self.compress(input)
            #expect(packed.count <= 32 + size + size / 6)
            #expect(try Self.decompress(packed) == input)
            #expect(try Self.decodeKafka(Self.encodeKafka(input)) == input)
        }
    }

    /// Random "words" of 4...11 bytes in random order: short matches at offsets from a few bytes to
    /// several KiB, straddling the copy-1 limit (offset < 2048) and the 64 KiB fragment edges.
    @Test func shortMatchesAtManyDistances() throws {
        var rng = LCG(state: 4242)
        let words = (0..<600).map { _ in rng.bytes(4 + rng.below(8)) }
        var input: [UInt8] = []
        while input.count < 200_000 { input += words[rng.below(words.count)] }
        let packed = Self.compress(input)
        #expect(packed.count < input.count * 3 / 4)
        #expect(try Self.decompress(packed) == input)
        #expect(try Self.decodeKafka(Self.encodeKafka(input)) == input)
    }

    @Test func mixedInputOverManyFragments() throws {
        var rng = LCG(state: 99)
        var input: [UInt8] = []
        while input.count < 600_000 {
            switch rng.below(4) {
            case 0: input += Self.text(rng.below(5000) + 1, seed: rng.next())
            case 1: input += rng.bytes(rng.below(3000) + 1)
            case 2: input += [UInt8](repeating: UInt8(truncatingIfNeeded: rng.next()), count: rng.below(2000) + 1)
            default:
                let start = max(0, input.count - rng.below(70_000) - 1)
                input += input[start..<min(input.count, start + rng.below(500) + 4)]
            }
        }
        #expect(try Self.decompress(Self.compress(input)) == input)
        #expect(try Self.decodeKafka(Self.encodeKafka(input)) == input)
    }

    // MARK: Known answers

    @Test func knownAnswerRawBlock() throws {
        #expect(try Self.decompress(Self.helloRaw) == Self.hello)
        // The greedy matcher makes the same choices as the reference implementation here.
        #expect(Self.compress(Self.hello) == Self.helloRaw)
    }

    @Test func knownAnswerXerialFraming() throws {
        #expect(Array(Self.helloXerial.prefix(16)) == Self.xerialHeader)
        #expect(try Self.decodeKafka(Self.helloXerial) == Self.hello)
        #expect(Self.encodeKafka(Self.hello) == Self.helloXerial)
        // Concatenated streams (a second header where a block length would be), as snappy-java reads them.
        #expect(try Self.decodeKafka(Self.helloXerial + Self.helloXerial) == Self.hello + Self.hello)
    }

    @Test func xerialBlocksHoldAtMost32KiB() throws {
        let input = Self.text(100_000, seed: 3)
        let framed = Self.encodeKafka(input)
        let walked = try #require(Self.xerialBlocks(framed))
        #expect(walked.header == Self.xerialHeader)
        #expect(walked.blocks.count == 4)
        var joined: [UInt8] = []
        for block in walked.blocks {
            let part = try Self.decompress(block)
            #expect(part.count <= 32 * 1024)
            joined += part
        }
        #expect(joined == input)
    }

    /// Elements the compressor never writes but other encoders may: copy-1, copy-4, and a literal with a length byte.
    @Test func decodesEveryElementKind() throws {
        // 10 bytes: literal "ab", copy-4 of 8 from offset 2.
        #expect(try Self.decompress([10, 0x04, 0x61, 0x62, 0x1F, 2, 0, 0, 0]) == Array("ababababab".utf8))
        // 10 bytes: literal "ab", copy-1 of 8 from offset 2.
        #expect(try Self.decompress([10, 0x04, 0x61, 0x62, 0x11, 2]) == Array("ababababab".utf8))
        // 61 bytes: literal with tag 60 and one length byte (61 - 1).
        let sixtyOne = [UInt8](repeating: 0x7A, count: 61)
        #expect(try Self.decompress([61, 0xF0, 60] + sixtyOne) == sixtyOne)
    }

    // MARK: Corrupt input

    @Test func truncatedInputThrows() throws {
        #expect(throws: SnappyError.truncated) { try Self.decompress([]) }
        #expect(throws: SnappyError.truncated) { try Self.decompress(Array(Self.helloRaw.dropLast())) }
        #expect(throws: SnappyError.truncated) { try Self.decodeKafka(Array(Self.helloXerial.dropLast())) }
        #expect(throws: SnappyError.truncated) { try Self.decodeKafka(Array(Self.xerialHeader.prefix(12))) }
        // Every proper prefix of a valid stream is rejected one way or another.
        // (A cut exactly between two blocks is a shorter valid stream, so those are skipped.)
        let framed = Self.encodeKafka(Self.text(40_000, seed: 11))
        let blocks = try #require(Self.xerialBlocks(framed)).blocks
        #expect(blocks.count == 2)
        let boundaries: Set<Int> = [16, 16 + 4 + blocks[0].count, framed.count]
        for cut in stride(from: 1, to: framed.count, by: 37) where !boundaries.contains(cut) {
            #expect(throws: SnappyError.self) { try Self.decodeKafka(Array(framed.prefix(cut))) }
        }
        let raw = Self.compress(Self.text(5000, seed: 12))
        for cut in 0..<raw.count {
            #expect(throws: SnappyError.self) { try Self.decompress(Array(raw.prefix(cut))) }
        }
    }

    @Test func badOffsetsThrow() throws {
        // Offset 2 with only one byte written.
        let early = #expect(throws: SnappyError.self) { try Self.decompress([5, 0x00, 0x61, 0x01, 0x02]) }
        #expect(isCorrupt(early))
        // Offset 0.
        let zero = #expect(throws: SnappyError.self) { try Self.decompress([5, 0x00, 0x61, 0x01, 0x00]) }
        #expect(isCorrupt(zero))
        // A copy-2 of 5 bytes after 1 byte, with 5 declared: runs past the end.
        let over = #expect(throws: SnappyError.self) { try Self.decompress([5, 0x00, 0x61, 0x12, 0x01, 0x00]) }
        #expect(isCorrupt(over))
        // A literal longer than the declared length.
        let literal = #expect(throws: SnappyError.self) { try Self.decompress([1, 0x04, 0x61, 0x62]) }
        #expect(isCorrupt(literal))
    }

    func isCorrupt(_ error: SnappyError?) -> Bool {
        if case .corrupt = error { true } else { false }
    }

    @Test func lengthVarintOverflowThrows() throws {
        let long = #expect(throws: SnappyError.self) { try Self.decompress([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]) }
        #expect(isCorrupt(long))
        let wide = #expect(throws: SnappyError.self) { try Self.decompress([0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00]) }
        #expect(isCorrupt(wide))
    }

    @Test func declaredLengthOverLimitThrowsTooLarge() throws {
        #expect(throws: SnappyError.tooLarge(declared: 27, limit: 26)) { try Self.decompress(Self.helloRaw, limit: 26) }
        #expect(try Self.decompress(Self.helloRaw, limit: 27) == Self.hello)
        #expect(throws: SnappyError.tooLarge(declared: 27, limit: 10)) {
            try Self.decodeKafka(Self.helloXerial, limit: 10)
        }
        // 4 GiB - 1 declared by five bytes: refused before anything is allocated.
        #expect(throws: SnappyError.tooLarge(declared: 0xFFFF_FFFF, limit: 1 << 20)) {
            try Self.decompress([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00], limit: 1 << 20)
        }
        // Even with no practical limit, a tiny block cannot claim 4 GiB.
        let bomb = #expect(throws: SnappyError.self) {
            try Self.decompress([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00], limit: Int.max)
        }
        #expect(isCorrupt(bomb))
        // Blocks that each fit but together exceed the limit.
        let framed = Self.encodeKafka(Self.text(100_000, seed: 5))
        #expect(throws: SnappyError.tooLarge(declared: 65536, limit: 50_000)) {
            try Self.decodeKafka(framed, limit: 50_000)
        }
    }

    @Test func badFramingThrows() throws {
        var negative = Self.helloXerial
        negative[16] = 0x80
        let error = #expect(throws: SnappyError.self) { try Self.decodeKafka(negative) }
        #expect(isCorrupt(error))
        var long = Self.helloXerial
        long[19] = 15
        #expect(throws: SnappyError.truncated) { try Self.decodeKafka(long) }
    }

    /// 2,000 seeded mutations of valid streams (raw and framed): each either decodes within the limit
    /// or throws a SnappyError; none crashes.
    @Test func randomMutationsNeverCrash() throws {
        var rng = LCG(state: 2024)
        let original = Self.text(40_000, seed: 1) + rng.bytes(2000) + Self.text(20_000, seed: 2)
        let streams = [Self.compress(original), Self.encodeKafka(original)]
        let limit = 70_000
        var rejected = 0
        for i in 0..<2000 {
            var m = streams[i % 2]
            for _ in 0..<rng.below(4) + 1 {
                switch rng.below(4) {
                case 0: m[rng.below(m.count)] = UInt8(truncatingIfNeeded: rng.next())
                case 1: m[rng.below(m.count)] ^= UInt8(1) << rng.below(8)
                case 2: m.removeLast(rng.below(m.count))
                default: m.insert(UInt8(truncatingIfNeeded: rng.next()), at: rng.below(m.count))
                }
                if m.isEmpty { m = [0] }
            }
            for kafka in [false, true] {
                do {
                    let out = kafka ? try Self.decodeKafka(m, limit: limit) : try Self.decompress(m, limit: limit)
                    #expect(out.count <= limit)
                } catch is SnappyError {
                    rejected += 1
                } catch {
                    Issue.record("unexpected error \(error)")
                }
            }
        }
        // Most mutations break the stream; a mutation that only lands in literal bytes still decodes.
        #expect(rejected > 2000)
    }
}
