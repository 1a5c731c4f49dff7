// The hot loop of fetching: the records of a batch parsed straight from the bytes (no slice per
// record, varints read inline), every length checked against the record's own bounds, by one
// parser (`RawCursor.record`) behind both the streamed views and the materialized `Record` values,
// whose keys, values and header values stay slices of the fetched buffer (no copy).

import NIOCore

extension RecordBatch {
    /// Decodes `count` records from `b`, consuming exactly their bytes: the streamed parser's views
    /// turned into slices of `b` (no copy).
    static func decodeRecords(_ count: Int, from b: inout ByteBuffer) throws(WireError) -> [Record] {
        let source = b
        let base = b.readerIndex
        var records: [Record] = []
        records.reserveCapacity(count)
        var failure: WireError?
        let consumed = b.withUnsafeReadableBytes { raw -> Int in
            func slice(_ view: UnsafeRawBufferPointer?) -> ByteBuffer? {
                view.flatMap { v in
                    // Views point into `raw`; only an empty view may lack an address.
                    guard let start = v.baseAddress, let origin = raw.baseAddress else {
                        return source.getSlice(at: base, length: 0)
                    }
                    return source.getSlice(at: base + (start - origin), length: v.count)
                }
            }
            var cursor = RawCursor(raw: raw)
            do {
                for _ in 0..<count {
                    var headers: [RecordHeader] = []
                    let r = try cursor.record { name, value in
                        headers.append(RecordHeader(key: name, value: slice(value)))
                    }
                    records.append(
                        Record(
                            attributes: r.attributes, timestampDelta: r.timestampDelta, offsetDelta: r.offsetDelta,
                            key: slice(r.key), value: slice(r.value), headers: headers))
                }
            } catch {
                failure = error as? WireError ?? .invalidLength(field: "record", length: -1)
            }
            return cursor.position
        }
        if let failure { throw failure }
        b.moveReaderIndex(forwardBy: consumed)
        return records
    }
}

/// One record seen in place: key and value point into the fetched (or decompressed) bytes and are
/// valid only inside the `forEachRecord` callback.
public struct RecordView {
    public let attributes: Int8
    public let timestampDelta: Int64
    public let offsetDelta: Int32
    public let key: UnsafeRawBufferPointer?
    public let value: UnsafeRawBufferPointer?
    public let headerCount: Int
    /// The headers' bytes as on the wire (nil for a legacy message, which has none); `headerValue` reads one.
    public var headerBytes: UnsafeRawBufferPointer? = nil

    /// The value of the first header named `key` (nil when absent or null). The bytes are valid only during
    /// the record's callback, as the view's.
    public func headerValue(_ key: String) -> UnsafeRawBufferPointer? {
        guard let headerBytes, headerCount > 0 else { return nil }
        var cursor = RawCursor(raw: headerBytes)
        for _ in 0..<headerCount {
            guard let name = try? cursor.view("header.key"), let value = try? cursor.view("header.value") else {
                return nil
            }
            if name.elementsEqual(key.utf8) { return value }
        }
        return nil
    }

    static func with(_ r: Record, _ body: (RecordView) -> Void) {
        func view(_ b: ByteBuffer?, _ next: (UnsafeRawBufferPointer?) -> Void) {
            guard let b else { return next(nil) }
            b.withUnsafeReadableBytes { next($0) }
        }
        view(r.key) { key in
            view(r.value) { value in
                body(
                    RecordView(
                        attributes: r.attributes, timestampDelta: r.timestampDelta, offsetDelta: r.offsetDelta,
                        key: key, value: value, headerCount: r.headers.count))
            }
        }
    }
}

extension RecordBatch {
    /// Parses `count` records in `records`, handing each to `body` as a view (no allocation per record).
    static func scanRecords(_ count: Int, in records: ByteBuffer, _ body: (RecordView) -> Void) throws(WireError) {
        var failure: WireError?
        records.withUnsafeReadableBytes { raw in
            var cursor = RawCursor(raw: raw)
            do {
                for _ in 0..<count { body(try cursor.record { _, _ in }) }
            } catch {
                failure = error as? WireError ?? .invalidLength(field: "record", length: -1)
            }
        }
        if let failure { throw failure }
    }
}

