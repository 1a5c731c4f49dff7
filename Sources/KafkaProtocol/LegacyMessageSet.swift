// Legacy message sets (magic v0 and v1), the format before Kafka 0.11. Brokers still return them
// for old topics' data, so fetch responses may mix them with v2 batches.
// https://kafka.apache.org/documentation/#messageset
//
// offset int64 | messageSize int32 | crc uint32 (CRC-32 of magic..end) | magic int8 | attributes int8
// (codec in bits 0–2, v1: timestamp type in bit 3) | timestamp int64 (v1 only) | key bytes | value bytes
//
// A compressed message is a wrapper whose value is a compressed message set of inner messages. In
// v1 the inner offsets are relative and the wrapper carries the absolute offset of the last one; in
// v0 they are absolute.

import NIOCore

public enum LegacyMessageSet {
    /// Decodes one top-level message (`b` holds exactly it) into a batch: one record, or all the
    /// inner records of a compressed wrapper.
    public static func decode(_ b: inout ByteBuffer, decompressionLimit: Int = RecordBatch.defaultDecompressionLimit)
        throws(RecordBatchError) -> [RecordBatch]
    {
        let outer = try message(&b)
        guard let codec = RecordBatchCodec(rawValue: Int16(outer.attributes & 0x07)) else {
            throw .unknownCodec(Int16(outer.attributes & 0x07))
        }
        var batch = RecordBatch()
        batch.magic = outer.magic
        batch.attributes = Int16(outer.attributes)
        if codec == .none {
            batch.baseOffset = outer.offset
            batch.baseTimestamp = outer.timestamp
            batch.maxTimestamp = outer.timestamp
            batch.records = [Record(offsetDelta: 0, key: outer.key, value: outer.value)]
            return [batch]
        }
        guard let packed = outer.value else { throw .wire(.invalidLength(field: "message.value", length: -1)) }
        var inner = ByteBuffer(bytes: try RecordBatch.decompress(codec, packed, limit: decompressionLimit))
        let messages = try innerMessages(&inner)
        guard !messages.isEmpty else { return [] }
        try fill(&batch, wrapper: outer, inner: messages)
        return [batch]
    }

    /// The uncompressed messages inside a wrapper's value; a nested compressed wrapper is an error.
    static func innerMessages(_ inner: inout ByteBuffer) throws(RecordBatchError) -> [Message] {
        var messages: [Message] = []
        while inner.readableBytes >= 12 {
            guard let size = inner.getInteger(at: inner.readerIndex + 8, as: Int32.self), size >= 0,
                inner.readableBytes >= 12 + Int(size)
            else {
                throw .wire(
                    .invalidLength(
                        field: "innerMessage.size",
                        length: Int64(inner.getInteger(at: inner.readerIndex + 8, as: Int32.self) ?? -1)))
            }
            guard var one = inner.readSlice(length: 12 + Int(size)) else { break }
            let m = try message(&one)
            guard m.attributes & 0x07 == 0 else {
                throw .wire(
                    .invalidLength(field: "innerMessage.attributes (nested compression)", length: Int64(m.attributes)))
            }
            messages.append(m)
        }
        return messages
    }

    /// Sets `batch`'s offsets, timestamps and records from a compressed `wrapper`'s `inner` messages
    /// (at least one).
    static func fill(_ batch: inout RecordBatch, wrapper outer: Message, inner messages: [Message])
        throws(RecordBatchError)
    {
        guard let last = messages.last else { return }
        // v1: inner offsets are relative, the wrapper holds the last one's absolute offset.
        // Offsets and timestamps come from the wire: any arithmetic that would overflow is corruption.
        let shift =
            outer.magic >= 1 ? try checked(outer.offset.subtractingReportingOverflow(last.offset), "message.offset") : 0
        let logAppendTime = outer.magic >= 1 && outer.attributes & 0x08 != 0
        batch.baseOffset = try checked(messages[0].offset.addingReportingOverflow(shift), "message.offset")
        batch.baseTimestamp = logAppendTime ? outer.timestamp : messages[0].timestamp
        batch.maxTimestamp = logAppendTime ? outer.timestamp : messages.map(\.timestamp).max() ?? -1
        var records: [Record] = []
        records.reserveCapacity(messages.count)
        for m in messages {
            let absolute = try checked(m.offset.addingReportingOverflow(shift), "message.offset")
            let delta = try checked(absolute.subtractingReportingOverflow(batch.baseOffset), "message.offset")
            let timestampDelta =
                logAppendTime
                ? 0 : try checked(m.timestamp.subtractingReportingOverflow(batch.baseTimestamp), "message.timestamp")
            guard let offsetDelta = Int32(exactly: delta) else {
                throw .wire(.invalidLength(field: "message.offset", length: delta))
            }
            records.append(Record(timestampDelta: timestampDelta, offsetDelta: offsetDelta, key: m.key, value: m.value))
        }
        batch.lastOffsetDelta = records.last?.offsetDelta ?? 0
        batch.records = records
    }

