import NIOCore
import Testing

@testable import KafkaProtocol

/// Golden bytes from Sarama's record_test.go (IBM/sarama), byte for byte.
@Suite struct RecordBatchTests {
    static let header: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0]  // first offset
    static let empty: [UInt8] =
        header + [0, 0, 0, 49, 0, 0, 0, 0, 2, 89, 95, 183, 221, 0, 0, 0, 0, 0, 0]
        + [UInt8](repeating: 0, count: 16) + [UInt8](repeating: 0, count: 8) + [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    static let control: [UInt8] =
        header + [0, 0, 0, 49, 0, 0, 0, 0, 2, 81, 46, 67, 217, 0, 32, 0, 0, 0, 0]
        + [UInt8](repeating: 0, count: 16) + [UInt8](repeating: 0, count: 8) + [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    static let uncompressed: [UInt8] =
        header + [
            0, 0, 0, 70, 0, 0, 0, 0, 2, 84, 121, 97, 253, 0, 0, 0, 0, 0, 0,
            0, 0, 1, 88, 141, 205, 89, 56, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
            40, 0, 10, 0, 8, 1, 2, 3, 4, 6, 5, 6, 7, 2, 6, 8, 9, 10, 4, 11, 12,
        ]
    static let gzipped: [UInt8] =
        header + [
            0, 0, 0, 95, 0, 0, 0, 0, 2, 231, 74, 206, 165, 0, 1, 0, 0, 0, 0,
            0, 0, 1, 88, 141, 205, 89, 56, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
            31, 139, 8, 0, 0, 9, 110, 136, 0, 255, 0, 21, 0, 234, 255, 40, 0, 10, 0, 8, 1, 2,
            3, 4, 6, 5, 6, 7, 2, 6, 8, 9, 10, 4, 11, 12, 3, 0, 173, 201, 88, 103, 21, 0, 0, 0,
        ]

    static let snappy: [UInt8] =
        header
        + [UInt8]([
            0, 0, 0, 72, 0, 0, 0, 0, 2, 21, 0, 159, 97, 0, 2, 0, 0, 0, 0,
            0, 0, 1, 88, 141, 205, 89, 56, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
            21, 80, 40, 0, 10, 0, 8, 1, 2, 3, 4, 6, 5, 6, 7, 2, 6, 8, 9, 10, 4, 11, 12,
        ])
    static let lz4: [UInt8] =
        header
        + [UInt8]([
            0, 0, 0, 89, 0, 0, 0, 0, 2, 169, 74, 119, 197, 0, 3, 0, 0, 0, 0,
            0, 0, 1, 88, 141, 205, 89, 56, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
            4, 34, 77, 24, 100, 112, 185, 21, 0, 0, 128, 40, 0, 10, 0, 8, 1, 2, 3, 4, 6, 5, 6, 7, 2,
            6, 8, 9, 10, 4, 11, 12, 0, 0, 0, 0, 12, 59, 239, 146,
        ])

    func decode(_ bytes: [UInt8]) throws -> RecordBatch {
        var b = ByteBuffer(bytes: bytes)
        return try RecordBatch.decode(&b)
    }

    func encode(_ batch: RecordBatch) throws -> [UInt8] {
        var b = ByteBuffer()
        try batch.encode(into: &b)
        return Array(b.readableBytesView)
    }

    @Test func emptyAndControlBatches() throws {
        let e = try decode(Self.empty)
        #expect(e.records.isEmpty && !e.isControl)
        #expect(try encode(e) == Self.empty)
        let c = try decode(Self.control)
        #expect(c.isControl)
        #expect(try encode(c) == Self.control)
    }

    @Test func uncompressedRecordWithHeaders() throws {
        let batch = try decode(Self.uncompressed)
        #expect(batch.baseTimestamp == 1_479_847_795_000)
        let r = try #require(batch.records.first)
        #expect(r.timestampDelta == 5)
        #expect(r.key.map { Array($0.readableBytesView) } == [1, 2, 3, 4])
        #expect(r.value.map { Array($0.readableBytesView) } == [5, 6, 7])
        #expect(r.headers.first?.key.utf8.map { $0 } == [8, 9, 10])
        #expect(r.headers.first?.value.map { Array($0.readableBytesView) } == [11, 12])
        #expect(try encode(batch) == Self.uncompressed)
    }

    /// Sarama's gzip, snappy (raw block) and lz4 (frame) vectors hold the same record as the uncompressed one.
    @Test(arguments: [(RecordBatchCodec.gzip, gzipped), (.snappy, snappy), (.lz4, lz4)])
    func saramasCompressedVectorsDecode(codec: RecordBatchCodec, bytes: [UInt8]) throws {
        let batch = try decode(bytes)
        let plain = try decode(Self.uncompressed)
        #expect(batch.compression == codec)
        #expect(batch.records == plain.records)
        #expect(batch.baseTimestamp == plain.baseTimestamp)
    }

    static func sampleBatch(records: Int) -> RecordBatch {
        var batch = RecordBatch(
            records: (0..<records).map { (i: Int) -> Record in
                let key: ByteBuffer? = i % 7 == 0 ? nil : ByteBuffer(string: "customer-\(i % 50)")
                let value = ByteBuffer(string: "{\"order\": \(i), \"amount\": \(i * 13 % 997), \"currency\": \"EUR\"}")
                let headers: [RecordHeader] =
                    i % 3 == 0 ? [RecordHeader(key: "trace", value: ByteBuffer(string: "t-\(i)"))] : []
                return Record(timestampDelta: Int64(i), offsetDelta: Int32(i), key: key, value: value, headers: headers)
            })
        batch.baseOffset = 1000
        batch.lastOffsetDelta = Int32(records - 1)
        batch.baseTimestamp = 1_700_000_000_000
        batch.maxTimestamp = 1_700_000_000_000 + Int64(records - 1)
        return batch
    }

    /// Every codec: what we compress, we decompress to the same records; and it is smaller.
    @Test(arguments: RecordBatchCodec.allCases)
    func everyCodecRoundTrips(codec: RecordBatchCodec) throws {
        var batch = Self.sampleBatch(records: 2_000)
        batch.attributes = codec.rawValue
        let bytes = try encode(batch)
        let back = try decode(bytes)
        #expect(back == batch)
        if codec != .none {
            var plain = batch
            plain.attributes = 0
            #expect(bytes.count * 2 < (try encode(plain)).count, "\(codec) should shrink repetitive JSON at least 2×")
        }
    }

    /// A small batch that decompresses to far more than allowed is refused, not inflated.
    @Test(arguments: [RecordBatchCodec.gzip, .snappy, .lz4, .zstd])
    func decompressionIsBounded(codec: RecordBatchCodec) throws {
        var batch = RecordBatch(records: [
            Record(offsetDelta: 0, key: nil, value: ByteBuffer(repeating: 0, count: 4 * 1024 * 1024))
        ])
        batch.attributes = codec.rawValue
        let bytes = try encode(batch)
        #expect(bytes.count < 300 * 1024)
        var b = ByteBuffer(bytes: bytes)
        #expect(throws: RecordBatchError.compression(.tooLarge(codec, limit: 1024 * 1024))) {
            try RecordBatch.decode(&b, decompressionLimit: 1024 * 1024)
        }
    }

    /// Garbage where compressed records should be is a compression error (with a valid CRC, so it gets that far).
    @Test(arguments: [RecordBatchCodec.gzip, .snappy, .lz4, .zstd])
    func corruptCompressedRecordsThrow(codec: RecordBatchCodec) throws {
        var batch = Self.sampleBatch(records: 100)
        batch.attributes = codec.rawValue
        var bytes = try encode(batch)
        // Flip bytes in the middle of the compressed payload, then fix the CRC so only the codec can object.
        for i in stride(from: 70, to: min(bytes.count, 130), by: 3) { bytes[i] ^= 0x5A }
        let crc = bytes[21...].withUnsafeBytes { CRC32C.checksum($0) }
        bytes.replaceSubrange(17..<21, with: withUnsafeBytes(of: crc.bigEndian) { Array($0) })
        #expect {
            try decode(bytes)
        } throws: { error in
            guard case RecordBatchError.compression = error else { return error is RecordBatchError }
            return true
        }
    }

    @Test func unknownCodecIsNamed() throws {
        var bytes = Self.uncompressed
        bytes[22] = 6
        let crc = bytes[21...].withUnsafeBytes { CRC32C.checksum($0) }
        bytes.replaceSubrange(17..<21, with: withUnsafeBytes(of: crc.bigEndian) { Array($0) })
        #expect(throws: RecordBatchError.unknownCodec(6)) { try decode(bytes) }
    }

    @Test func corruptionIsCaughtByTheCRC() {
        var bytes = Self.uncompressed
        bytes[bytes.count - 3] ^= 0xFF
        #expect {
            try decode(bytes)
        } throws: { error in
            if case RecordBatchError.crcMismatch = error { return true }
            return false
        }
    }

    @Test func partialTrailingBatchIsLeftForTheNextFetch() throws {
        var set = ByteBuffer(bytes: Self.uncompressed + Self.empty + Self.uncompressed.prefix(30))
        let batches = try RecordBatch.decodeAll(&set)
        #expect(batches.count == 2)
        #expect(set.readableBytes == 30)
    }

    @Test func randomBytesNeverCrash() {
        var state: UInt64 = 77
        func next() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        for _ in 0..<3000 {
            var bytes = Self.uncompressed
            for _ in 0..<3 { bytes[Int(next()) % bytes.count] = next() }
            var b = ByteBuffer(bytes: bytes)
            _ = try? RecordBatch.decodeAll(&b)
            var noise = ByteBuffer(bytes: (0..<Int(next())).map { _ in next() })
            _ = try? RecordBatch.decodeAll(&noise)
        }
    }
}

