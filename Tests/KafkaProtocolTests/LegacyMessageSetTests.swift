import NIOCore
import Testing

@testable import KafkaProtocol

/// Legacy message sets (magic v0/v1), with Sarama's message_test.go vectors (IBM/sarama) byte for byte.
@Suite struct LegacyMessageSetTests {
    static let emptyV0: [UInt8] = [167, 236, 104, 3, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
    static let emptyV1: [UInt8] = [
        204, 47, 121, 217, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    ]
    static let bulkSnappy: [UInt8] = [
        180, 47, 53, 209, 0x00, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 42,
        130, 83, 78, 65, 80, 80, 89, 0, 0, 0, 0, 1, 0, 0, 0, 1,
        0, 0, 0, 22, 52, 0, 0, 25, 1, 16, 14, 227, 138, 104, 118, 25, 15, 13, 1, 8, 1, 0, 0, 62, 26, 0,
    ]
    static let bulkGzip: [UInt8] = [
        139, 160, 63, 141, 0x00, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x27, 0x1f, 0x8b, 0x08,
        0, 0, 0, 0, 0, 0, 0, 99, 96, 128, 3, 190, 202, 112, 143, 7, 12, 12, 255, 129, 0, 33, 200, 192, 136, 41, 3, 0,
        199, 226, 155, 70, 52, 0, 0, 0,
    ]
    static let bulkLZ4: [UInt8] = [
        246, 12, 188, 129, 0x01, 0x03, 255, 255, 249, 209, 212, 181, 73, 201, 0xFF, 0xFF, 0xFF, 0xFF,
        0x00, 0x00, 0x00, 0x47, 0x04, 0x22, 0x4D, 0x18, 100,
        112, 185, 52, 0, 0, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 121, 87, 72, 224, 0, 0, 255, 255, 255, 255, 0, 0,
        0, 0, 0, 0, 0, 0,
        0, 0, 0, 1, 0, 0, 0, 14, 121, 87, 72, 224, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 71, 129, 23, 111,
    ]
    static let bulkZstd: [UInt8] = [
        203, 151, 133, 28, 0x01, 0x04, 255, 255, 249, 209, 212, 181, 73, 201, 0xFF, 0xFF, 0xFF, 0xFF,
        0x00, 0x00, 0x00, 0x26, 0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x34, 0xcd, 0x0, 0x0, 0x78, 0x0, 0x0, 0xe, 0x79, 0x57,
        0x48, 0xe0,
        0x0, 0x0, 0xff, 0xff, 0xff, 0xff, 0x0, 0x1, 0x3, 0x0, 0x3d, 0xbd, 0x0, 0x3b, 0x15, 0x0, 0xb, 0xd2, 0x34, 0xc1,
        0x78,
    ]

    /// Sarama's vectors are message bodies (CRC onwards); a message set entry adds offset and size.
    static func entry(offset: Int64, _ body: [UInt8]) -> [UInt8] {
        var b = ByteBuffer()
        b.writeInteger(offset)
        b.writeInteger(Int32(body.count))
        b.writeBytes(body)
        return Array(b.readableBytesView)
    }

    static func decodeAll(_ bytes: [UInt8]) throws -> [RecordBatch] {
        var b = ByteBuffer(bytes: bytes)
        return try RecordBatch.decodeAll(&b)
    }

    @Test func emptyMessagesOfBothVersions() throws {
        let batches = try Self.decodeAll(Self.entry(offset: 7, Self.emptyV0) + Self.entry(offset: 8, Self.emptyV1))
        #expect(batches.map(\.magic) == [0, 1])
        #expect(batches.map(\.baseOffset) == [7, 8])
        #expect(batches.allSatisfy { $0.records.count == 1 && $0.records[0].key == nil && $0.records[0].value == nil })
        #expect(batches[0].baseTimestamp == -1 && batches[1].baseTimestamp == 0)
    }

    /// Each compressed wrapper in Sarama's tests holds two inner messages.
    @Test(arguments: [(RecordBatchCodec.snappy, bulkSnappy), (.gzip, bulkGzip), (.lz4, bulkLZ4), (.zstd, bulkZstd)])
    func compressedWrappersUnpack(codec: RecordBatchCodec, body: [UInt8]) throws {
        let batches = try Self.decodeAll(Self.entry(offset: 41, body))
        let batch = try #require(batches.first)
        #expect(batch.compression == codec)
        #expect(batch.records.count == 2)
        #expect(batch.baseOffset + Int64(batch.lastOffsetDelta) == 41 || batch.magic == 0)
    }

    @Test func ourEncoderMatchesSaramasBytes() {
        var b = ByteBuffer()
        LegacyMessageSet.encode(offset: 0, magic: 0, key: nil, value: nil, into: &b)
        #expect(Array(b.readableBytesView.dropFirst(12)) == Self.emptyV0)
        b.clear()
        LegacyMessageSet.encode(offset: 0, magic: 1, timestamp: 0, key: nil, value: nil, into: &b)
        #expect(Array(b.readableBytesView.dropFirst(12)) == Self.emptyV1)
    }

    /// v1 wrappers carry the absolute offset of the last inner message; inner offsets are relative.
    @Test func v1InnerOffsetsAreRelativeToTheWrapper() throws {
        var inner = ByteBuffer()
        for i in 0..<3 {
            LegacyMessageSet.encode(
                offset: Int64(i), magic: 1, timestamp: 1_000 + Int64(i), key: Array("k\(i)".utf8),
                value: Array("v\(i)".utf8), into: &inner)
        }
        let packed = try inner.withUnsafeReadableBytes { try Compression.compress(.gzip, $0) }
        var set = ByteBuffer()
        LegacyMessageSet.encode(
            offset: 102, magic: 1, attributes: 1, timestamp: 1_002, key: nil, value: packed, into: &set)
        let batch = try #require(try RecordBatch.decodeAll(&set).first)
        #expect(batch.baseOffset == 100)
        #expect(batch.records.map { batch.baseOffset + Int64($0.offsetDelta) } == [100, 101, 102])
        #expect(batch.records.map { batch.baseTimestamp + $0.timestampDelta } == [1_000, 1_001, 1_002])
        #expect(batch.records.map { String(buffer: $0.key!) } == ["k0", "k1", "k2"])
    }

    /// A fetch response may hold old messages followed by v2 batches.
    @Test func mixedSetsDecodeInOrder() throws {
        var set = ByteBuffer()
        LegacyMessageSet.encode(offset: 0, magic: 0, key: Array("a".utf8), value: Array("1".utf8), into: &set)
        var batch = RecordBatch(records: [
            Record(offsetDelta: 0, key: ByteBuffer(string: "b"), value: ByteBuffer(string: "2"))
        ])
        batch.baseOffset = 1
        try batch.encode(into: &set)
        let batches = try RecordBatch.decodeAll(&set)
        #expect(batches.map(\.magic) == [0, 2])
        #expect(batches.map { String(buffer: $0.records[0].key!) } == ["a", "b"])
    }

    @Test func badCRCAndTruncationThrow() throws {
        var corrupt = Self.entry(offset: 0, Self.emptyV1)
        corrupt[20] ^= 1
        #expect { try Self.decodeAll(corrupt) } throws: { error in
            if case RecordBatchError.crcMismatch = error { return true }
            return false
        }
        // A wrapper whose compressed value ends early.
        var cut = Self.bulkGzip
        cut.removeLast(10)
        cut.replaceSubrange(10..<14, with: [0, 0, 0, 0x27 - 10])
        let crc = cut[4...].withUnsafeBytes { CRC32.checksum($0) }
        cut.replaceSubrange(0..<4, with: withUnsafeBytes(of: crc.bigEndian) { Array($0) })
        #expect(throws: RecordBatchError.self) { try Self.decodeAll(Self.entry(offset: 0, cut)) }
    }
}

