import NIOCore
import Testing
@testable import KafkaProtocol

/// Golden bytes from Sarama's record_test.go (IBM/sarama), byte for byte.
@Suite struct RecordBatchTests {
    static let header: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0] // first offset
    static let empty: [UInt8] = header + [0, 0, 0, 49, 0, 0, 0, 0, 2, 89, 95, 183, 221, 0, 0, 0, 0, 0, 0]
        + [UInt8](repeating: 0, count: 16) + [UInt8](repeating: 0, count: 8) + [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    static let control: [UInt8] = header + [0, 0, 0, 49, 0, 0, 0, 0, 2, 81, 46, 67, 217, 0, 32, 0, 0, 0, 0]
        + [UInt8](repeating: 0, count: 16) + [UInt8](repeating: 0, count: 8) + [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    static let uncompressed: [UInt8] = header + [0, 0, 0, 70, 0, 0, 0, 0, 2, 84, 121, 97, 253, 0, 0, 0, 0, 0, 0,
        0, 0, 1, 88, 141, 205, 89, 56, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        40, 0, 10, 0, 8, 1, 2, 3, 4, 6, 5, 6, 7, 2, 6, 8, 9, 10, 4, 11, 12]
    static let gzipped: [UInt8] = header + [0, 0, 0, 95, 0, 0, 0, 0, 2, 231, 74, 206, 165, 0, 1, 0, 0, 0, 0,
        0, 0, 1, 88, 141, 205, 89, 56, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        31, 139, 8, 0, 0, 9, 110, 136, 0, 255, 0, 21, 0, 234, 255, 40, 0, 10, 0, 8, 1, 2,
        3, 4, 6, 5, 6, 7, 2, 6, 8, 9, 10, 4, 11, 12, 3, 0, 173, 201, 88, 103, 21, 0, 0, 0]

    func decode(_ bytes: [UInt8]) throws -> RecordBatch {
        var b = ByteBuffer(bytes: bytes)
        return try RecordBatch.decode(&b)
    }

    func encode(_ batch: RecordBatch) -> [UInt8] {
        var b = ByteBuffer()
        batch.encode(into: &b)
        return Array(b.readableBytesView)
    }

    @Test func emptyAndControlBatches() throws {
        let e = try decode(Self.empty)
        #expect(e.records.isEmpty && !e.isControl)
        #expect(encode(e) == Self.empty)
        let c = try decode(Self.control)
        #expect(c.isControl)
        #expect(encode(c) == Self.control)
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
        #expect(encode(batch) == Self.uncompressed)
    }

    @Test func compressedBatchesSayWhichCodec() {
        #expect(throws: RecordBatchError.compressed(.gzip)) { try decode(Self.gzipped) }
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
        func next() -> UInt8 { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return UInt8(truncatingIfNeeded: state >> 33) }
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