/// The streamed decoder (the fetch path) sees exactly what decodeAll builds, and fails the same way.
@Suite struct StreamedDecodeTests {
    static func recordSet() throws -> ByteBuffer {
        var set = ByteBuffer()
        LegacyMessageSet.encode(
            offset: 0, magic: 1, timestamp: 5, key: Array("legacy".utf8), value: Array("v0".utf8), into: &set)
        for (i, codec) in RecordBatchCodec.allCases.enumerated() {
            var batch = RecordBatchTests.sampleBatch(records: 50)
            batch.baseOffset = 1 + Int64(i) * 50
            batch.attributes = codec.rawValue
            try batch.encode(into: &set)
        }
        return set
    }

    @Test func streamedEqualsMaterialized() throws {
        var a = try Self.recordSet()
        var b = a
        let batches = try RecordBatch.decodeAll(&a)
        let expected = batches.flatMap { batch in
            batch.records.map {
                "\(batch.baseOffset + Int64($0.offsetDelta)) \($0.key.map { String(buffer: $0) } ?? "-") \($0.value.map { String(buffer: $0) } ?? "-") \($0.headers.count)"
            }
        }
        var seen: [String] = []
        var batchCount = 0
        try RecordBatch.forEachRecord(
            in: &b, onBatch: { _ in batchCount += 1 },
            { batch, r in
                let key = r.key.map { String(decoding: $0, as: UTF8.self) } ?? "-"
                let value = r.value.map { String(decoding: $0, as: UTF8.self) } ?? "-"
                seen.append("\(batch.baseOffset + Int64(r.offsetDelta)) \(key) \(value) \(r.headerCount)")
            })
        #expect(expected.count == 251)
        #expect(seen == expected)
        #expect(batchCount == 6)
    }

