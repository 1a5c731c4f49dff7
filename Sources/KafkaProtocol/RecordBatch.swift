// Record batches (magic v2): the on-disk and on-the-wire format of records since Kafka 0.11.
// https://kafka.apache.org/documentation/#recordbatch
//
// baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 (2) | crc uint32
// (CRC-32C of everything after it) | attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 |
// maxTimestamp int64 | producerId int64 | producerEpoch int16 | baseSequence int32 | records [Record]

import NIOCore

public struct Record: Sendable, Equatable {
    public var attributes: Int8 = 0
    public var timestampDelta: Int64
    public var offsetDelta: Int32
    public var key: ByteBuffer?
    public var value: ByteBuffer?
    public var headers: [RecordHeader]

    public init(timestampDelta: Int64 = 0, offsetDelta: Int32, key: ByteBuffer?, value: ByteBuffer?, headers: [RecordHeader] = []) {
        self.timestampDelta = timestampDelta
        self.offsetDelta = offsetDelta
        self.key = key
        self.value = value
        self.headers = headers
    }
}

public struct RecordHeader: Sendable, Equatable {
    public var key: String
    public var value: ByteBuffer?

    public init(key: String, value: ByteBuffer?) {
        self.key = key
        self.value = value
    }
}

public enum CompressionCodec: Int16, Sendable, Equatable {
    case none = 0, gzip = 1, snappy = 2, lz4 = 3, zstd = 4
}

public enum RecordBatchError: Error, Equatable, Sendable {
    case wire(WireError)
    case unsupportedMagic(Int8)
    case crcMismatch(expected: UInt32, computed: UInt32)
    /// The batch is compressed with a codec this build cannot decompress yet.
    case compressed(CompressionCodec)
}

public struct RecordBatch: Sendable, Equatable {
    public var baseOffset: Int64 = 0
    public var partitionLeaderEpoch: Int32 = 0
    public var attributes: Int16 = 0
    public var lastOffsetDelta: Int32 = 0
    public var baseTimestamp: Int64 = 0
    public var maxTimestamp: Int64 = 0
    public var producerId: Int64 = 0
    public var producerEpoch: Int16 = 0
    public var baseSequence: Int32 = 0
    public var records: [Record] = []

    public init(records: [Record] = []) { self.records = records }

    public var compression: CompressionCodec? { CompressionCodec(rawValue: attributes & 0x07) }
    public var isTransactional: Bool { attributes & 0x10 != 0 }
    public var isControl: Bool { attributes & 0x20 != 0 }

    /// Writes the batch with its length and CRC-32C (uncompressed records).
    public func encode(into out: inout ByteBuffer) {
        var body = ByteBuffer()
        body.writeInteger(attributes)
        body.writeInteger(lastOffsetDelta)
        body.writeInteger(baseTimestamp)
        body.writeInteger(maxTimestamp)
        body.writeInteger(producerId)
        body.writeInteger(producerEpoch)
        body.writeInteger(baseSequence)
        body.writeInteger(Int32(records.count))
        for r in records { Self.encode(r, into: &body) }
        let crc = body.withUnsafeReadableBytes { CRC32C.checksum($0) }
        out.writeInteger(baseOffset)
        out.writeInteger(Int32(4 + 1 + 4 + body.readableBytes))   // leader epoch + magic + crc + rest
        out.writeInteger(partitionLeaderEpoch)
        out.writeInteger(Int8(2))
        out.writeInteger(crc)
        out.writeBuffer(&body)
    }

    static func encode(_ r: Record, into out: inout ByteBuffer) {
        var body = ByteBuffer()
        body.writeInteger(r.attributes)
        body.writeVarlong(r.timestampDelta)
        body.writeVarint(r.offsetDelta)
        writeVarintBytes(r.key, into: &body)
        writeVarintBytes(r.value, into: &body)
        body.writeVarint(Int32(r.headers.count))
        for h in r.headers {
            body.writeVarint(Int32(h.key.utf8.count))
            body.writeString(h.key)
            writeVarintBytes(h.value, into: &body)
        }
        out.writeVarint(Int32(body.readableBytes))
        out.writeBuffer(&body)
    }

    static func writeVarintBytes(_ b: ByteBuffer?, into out: inout ByteBuffer) {
        guard var b else { out.writeVarint(-1); return }
        out.writeVarint(Int32(b.readableBytes))
        out.writeBuffer(&b)
    }