/// Offsets from a hostile broker: arithmetic that would overflow is an error, not a trap.
@Suite struct HostileOffsetTests {
    @Test func overflowingLegacyOffsetsThrow() throws {
        var inner = ByteBuffer()
        LegacyMessageSet.encode(offset: 0, magic: 1, timestamp: 0, key: nil, value: [1], into: &inner)
        LegacyMessageSet.encode(offset: 1, magic: 1, timestamp: 0, key: nil, value: [2], into: &inner)
        let packed = try inner.withUnsafeReadableBytes { try Compression.compress(.gzip, $0) }
        var set = ByteBuffer()
        LegacyMessageSet.encode(
            offset: Int64.min, magic: 1, attributes: 1, timestamp: 0, key: nil, value: packed, into: &set)
        #expect(throws: RecordBatchError.self) { try RecordBatch.decodeAll(&set) }
    }

    @Test func aRecordCountBeyondTheBytesIsRefused() throws {
        var batch = RecordBatch(records: [Record(offsetDelta: 0, key: nil, value: ByteBuffer(string: "x"))])
        batch.attributes = 0
        var b = ByteBuffer()
        try batch.encode(into: &b)
        var bytes = Array(b.readableBytesView)
        bytes.replaceSubrange(57..<61, with: [0x00, 0x10, 0x00, 0x00])  // recordCount 1,048,576 in a 9-byte record area
        let crc = bytes[21...].withUnsafeBytes { CRC32C.checksum($0) }
        bytes.replaceSubrange(17..<21, with: withUnsafeBytes(of: crc.bigEndian) { Array($0) })
        var set = ByteBuffer(bytes: bytes)
        #expect(throws: RecordBatchError.self) { try RecordBatch.decodeAll(&set) }
    }

    /// decode(&b) consumes exactly one batch, so the next one can follow.
    @Test func decodeAdvancesPastItsBatch() throws {
        var b = ByteBuffer()
        for codec in [RecordBatchCodec.gzip, .none] {
            var batch = RecordBatch(records: [Record(offsetDelta: 0, key: nil, value: ByteBuffer(string: "\(codec)"))])
            batch.attributes = codec.rawValue
            try batch.encode(into: &b)
        }
        let first = try RecordBatch.decode(&b)
        let second = try RecordBatch.decode(&b)
        #expect(first.records.first?.value.map { String(buffer: $0) } == "gzip")
        #expect(second.records.first?.value.map { String(buffer: $0) } == "none")
        #expect(b.readableBytes == 0)
    }
}
