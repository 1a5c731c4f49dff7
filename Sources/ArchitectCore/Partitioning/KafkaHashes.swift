// The hash functions Kafka clients partition keys with, bit for bit.
//
// - murmur2: Apache Kafka's `Utils.murmur2` (seed 0x9747b28c), used by the Java client's
//   default partitioner and by librdkafka's `murmur2` partitioners.
// - CRC-32 (IEEE 802.3, zlib's): librdkafka's `consistent` partitioners.
// - FNV-1a 32-bit with librdkafka's absolute-value twist (Sarama compatibility): `fnv1a`.

public enum KafkaHash {
    /// Kafka's murmur2 of `key`, as the unsigned bit pattern of Java's `int` result.
    @inlinable
    public static func murmur2(_ key: UnsafeRawBufferPointer) -> UInt32 {
        let m: UInt32 = 0x5bd1_e995
        let length = key.count
        var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: length)
        guard let base = key.baseAddress else {
            h ^= h >> 13
            h &*= m
            h ^= h >> 15
            return h
        }
        // Whole 4-byte words, little-endian, walked by pointer to keep the loop free of checks.
        var p = base
        let wordsEnd = base + (length & ~3)
        while p < wordsEnd {
            var k = p.loadUnaligned(as: UInt32.self).littleEndian
            k &*= m
            k ^= k >> 24
            k &*= m
            h &*= m
            h ^= k
            p += 4
        }
        let tail = length & 3
        if tail == 3 { h ^= UInt32(p.load(fromByteOffset: 2, as: UInt8.self)) << 16 }
        if tail >= 2 { h ^= UInt32(p.load(fromByteOffset: 1, as: UInt8.self)) << 8 }
        if tail >= 1 {
            h ^= UInt32(p.load(as: UInt8.self))
            h &*= m
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return h
    }

    /// `murmur2(keys[i])` into `hashes[i]` for every key: the same values, four keys at a time in
    /// lockstep. Keys of varying length make the one-key loop's exit unpredictable (a missed branch per
    /// key, longer than the hash itself); here a lane whose words are done keeps its value by a select,
    /// the last one to three bytes come from one load of the key's last word, and the four lanes'
    /// multiplications overlap. A group with a key under four bytes is hashed one key at a time.
    public static func murmur2(
        _ keys: UnsafeBufferPointer<UnsafeRawBufferPointer>, into hashes: UnsafeMutablePointer<UInt32>
    ) {
        var i = 0
        while i &+ 4 <= keys.count {
            let a = keys[i]
            let b = keys[i &+ 1]
            let c = keys[i &+ 2]
            let d = keys[i &+ 3]
            if min(min(a.count, b.count), min(c.count, d.count)) < 4 {
                for j in i..<i &+ 4 { hashes[j] = murmur2(keys[j]) }
            } else {
                let h = murmur2x4(a, b, c, d)
                hashes[i] = h[0]
                hashes[i &+ 1] = h[1]
                hashes[i &+ 2] = h[2]
                hashes[i &+ 3] = h[3]
            }
            i &+= 4
        }
        while i < keys.count {
            hashes[i] = murmur2(keys[i])
            i &+= 1
        }
    }

    /// Four keys of at least four bytes each, hashed in lockstep (see `murmur2(_:into:)`).
    @inline(__always)
    static func murmur2x4(
        _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, _ c: UnsafeRawBufferPointer,
        _ d: UnsafeRawBufferPointer
    ) -> SIMD4<UInt32> {
        let m = SIMD4<UInt32>(repeating: 0x5bd1_e995)
        let pa = a.baseAddress.unsafelyUnwrapped
        let pb = b.baseAddress.unsafelyUnwrapped
        let pc = c.baseAddress.unsafelyUnwrapped
        let pd = d.baseAddress.unsafelyUnwrapped
        let length = SIMD4<UInt32>(
            UInt32(truncatingIfNeeded: a.count), UInt32(truncatingIfNeeded: b.count),
            UInt32(truncatingIfNeeded: c.count), UInt32(truncatingIfNeeded: d.count))
        let words = length &>> 2
        var h = SIMD4<UInt32>(repeating: 0x9747_b28c) ^ length
        let rounds = Int(words.max())
        for w in 0..<rounds {
            // A lane past its last word reads its own last word again (always in bounds) and drops it.
            let o = w &* 4
            var k = SIMD4<UInt32>(
                pa.loadUnaligned(fromByteOffset: Swift.min(o, a.count &- 4), as: UInt32.self),
                pb.loadUnaligned(fromByteOffset: Swift.min(o, b.count &- 4), as: UInt32.self),
                pc.loadUnaligned(fromByteOffset: Swift.min(o, c.count &- 4), as: UInt32.self),
                pd.loadUnaligned(fromByteOffset: Swift.min(o, d.count &- 4), as: UInt32.self)
            ).littleEndianLanes
            k &*= m
            k ^= k &>> 24
            k &*= m
            h.replace(with: (h &* m) ^ k, where: SIMD4(repeating: UInt32(truncatingIfNeeded: w)) .< words)
        }
        // The one to three bytes after the last word are the top bytes of the key's last four.
        let last = SIMD4<UInt32>(
            pa.loadUnaligned(fromByteOffset: a.count &- 4, as: UInt32.self),
            pb.loadUnaligned(fromByteOffset: b.count &- 4, as: UInt32.self),
            pc.loadUnaligned(fromByteOffset: c.count &- 4, as: UInt32.self),
            pd.loadUnaligned(fromByteOffset: d.count &- 4, as: UInt32.self)
        ).littleEndianLanes
        let tail = length & 3
        let bytes = last &>> ((4 &- tail) &* 8)  // shift counts are taken mod 32: lanes without a tail drop it
        h.replace(with: (h ^ bytes) &* m, where: tail .!= 0)
        h ^= h &>> 13
        h &*= m
        h ^= h &>> 15
        return h
    }

    /// CRC-32 (reflected polynomial 0xEDB88320, as zlib and librdkafka's `rd_crc32`).
    @inlinable
    public static func crc32(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in key {
            crc = crc32Table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    public static let crc32Table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// librdkafka's FNV-1a: 32-bit FNV-1a on a signed accumulator, then its absolute value
    /// (so `Int32.min` stays as is), matching Sarama's `NewHashPartitioner`.
    @inlinable
    public static func fnv1a(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var h: UInt32 = 0x811C_9DC5
        for byte in key {
            h ^= UInt32(byte)
            h &*= 0x0100_0193
        }
        let signed = Int32(bitPattern: h)
        return signed < 0 ? UInt32(bitPattern: 0 &- signed) : h
    }

    /// Convenience for byte arrays.
    public static func murmur2(_ bytes: [UInt8]) -> UInt32 { bytes.withUnsafeBytes { murmur2($0) } }
    public static func crc32(_ bytes: [UInt8]) -> UInt32 { bytes.withUnsafeBytes { crc32($0) } }
    public static func fnv1a(_ bytes: [UInt8]) -> UInt32 { bytes.withUnsafeBytes { fnv1a($0) } }
}

extension SIMD4 where Scalar == UInt32 {
    /// Each lane read as little-endian (a no-op on little-endian machines).
    @inline(__always)
    var littleEndianLanes: SIMD4<UInt32> {
        SIMD4(self[0].littleEndian, self[1].littleEndian, self[2].littleEndian, self[3].littleEndian)
    }
}