    /// The value of an overflow-reporting operation; an overflow is a corrupt `field`.
    private static func checked(_ r: (partialValue: Int64, overflow: Bool), _ field: String) throws(RecordBatchError)
        -> Int64
    {
        guard !r.overflow else { throw .wire(.invalidLength(field: field, length: r.partialValue)) }
        return r.partialValue
    }

    struct Message {
        var offset: Int64
        var magic: Int8
        var attributes: Int8
        var timestamp: Int64
        var key: ByteBuffer?
        var value: ByteBuffer?
    }

    static func message(_ b: inout ByteBuffer) throws(RecordBatchError) -> Message {
        do {
            let offset = try b.readKafkaInteger("message.offset", as: Int64.self)
            let size = Int(try b.readKafkaInteger("message.size", as: Int32.self))
            guard size >= 14, size <= b.readableBytes else {
                throw WireError.invalidLength(field: "message.size", length: Int64(size))
            }
            guard var body = b.readSlice(length: size) else {
                throw WireError.invalidLength(field: "message.size", length: Int64(size))
            }
            let crc = try body.readKafkaInteger("message.crc", as: UInt32.self)
            let computed = body.withUnsafeReadableBytes { CRC32.checksum($0) }
            guard crc == computed else { throw RecordBatchError.crcMismatch(expected: crc, computed: computed) }
            let magic = try body.readKafkaInteger("message.magic", as: Int8.self)
            guard magic == 0 || magic == 1 else { throw RecordBatchError.unsupportedMagic(magic) }
            let attributes = try body.readKafkaInteger("message.attributes", as: Int8.self)
            let timestamp: Int64 = magic == 1 ? try body.readKafkaInteger("message.timestamp") : -1
            let key = try bytes(&body, "message.key")
            let value = try bytes(&body, "message.value")
            return Message(
                offset: offset, magic: magic, attributes: attributes, timestamp: timestamp, key: key, value: value)
        } catch let e as RecordBatchError {
            throw e
        } catch let e as WireError {
            throw .wire(e)
        } catch {
            throw .wire(.invalidLength(field: "message", length: -1))
        }
    }

    static func bytes(_ b: inout ByteBuffer, _ field: String) throws(WireError) -> ByteBuffer? {
        let length = Int64(try b.readKafkaInteger(field + "Length", as: Int32.self))
        if length == -1 { return nil }
        guard length >= 0, length <= Int64(b.readableBytes) else {
            throw WireError.invalidLength(field: field, length: length)
        }
        return b.readSlice(length: Int(length))
    }

    /// Writes one legacy message (for tests and tools that must produce old-format data).
    public static func encode(
        offset: Int64, magic: Int8, attributes: Int8 = 0, timestamp: Int64 = -1,
        key: [UInt8]?, value: [UInt8]?, into out: inout ByteBuffer
    ) {
        var body = ByteBuffer()
        body.writeInteger(magic)
        body.writeInteger(attributes)
        if magic >= 1 { body.writeInteger(timestamp) }
        for field in [key, value] {
            if let field {
                body.writeInteger(Int32(field.count))
                body.writeBytes(field)
            } else {
                body.writeInteger(Int32(-1))
            }
        }
        out.writeInteger(offset)
        out.writeInteger(Int32(4 + body.readableBytes))
        out.writeInteger(body.withUnsafeReadableBytes { CRC32.checksum($0) })
        out.writeBuffer(&body)
    }
}