    @Test func mutationsNeverCrashTheStreamedDecoder() throws {
        let original = Array(try Self.recordSet().readableBytesView)
        var state: UInt64 = 2024
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var failures = 0
        for _ in 0..<2_000 {
            var bytes = original
            for _ in 0..<(1 + next() % 4) { bytes[next() % bytes.count] = UInt8(truncatingIfNeeded: next()) }
            var b = ByteBuffer(bytes: bytes)
            do { try RecordBatch.forEachRecord(in: &b) { _, _ in } } catch { failures += 1 }
        }
        #expect(failures > 1_000, "most mutations must be caught (CRC, lengths)")
    }
}

@Suite struct CompressionAvailabilityTests {
    /// A codec whose system library is absent says which library and how to install it.
    @Test(arguments: [
        (
            CompressionError.libraryMissing(.zstd, library: "libzstd.so.1", install: "apt-get install libzstd1"),
            "libzstd.so.1"
        ),
        (.libraryMissing(.lz4, library: "liblz4.so.1", install: "apt-get install liblz4-1"), "liblz4-1"),
    ])
    func missingLibraryErrorsSayWhatToInstall(error: CompressionError, mentions: String) {
        #expect(error.description.contains(mentions))
        #expect(error.description.contains("install"))
    }

    /// This machine kind has all three libraries (Debian: zlib1g, liblz4-1, libzstd1 come with the base system).
    @Test func theSystemCodecsLoadHere() {
        for codec in RecordBatchCodec.allCases { #expect(Compression.isAvailable(codec), "\(codec)") }
    }
}
