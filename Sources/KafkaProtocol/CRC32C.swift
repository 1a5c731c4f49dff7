// CRC-32C (Castagnoli), the checksum of record batches v2: reflected polynomial 0x82F63B78,
// computed with the CPU's CRC-32C instruction when it has one (SSE4.2 on x86-64, the CRC extension
// on ARMv8; a few lines of C in CKafkaCRC32C) and with slicing-by-8 tables otherwise.

import CKafkaCRC32C

public enum CRC32C {
    /// Whether this CPU computes CRC-32C in hardware.
    public static let hardware = ckafka_crc32c_hardware_available() != 0
    static let tables: [[UInt32]] = {
        var t = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 { c = (c & 1) != 0 ? 0x82F6_3B78 ^ (c >> 1) : c >> 1 }
            t[0][n] = c
        }
        for n in 0..<256 {
            for k in 1..<8 { t[k][n] = (t[k - 1][n] >> 8) ^ t[0][Int(t[k - 1][n] & 0xFF)] }
        }
        return t
    }()

    /// The checksum of `bytes`, continuing from `crc` (0 to start).
    @inline(__always)
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        if hardware, let base = bytes.baseAddress { return ~ckafka_crc32c_hardware(~crc, base, bytes.count) }
        return software(bytes, continuing: crc)
    }

    /// Slicing-by-8 in Swift: the fallback, and the reference the hardware path is tested against.
    public static func software(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        var c = ~crc
        var i = 0
        let n = bytes.count
        tables.withUnsafeBufferPointer { t in
            let t0 = t[0]
            let t1 = t[1]
            let t2 = t[2]
            let t3 = t[3]
            let t4 = t[4]
            let t5 = t[5]
            let t6 = t[6]
            let t7 = t[7]
            t0.withUnsafeBufferPointer { t0 in
                t1.withUnsafeBufferPointer { t1 in
                    t2.withUnsafeBufferPointer { t2 in
                        t3.withUnsafeBufferPointer { t3 in
                            t4.withUnsafeBufferPointer { t4 in
                                t5.withUnsafeBufferPointer { t5 in
                                    t6.withUnsafeBufferPointer { t6 in
                                        t7.withUnsafeBufferPointer { t7 in
                                            while i + 8 <= n {
                                                let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                                                    .littleEndian
                                                let lo = UInt32(truncatingIfNeeded: word) ^ c
                                                let hi = UInt32(truncatingIfNeeded: word >> 32)
                                                c =
                                                    t7[Int(lo & 0xFF)] ^ t6[Int((lo >> 8) & 0xFF)]
                                                    ^ t5[Int((lo >> 16) & 0xFF)] ^ t4[Int(lo >> 24)]
                                                    ^ t3[Int(hi & 0xFF)] ^ t2[Int((hi >> 8) & 0xFF)]
                                                    ^ t1[Int((hi >> 16) & 0xFF)] ^ t0[Int(hi >> 24)]
                                                i += 8
                                            }
                                            while i < n {
                                                c = t0[Int((c ^ UInt32(bytes[i])) & 0xFF)] ^ (c >> 8)
                                                i += 1
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return ~c
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 { bytes.withUnsafeBytes { checksum($0) } }
}
