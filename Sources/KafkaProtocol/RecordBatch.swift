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

    public init(
        attributes: Int8 = 0, timestampDelta: Int64 = 0, offsetDelta: Int32, key: ByteBuffer?, value: ByteBuffer?,
        headers: [RecordHeader] = []
    ) {
        self.attributes = attributes
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

public enum RecordBatchError: Error, Equatable, Sendable, CustomStringConvertible {
    case wire(WireError)
    case unsupportedMagic(Int8)
    case crcMismatch(expected: UInt32, computed: UInt32)
    /// Attributes name a codec Kafka does not define (5–7).
    case unknownCodec(Int16)
    /// The records could not be decompressed (corrupt, too large, or the codec's library is missing).
    case compression(CompressionError)

    public var description: String {
        switch self {
        case .wire(let e): "malformed record batch: \(e)"
        case .unsupportedMagic(let m): "record format magic \(m) is not one Kafka defines (0, 1, 2)"
        case .crcMismatch(let expected, let computed):
            "corrupt record batch: CRC \(expected) stored, \(computed) computed"
        case .unknownCodec(let c): "record batch names compression codec \(c), which Kafka does not define"
        case .compression(let e): "\(e)"
        }
    }
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
    /// 2 for record batches; 0 or 1 for legacy message sets (decoded into the same shape, see LegacyMessageSet).
    public var magic: Int8 = 2
    public var records: [Record] = []

    /// The most bytes one batch may decompress to (a guard against compression bombs).
    public static let defaultDecompressionLimit = 256 * 1024 * 1024

    public init(records: [Record] = []) { self.records = records }

    public var compression: RecordBatchCodec? { RecordBatchCodec(rawValue: attributes & 0x07) }
    public var timestampIsLogAppendTime: Bool { attributes & 0x08 != 0 }
    public var isTransactional: Bool { attributes & 0x10 != 0 }
    public var isControl: Bool { attributes & 0x20 != 0 }

    /// Writes the batch with its length and CRC-32C, its records compressed with the codec its
    /// attributes name (throws only when that codec's library is missing).
    public func encode(into out: inout ByteBuffer) throws(CompressionError) {
        var body = ByteBuffer()
        body.writeInteger(attributes)
        body.writeInteger(lastOffsetDelta)
        body.writeInteger(baseTimestamp)
        body.writeInteger(maxTimestamp)
        body.writeInteger(producerId)
        body.writeInteger(producerEpoch)
        body.writeInteger(baseSequence)
        body.writeInteger(Int32(records.count))
        let codec = compression ?? .none
        if codec == .none {
            for r in records { Self.encode(r, into: &body) }
        } else {
            var plain = ByteBuffer()
            for r in records { Self.encode(r, into: &plain) }
            let packed: [UInt8]
            do { packed = try plain.withUnsafeReadableBytes { try Compression.compress(codec, $0) } } catch let e
                as CompressionError
            { throw e } catch { throw .corrupt(codec, "\(error)") }
            body.writeBytes(packed)
        }
        let crc = body.withUnsafeReadableBytes { CRC32C.checksum($0) }
        out.writeInteger(baseOffset)
        out.writeInteger(Int32(4 + 1 + 4 + body.readableBytes))  // leader epoch + magic + crc + rest
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
        guard var b else {
            out.writeVarint(-1)
            return
        }
        out.writeVarint(Int32(b.readableBytes))
        out.writeBuffer(&b)
    }

    /// Streams every record of every complete batch in a record set to `body` without building
    /// `Record` values: the fetch path's decoder. Everything `decodeAll` checks is checked (CRC,
    /// every length against its record's bounds, header keys as UTF-8); keys and values are views of
    /// the fetched bytes, valid only during the call. Legacy message sets are decoded and streamed too.
    /// `onBatch` sees each batch's fields first (its `records` empty), even a batch with no records left.
    public static func forEachRecord(
        in buffer: inout ByteBuffer, decompressionLimit: Int = defaultDecompressionLimit,
        onBatch: (RecordBatch) -> Void = { _ in },
        _ body: (RecordBatch, RecordView) -> Void
    ) throws(RecordBatchError) {
        while buffer.readableBytes >= 12 {
            guard let length = buffer.getInteger(at: buffer.readerIndex + 8, as: Int32.self) else { break }
            guard length >= 0 else { throw .wire(.invalidLength(field: "batchLength", length: Int64(length))) }
            guard buffer.readableBytes >= 12 + Int(length) else { break }
            guard var slice = buffer.readSlice(length: 12 + Int(length)) else { break }
            let magic = slice.getInteger(at: slice.readerIndex + 16, as: Int8.self) ?? 2
            if magic < 2 {
                for batch in try LegacyMessageSet.decode(&slice, decompressionLimit: decompressionLimit) {
                    onBatch(batch)
                    for r in batch.records {
                        RecordView.with(r) { body(batch, $0) }
                    }
                }
                continue
            }
            let (batch, count, records) = try header(&slice, decompressionLimit: decompressionLimit)
            onBatch(batch)
            do { try scanRecords(count, in: records) { body(batch, $0) } } catch { throw .wire(error) }
        }
    }

    /// Decodes every complete batch in a record set. A partial batch at the end (fetch responses may
    /// cut one off) is left unread, as Kafka clients do.
    /// Legacy message sets (magic 0 and 1) are decoded too, each message or compressed wrapper into
    /// a batch of the same shape (the magic byte sits at the same place in both formats).
    public static func decodeAll(_ buffer: inout ByteBuffer, decompressionLimit: Int = defaultDecompressionLimit)
        throws(RecordBatchError) -> [RecordBatch]
    {
        var out: [RecordBatch] = []
        while buffer.readableBytes >= 12 {
            guard let length = buffer.getInteger(at: buffer.readerIndex + 8, as: Int32.self) else { break }
            guard length >= 0 else { throw .wire(.invalidLength(field: "batchLength", length: Int64(length))) }
            guard buffer.readableBytes >= 12 + Int(length) else { break }
            guard var batch = buffer.readSlice(length: 12 + Int(length)) else { break }
            let magic = batch.getInteger(at: batch.readerIndex + 16, as: Int8.self) ?? 2
            if magic < 2 {
                out += try LegacyMessageSet.decode(&batch, decompressionLimit: decompressionLimit)
            } else {
                out.append(try decode(&batch, decompressionLimit: decompressionLimit))
            }
        }
        return out
    }

    /// Decodes one batch (baseOffset through its last record), checking magic and CRC.
    public static func decode(_ b: inout ByteBuffer, decompressionLimit: Int = defaultDecompressionLimit)
        throws(RecordBatchError) -> RecordBatch
    {
        var (batch, count, records) = try header(&b, decompressionLimit: decompressionLimit)
        do { batch.records = try decodeRecords(count, from: &records) } catch { throw .wire(error) }
        return batch
    }

    /// The batch's fields (records left empty), its record count, and its records' bytes
    /// (decompressed), after checking magic and CRC.
    static func header(_ b: inout ByteBuffer, decompressionLimit: Int) throws(RecordBatchError) -> (
        RecordBatch, Int, ByteBuffer
    ) {
        do {
            var batch = RecordBatch()
            batch.baseOffset = try b.readKafkaInteger("baseOffset")
            let length = Int(try b.readKafkaInteger("batchLength", as: Int32.self))
            guard length >= 49, length <= b.readableBytes else {
                throw WireError.invalidLength(field: "batchLength", length: Int64(length))
            }
            batch.partitionLeaderEpoch = try b.readKafkaInteger("partitionLeaderEpoch")
            let magic = try b.readKafkaInteger("magic", as: Int8.self)
            guard magic == 2 else { throw RecordBatchError.unsupportedMagic(magic) }
            let crc = try b.readKafkaInteger("crc", as: UInt32.self)
            let covered = length - 9
            let computed = b.withUnsafeReadableBytes {
                CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<covered]))
            }
            guard computed == crc else { throw RecordBatchError.crcMismatch(expected: crc, computed: computed) }
            batch.attributes = try b.readKafkaInteger("attributes")
            batch.lastOffsetDelta = try b.readKafkaInteger("lastOffsetDelta")
            batch.baseTimestamp = try b.readKafkaInteger("baseTimestamp")
            batch.maxTimestamp = try b.readKafkaInteger("maxTimestamp")
            batch.producerId = try b.readKafkaInteger("producerId")
            batch.producerEpoch = try b.readKafkaInteger("producerEpoch")
            batch.baseSequence = try b.readKafkaInteger("baseSequence")
            let count = Int(try b.readKafkaInteger("recordCount", as: Int32.self))
            guard let codec = batch.compression else { throw RecordBatchError.unknownCodec(batch.attributes & 0x07) }
            // The records end where the batch does (batchLength counts 49 bytes of fields before them).
            guard let packed = b.readSlice(length: length - 49) else {
                throw WireError.invalidLength(field: "batchLength", length: Int64(length))
            }
            var records = packed
            if codec != .none {
                records = ByteBuffer(bytes: try decompress(codec, packed, limit: decompressionLimit))
            }
            // The smallest record takes 7 bytes, so no count can make the decoder reserve more than it received.
            guard count >= 0, count <= records.readableBytes / 7 else {
                throw WireError.invalidLength(field: "recordCount", length: Int64(count))
            }
            return (batch, count, records)
        } catch let e as RecordBatchError {
            throw e
        } catch let e as WireError {
            throw .wire(e)
        } catch {
            throw .wire(.invalidLength(field: "batch", length: -1))
        }
    }

    static func decompress(_ codec: RecordBatchCodec, _ b: ByteBuffer, limit: Int) throws(RecordBatchError) -> [UInt8] {
        do {
            return try b.withUnsafeReadableBytes { try Compression.decompress(codec, $0, limit: limit) }
        } catch let e as CompressionError {
            throw .compression(e)
        } catch {
            throw .compression(.corrupt(codec, "\(error)"))
        }
    }
}