    /// Decodes every complete batch in a record set. A partial batch at the end (fetch responses may
    /// cut one off) is left unread, as Kafka clients do.
    public static func decodeAll(_ buffer: inout ByteBuffer) throws(RecordBatchError) -> [RecordBatch] {
        var out: [RecordBatch] = []
        while buffer.readableBytes >= 12 {
            guard let length = buffer.getInteger(at: buffer.readerIndex + 8, as: Int32.self) else { break }
            guard length >= 0 else { throw .wire(.invalidLength(field: "batchLength", length: Int64(length))) }
            guard buffer.readableBytes >= 12 + Int(length) else { break }
            var batch = buffer.readSlice(length: 12 + Int(length))!
            out.append(try decode(&batch))
        }
        return out
    }

    /// Decodes one batch (baseOffset through its last record), checking magic and CRC.
    public static func decode(_ b: inout ByteBuffer) throws(RecordBatchError) -> RecordBatch {
        do {
            var batch = RecordBatch()
            batch.baseOffset = try b.readKafkaInteger("baseOffset")
            let length = Int(try b.readKafkaInteger("batchLength", as: Int32.self))
            guard length >= 9, length <= b.readableBytes else { throw WireError.invalidLength(field: "batchLength", length: Int64(length)) }
            batch.partitionLeaderEpoch = try b.readKafkaInteger("partitionLeaderEpoch")
            let magic = try b.readKafkaInteger("magic", as: Int8.self)
            guard magic == 2 else { throw RecordBatchError.unsupportedMagic(magic) }
            let crc = try b.readKafkaInteger("crc", as: UInt32.self)
            let covered = length - 9
            let computed = b.withUnsafeReadableBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<covered])) }
            guard computed == crc else { throw RecordBatchError.crcMismatch(expected: crc, computed: computed) }
            batch.attributes = try b.readKafkaInteger("attributes")
            batch.lastOffsetDelta = try b.readKafkaInteger("lastOffsetDelta")
            batch.baseTimestamp = try b.readKafkaInteger("baseTimestamp")
            batch.maxTimestamp = try b.readKafkaInteger("maxTimestamp")
            batch.producerId = try b.readKafkaInteger("producerId")
            batch.producerEpoch = try b.readKafkaInteger("producerEpoch")
            batch.baseSequence = try b.readKafkaInteger("baseSequence")
            let count = Int(try b.readKafkaInteger("recordCount", as: Int32.self))
            if let codec = batch.compression, codec != .none { throw RecordBatchError.compressed(codec) }
            guard count >= 0, count <= b.readableBytes else { throw WireError.invalidLength(field: "recordCount", length: Int64(count)) }
            batch.records.reserveCapacity(count)
            for _ in 0..<count { batch.records.append(try decodeRecord(&b)) }
            return batch
        } catch let e as RecordBatchError {
            throw e
        } catch let e as WireError {
            throw .wire(e)
        } catch {
            throw .wire(.invalidLength(field: "batch", length: -1))
        }
    }

    static func decodeRecord(_ b: inout ByteBuffer) throws(WireError) -> Record {
        let length = Int64(try b.readVarint("record.length"))
        guard var r = try b.readSlice("record", length: length) else { throw WireError.invalidLength(field: "record.length", length: length) }
        let attributes = try r.readKafkaInteger("record.attributes", as: Int8.self)
        let timestampDelta = try r.readVarlong("record.timestampDelta")
        let offsetDelta = try r.readVarint("record.offsetDelta")
        let key = try r.readSlice("record.key", length: Int64(try r.readVarint("record.keyLength")))
        let value = try r.readSlice("record.value", length: Int64(try r.readVarint("record.valueLength")))
        let headerCount = Int64(try r.readVarint("record.headerCount"))
        guard headerCount >= 0, headerCount <= Int64(r.readableBytes) else { throw WireError.invalidLength(field: "record.headerCount", length: headerCount) }
        var headers: [RecordHeader] = []
        for _ in 0..<headerCount {
            let keyLength = Int64(try r.readVarint("header.keyLength"))
            guard let keyBytes = try r.readSlice("header.key", length: keyLength) else { throw WireError.invalidLength(field: "header.keyLength", length: keyLength) }
            guard let key = keyBytes.getString(at: keyBytes.readerIndex, length: keyBytes.readableBytes) else { throw WireError.invalidUTF8(field: "header.key") }
            headers.append(RecordHeader(key: key, value: try r.readSlice("header.value", length: Int64(try r.readVarint("header.valueLength")))))
        }
        var record = Record(timestampDelta: timestampDelta, offsetDelta: offsetDelta, key: key, value: value, headers: headers)
        record.attributes = attributes
        return record
    }
}
