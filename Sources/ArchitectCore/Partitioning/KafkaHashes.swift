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
