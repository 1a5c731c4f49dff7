// A record batch built one record at a time, straight into its wire bytes: the producer's accumulator.
// `RecordBatch.encode` builds `Record` values first; a producer appending hundreds of thousands of records a
// second writes each record's bytes once, its length computed ahead, and compresses the whole set at the end.

import NIOCore

public struct RecordBatchBuilder: Sendable {
    /// Bytes of a batch before its records: offset, length, epoch, magic, CRC, attributes … record count.
    public static let overhead = 61

    public let baseTimestamp: Int64
    public private(set) var maxTimestamp: Int64
    public private(set) var count: Int32 = 0
    /// The records' bytes, uncompressed.
    public private(set) var records: ByteBuffer

    public init(baseTimestamp: Int64, capacity: Int = 16 * 1024) {
        self.baseTimestamp = baseTimestamp
        self.maxTimestamp = baseTimestamp
        self.records = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// The batch's size on the wire before compression.
    public var sizeInBytes: Int { Self.overhead + records.readableBytes }

    /// The bytes a record of these parts adds (what `append` would write), to decide whether it still fits.
    public func size(keyCount: Int?, valueCount: Int?, headers: [(key: String, value: [UInt8]?)], timestamp: Int64)
        -> Int
    {
        let body = bodySize(keyCount: keyCount, valueCount: valueCount, headers: headers, timestamp: timestamp)
        return Self.varintSize(Int64(body)) + body
    }

    /// Appends one record; its offset delta is its position in the batch.
    public mutating func append(
        key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?, headers: [(key: String, value: [UInt8]?)] = [],
        timestamp: Int64
    ) {
        let body = bodySize(keyCount: key?.count, valueCount: value?.count, headers: headers, timestamp: timestamp)
        records.writeVarint(Int32(body))
        records.writeInteger(Int8(0))
        records.writeVarlong(timestamp - baseTimestamp)
        records.writeVarint(count)
        Self.write(key, into: &records)
        Self.write(value, into: &records)
        records.writeVarint(Int32(headers.count))
        for h in headers {
            records.writeVarint(Int32(h.key.utf8.count))
            records.writeString(h.key)
            if let v = h.value {
                records.writeVarint(Int32(v.count))
                records.writeBytes(v)
            } else {
                records.writeVarint(-1)
            }
        }
        count += 1
        maxTimestamp = max(maxTimestamp, timestamp)
    }

    /// The producer's identity in a batch: none (-1s), or an idempotent producer's id, epoch and first
    /// sequence number.
    public struct Producer: Sendable, Equatable {
        public var id: Int64
        public var epoch: Int16
        public var baseSequence: Int32
        public init(id: Int64, epoch: Int16, baseSequence: Int32) {
            self.id = id
            self.epoch = epoch
            self.baseSequence = baseSequence
        }
        public static let none = Producer(id: -1, epoch: -1, baseSequence: -1)
    }

    /// Writes the whole batch (v2, CRC-32C), its records compressed with `codec`; returns the bytes written.
    @discardableResult
    public func encode(into out: inout ByteBuffer, codec: RecordBatchCodec, producer: Producer = .none)
        throws(CompressionError) -> Int
    {
        let start = out.writerIndex
        out.writeInteger(Int64(0))  // base offset
        out.writeInteger(Int32(0))  // length, patched below
        out.writeInteger(Int32(-1))  // partition leader epoch
        out.writeInteger(Int8(2))
        let crcAt = out.writerIndex
        out.writeInteger(UInt32(0))  // CRC, patched below
        let bodyAt = out.writerIndex
        out.writeInteger(codec.rawValue)
        out.writeInteger(max(0, count - 1))
        out.writeInteger(baseTimestamp)
        out.writeInteger(maxTimestamp)
        out.writeInteger(producer.id)
        out.writeInteger(producer.epoch)
        out.writeInteger(producer.baseSequence)
        out.writeInteger(count)
        if codec == .none {
            var r = records
            out.writeBuffer(&r)
        } else {
            let packed = try records.withUnsafeReadableBytes { bytes throws(CompressionError) in
                try Compression.compress(codec, bytes)
            }
            out.writeBytes(packed)
        }
        let end = out.writerIndex
        out.setInteger(Int32(end - start - 12), at: start + 8)
        let crc = out.withUnsafeReadableBytes { all in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: all[(bodyAt - out.readerIndex)..<(end - out.readerIndex)]))
        }
        out.setInteger(crc, at: crcAt)
        return end - start
    }

    func bodySize(keyCount: Int?, valueCount: Int?, headers: [(key: String, value: [UInt8]?)], timestamp: Int64)
        -> Int
    {
        var n = 1 + Self.varintSize(timestamp - baseTimestamp) + Self.varintSize(Int64(count))
        n += Self.bytesSize(keyCount) + Self.bytesSize(valueCount) + Self.varintSize(Int64(headers.count))
        for h in headers {
            n += Self.bytesSize(h.key.utf8.count) + Self.bytesSize(h.value?.count)
        }
        return n
    }

    static func bytesSize(_ count: Int?) -> Int {
        guard let count else { return 1 }
        return varintSize(Int64(count)) + count
    }

    /// Bytes of a zig-zag varint (or varlong).
    static func varintSize(_ v: Int64) -> Int {
        var z = UInt64(bitPattern: (v << 1) ^ (v >> 63))
        var n = 1
        while z >= 0x80 {
            z >>= 7
            n += 1
        }
        return n
    }

    static func write(_ b: UnsafeRawBufferPointer?, into out: inout ByteBuffer) {
        guard let b else {
            out.writeVarint(-1)
            return
        }
        out.writeVarint(Int32(b.count))
        out.writeBytes(b)
    }
}

extension RecordBatch {
    /// The offset after the last complete batch of a fetched record set, read off the batch headers alone (base
    /// offset + last offset delta + 1; a legacy message's own offset + 1); nil when no batch is complete.
    public static func offsetAfterCompleteBatches(_ set: ByteBuffer) -> Int64? {
        var at = set.readerIndex
        let end = set.writerIndex
        var next: Int64?
        while end - at >= 17 {
            guard let base = set.getInteger(at: at, as: Int64.self),
                let length = set.getInteger(at: at + 8, as: Int32.self),
                length >= 0, end - at >= 12 + Int(length), let magic = set.getInteger(at: at + 16, as: Int8.self)
            else { break }
            if magic >= 2 {
                guard length >= 15, let delta = set.getInteger(at: at + 23, as: Int32.self) else { break }
                next = base &+ Int64(delta) &+ 1
            } else {
                // A legacy wrapper's offset is its last inner record's.
                next = base &+ 1
            }
            at += 12 + Int(length)
        }
        return next
    }
}