/// A bounds-checked reader over raw bytes; `limit` is the end of the current record.
struct RawCursor {
    let raw: UnsafeRawBufferPointer
    var position = 0
    var limit: Int

    init(raw: UnsafeRawBufferPointer) {
        self.raw = raw
        limit = raw.count
    }

    var remaining: Int { limit - position }

    /// One record, every length checked against the record's own bounds; each header's key
    /// (validated UTF-8) and value go to `onHeader`. Kafka rejects a record whose fields do not fill
    /// its length exactly, and so does this.
    @inline(__always)
    mutating func record(onHeader: (String, UnsafeRawBufferPointer?) -> Void) throws(WireError) -> RecordView {
        let length = Int(try varint("record.length"))
        guard length >= 0, length <= remaining else {
            throw WireError.invalidLength(field: "record.length", length: Int64(length))
        }
        let end = position + length
        let outer = limit
        limit = end
        let attributes = Int8(bitPattern: try byte("record.attributes"))
        let timestampDelta = try varlong("record.timestampDelta")
        let offsetDelta = Int32(truncatingIfNeeded: try varint("record.offsetDelta"))
        let key = try view("record.key")
        let value = try view("record.value")
        let headerCount = Int(try varint("record.headerCount"))
        guard headerCount >= 0, headerCount <= remaining else {
            throw WireError.invalidLength(field: "record.headerCount", length: Int64(headerCount))
        }
        let headersStart = position
        for _ in 0..<headerCount {
            guard let name = try view("header.key") else {
                throw WireError.invalidLength(field: "header.keyLength", length: -1)
            }
            guard let text = String(validating: name, as: UTF8.self) else {
                throw WireError.invalidUTF8(field: "header.key")
            }
            onHeader(text, try view("header.value"))
        }
        guard position == end else { throw WireError.invalidLength(field: "record.length", length: Int64(length)) }
        limit = outer
        return RecordView(
            attributes: attributes, timestampDelta: timestampDelta, offsetDelta: offsetDelta, key: key, value: value,
            headerCount: headerCount,
            headerBytes: UnsafeRawBufferPointer(rebasing: raw[headersStart..<end]))
    }

    @inline(__always)
    mutating func byte(_ field: String) throws(WireError) -> UInt8 {
        guard position < limit else { throw WireError.truncated(field: field, needed: 1, available: 0) }
        defer { position += 1 }
        return raw[position]
    }

    /// Zigzag varint (at most 5 bytes).
    @inline(__always)
    mutating func varint(_ field: String) throws(WireError) -> Int64 {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            guard position < limit else { throw WireError.truncated(field: field, needed: 1, available: 0) }
            let b = raw[position]
            position += 1
            if shift == 28 && b > 0x0F { throw WireError.varintTooLong(field: field) }
            result |= UInt32(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(Int32(bitPattern: (result >> 1) ^ (0 &- (result & 1))))
    }

    /// Zigzag varlong (at most 10 bytes).
    @inline(__always)
    mutating func varlong(_ field: String) throws(WireError) -> Int64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < limit else { throw WireError.truncated(field: field, needed: 1, available: 0) }
            let b = raw[position]
            position += 1
            if shift == 63 && b > 0x01 { throw WireError.varintTooLong(field: field) }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(bitPattern: (result >> 1) ^ (0 &- (result & 1)))
    }

    /// Varint length then that many bytes, in place (nil for length -1).
    @inline(__always)
    mutating func view(_ field: String) throws(WireError) -> UnsafeRawBufferPointer? {
        let length = try varint(field + "Length")
        if length == -1 { return nil }
        guard length >= 0, length <= Int64(remaining) else {
            throw WireError.invalidLength(field: field, length: length)
        }
        defer { position += Int(length) }
        return UnsafeRawBufferPointer(rebasing: raw[position..<(position + Int(length))])
    }
}
