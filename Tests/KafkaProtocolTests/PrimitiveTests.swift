import Foundation
import NIOCore
import Testing

@testable import KafkaProtocol

/// Vectors from Apache Kafka's ByteUtilsTest (testVarintSerde, testVarlongSerde) and the protobuf encoding guide.
@Suite struct PrimitiveTests {
    static let varints: [(Int32, [UInt8])] = [
        (0, [0x00]), (-1, [0x01]), (1, [0x02]), (63, [0x7E]), (-64, [0x7F]), (64, [0x80, 0x01]), (-65, [0x81, 0x01]),
        (8191, [0xFE, 0x7F]), (-8192, [0xFF, 0x7F]), (8192, [0x80, 0x80, 0x01]), (-8193, [0x81, 0x80, 0x01]),
        (1_048_575, [0xFE, 0xFF, 0x7F]), (-1_048_576, [0xFF, 0xFF, 0x7F]), (1_048_576, [0x80, 0x80, 0x80, 0x01]),
        (134_217_727, [0xFE, 0xFF, 0xFF, 0x7F]), (-134_217_728, [0xFF, 0xFF, 0xFF, 0x7F]),
        (Int32.max, [0xFE, 0xFF, 0xFF, 0xFF, 0x0F]), (Int32.min, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
    ]

    @Test(arguments: Self.varints)
    func varintMatchesKafka(value: Int32, bytes: [UInt8]) throws {
        var buffer = ByteBuffer()
        buffer.writeVarint(value)
        #expect(Array(buffer.readableBytesView) == bytes)
        #expect(try buffer.readVarint("v") == value)
        #expect(buffer.readableBytes == 0)
    }

    @Test func varlongExtremes() throws {
        var b = ByteBuffer()
        b.writeVarlong(Int64.max)
        #expect(Array(b.readableBytesView) == [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        #expect(try b.readVarlong("v") == Int64.max)
        var m = ByteBuffer()
        m.writeVarlong(Int64.min)
        #expect(Array(m.readableBytesView) == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        #expect(try m.readVarlong("v") == Int64.min)
    }

    @Test func unsignedVarintProtobufExample() throws {
        var b = ByteBuffer()
        b.writeUnsignedVarint(300)
        #expect(Array(b.readableBytesView) == [0xAC, 0x02])
        #expect(try b.readUnsignedVarint("u") == 300)
    }

    @Test func stringsRoundTripInBothForms() throws {
        var b = ByteBuffer()
        b.writeKafkaString("kafka")
        b.writeKafkaString(nil)
        b.writeCompactString("ünï")
        b.writeCompactString(nil)
        #expect(try b.readKafkaString("s") == "kafka")
        #expect(try b.readKafkaString("s") == nil)
        #expect(try b.readCompactString("c") == "ünï")
        #expect(try b.readCompactString("c") == nil)
        var classic = ByteBuffer()
        classic.writeKafkaString("ab")
        #expect(Array(classic.readableBytesView) == [0x00, 0x02, 0x61, 0x62])
        var compact = ByteBuffer()
        compact.writeCompactString("ab")
        #expect(Array(compact.readableBytesView) == [0x03, 0x61, 0x62])
    }

    @Test func taggedFieldsRoundTrip() throws {
        var b = ByteBuffer()
        var value = ByteBuffer()
        value.writeInteger(Int32(7))
        b.writeTaggedFields([3: value])
        let fields = try b.readTaggedFields("t")
        #expect(fields[3]?.getInteger(at: fields[3]!.readerIndex, as: Int32.self) == 7)
    }

    // Decoding never trusts the wire.

    @Test func truncatedAndNegativeLengthsThrow() {
        var short = ByteBuffer(bytes: [0x00, 0x05, 0x61])
        #expect(throws: WireError.self) { try short.readKafkaString("s") }
        var negative = ByteBuffer(bytes: [0xFF, 0xFE])
        #expect(throws: WireError.self) { try negative.readKafkaString("s") }
        var bytes = ByteBuffer(bytes: [0x7F, 0xFF, 0xFF, 0xFF])
        #expect(throws: WireError.self) { try bytes.readKafkaBytes("b") }
        var empty = ByteBuffer()
        #expect(throws: WireError.self) { try empty.readKafkaInteger("i", as: Int32.self) }
    }

    @Test func hugeArrayCountsAreRefusedBeforeAllocating() {
        var b = ByteBuffer(bytes: [0x7F, 0xFF, 0xFF, 0xFF, 0x00])
        #expect(throws: WireError.self) { try b.readArrayCount("a") }
        var c = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        #expect(throws: WireError.self) { try c.readCompactArrayCount("a") }
    }

    @Test func overlongVarintsThrow() {
        var b = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        #expect(throws: WireError.self) { try b.readUnsignedVarint("v") }
        var l = ByteBuffer(bytes: [UInt8](repeating: 0xFF, count: 11))
        #expect(throws: WireError.self) { try l.readUnsignedVarlong("v") }
    }

    @Test func invalidUTF8Throws() {
        var b = ByteBuffer(bytes: [0x00, 0x02, 0xC3, 0x28])
        #expect(throws: WireError.self) { try b.readKafkaString("s") }
    }

    /// Random bytes through every reader: errors, never a crash.
    @Test func randomInputNeverCrashes() {
        var state: UInt64 = 0x5EED
        func next() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        for _ in 0..<5000 {
            var b = ByteBuffer(bytes: (0..<Int(next() % 24)).map { _ in next() })
            _ = try? b.readCompactString("s")
            _ = try? b.readKafkaBytes("b")
            _ = try? b.readTaggedFields("t")
            _ = try? b.readCompactArrayCount("a")
            _ = try? b.readVarlong("v")
        }
    }
}

@Suite struct CRC32CTests {
    @Test func checkValues() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x2262_0404)
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    /// This machine kind (x86-64 with SSE4.2) must take the hardware path; the benchmark depends on it.
    @Test func hardwarePathIsUsedWhereTheCPUHasIt() throws {
        #if arch(x86_64)
            let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
            #expect(CRC32C.hardware == flags.contains(" sse4_2"))
        #endif
    }

    /// Slicing-by-8 and the CPU instruction both equal the bytewise definition at every length and alignment.
    @Test func slicingAndHardwareEqualBytewise() {
        func reference(_ bytes: ArraySlice<UInt8>) -> UInt32 {
            var c: UInt32 = 0xFFFF_FFFF
            for b in bytes {
                c ^= UInt32(b)
                for _ in 0..<8 { c = (c & 1) != 0 ? 0x82F6_3B78 ^ (c >> 1) : c >> 1 }
            }
            return ~c
        }
        var state: UInt64 = 42
        let data: [UInt8] = (0..<300).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1
            return UInt8(truncatingIfNeeded: state >> 40)
        }
        for start in 0..<9 {
            for length in [0, 1, 7, 8, 9, 63, 64, 65, 250] where start + length <= data.count {
                let slice = data[start..<(start + length)]
                let expected = reference(slice)
                #expect(CRC32C.checksum(Array(slice)) == expected, "start \(start) length \(length)")
                #expect(
                    Array(slice).withUnsafeBytes { CRC32C.software($0) } == expected,
                    "software, start \(start) length \(length)")
                // Continuing from a partial checksum gives the same answer as one pass.
                let half = slice.count / 2
                let first = Array(slice.prefix(half)).withUnsafeBytes { CRC32C.checksum($0) }
                #expect(
                    Array(slice.dropFirst(half)).withUnsafeBytes { CRC32C.checksum($0, continuing: first) } == expected)
            }
        }
    }
}
