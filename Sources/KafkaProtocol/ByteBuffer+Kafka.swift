// The Kafka protocol's primitive types on NIO's ByteBuffer: fixed-width integers (big-endian),
// unsigned varints and zigzag varints/varlongs, strings, bytes and arrays in their classic and
// compact (flexible-version) forms, nullable variants, UUIDs and tagged fields.
// Reference: https://kafka.apache.org/protocol#protocol_types

import NIOCore

extension ByteBuffer {
    // MARK: Fixed width

    public mutating func readKafkaInteger<T: FixedWidthInteger>(_ field: String, as: T.Type = T.self) throws(WireError)
        -> T
    {
        guard let v = readInteger(endianness: .big, as: T.self) else {
            throw WireError.truncated(field: field, needed: MemoryLayout<T>.size, available: readableBytes)
        }
        return v
    }

    public mutating func readKafkaBool(_ field: String) throws(WireError) -> Bool {
        try readKafkaInteger(field, as: Int8.self) != 0
    }

    // MARK: Varints

    /// Unsigned varint (protobuf style), at most 5 bytes for 32 bits.
    public mutating func writeUnsignedVarint(_ value: UInt32) {
        var v = value
        while v >= 0x80 {
            writeInteger(UInt8(v & 0x7F | 0x80))
            v >>= 7
        }
        writeInteger(UInt8(v))
    }

    public mutating func readUnsignedVarint(_ field: String) throws(WireError) -> UInt32 {
        var result: UInt32 = 0
        for i in 0..<5 {
            guard let byte = readInteger(as: UInt8.self) else {
                throw WireError.truncated(field: field, needed: 1, available: 0)
            }
            if i == 4 && byte > 0x0F { throw WireError.varintTooLong(field: field) }
            result |= UInt32(byte & 0x7F) << UInt32(7 * i)
            if byte & 0x80 == 0 { return result }
        }
        throw WireError.varintTooLong(field: field)
    }

    public mutating func writeUnsignedVarlong(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            writeInteger(UInt8(v & 0x7F | 0x80))
            v >>= 7
        }
        writeInteger(UInt8(v))
    }

    public mutating func readUnsignedVarlong(_ field: String) throws(WireError) -> UInt64 {
        var result: UInt64 = 0
        for i in 0..<10 {
            guard let byte = readInteger(as: UInt8.self) else {
                throw WireError.truncated(field: field, needed: 1, available: 0)
            }
            if i == 9 && byte > 0x01 { throw WireError.varintTooLong(field: field) }
            result |= UInt64(byte & 0x7F) << UInt64(7 * i)
            if byte & 0x80 == 0 { return result }
        }
        throw WireError.varintTooLong(field: field)
    }

    /// Zigzag-encoded signed varint (record fields).
    public mutating func writeVarint(_ value: Int32) {
        writeUnsignedVarint(UInt32(bitPattern: (value << 1) ^ (value >> 31)))
    }

    public mutating func readVarint(_ field: String) throws(WireError) -> Int32 {
        let u = try readUnsignedVarint(field)
        return Int32(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    public mutating func writeVarlong(_ value: Int64) {
        writeUnsignedVarlong(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    public mutating func readVarlong(_ field: String) throws(WireError) -> Int64 {
        let u = try readUnsignedVarlong(field)
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    // MARK: Strings

    /// STRING / NULLABLE_STRING: int16 length (-1 for null), then UTF-8.
    public mutating func writeKafkaString(_ value: String?) {
        guard let value else {
            writeInteger(Int16(-1))
            return
        }
        writeInteger(Int16(value.utf8.count))
        writeString(value)
    }

    public mutating func readKafkaString(_ field: String) throws(WireError) -> String? {
        let length = Int(try readKafkaInteger(field, as: Int16.self))
        return try readUTF8(field, length: length)
    }

    /// COMPACT_STRING / COMPACT_NULLABLE_STRING: unsigned varint length + 1 (0 for null).
    public mutating func writeCompactString(_ value: String?) {
        guard let value else {
            writeUnsignedVarint(0)
            return
        }
        writeUnsignedVarint(UInt32(value.utf8.count + 1))
        writeString(value)
    }

    public mutating func readCompactString(_ field: String) throws(WireError) -> String? {
        let n = try readUnsignedVarint(field)
        return try readUTF8(field, length: Int(n) - 1)
    }

    private mutating func readUTF8(_ field: String, length: Int) throws(WireError) -> String? {
        if length == -1 { return nil }
        guard length >= 0 else { throw WireError.invalidLength(field: field, length: Int64(length)) }
        guard let bytes = readBytes(length: length) else {
            throw WireError.truncated(field: field, needed: length, available: readableBytes)
        }
        guard let s = String(validating: bytes, as: UTF8.self) else { throw WireError.invalidUTF8(field: field) }
        return s
    }

    // MARK: Bytes

    /// BYTES / NULLABLE_BYTES: int32 length (-1 for null).
    public mutating func writeKafkaBytes(_ value: ByteBuffer?) {
        guard var value else {
            writeInteger(Int32(-1))
            return
        }
        writeInteger(Int32(value.readableBytes))
        writeBuffer(&value)
    }

    public mutating func readKafkaBytes(_ field: String) throws(WireError) -> ByteBuffer? {
        try readSlice(field, length: Int64(try readKafkaInteger(field, as: Int32.self)))
    }

    /// COMPACT_BYTES / COMPACT_NULLABLE_BYTES: unsigned varint length + 1 (0 for null).
    public mutating func writeCompactBytes(_ value: ByteBuffer?) {
        guard var value else {
            writeUnsignedVarint(0)
            return
        }
        writeUnsignedVarint(UInt32(value.readableBytes + 1))
        writeBuffer(&value)
    }

    public mutating func readCompactBytes(_ field: String) throws(WireError) -> ByteBuffer? {
        try readSlice(field, length: Int64(try readUnsignedVarint(field)) - 1)
    }

    /// A zero-copy slice of `length` bytes; -1 is null.
    public mutating func readSlice(_ field: String, length: Int64) throws(WireError) -> ByteBuffer? {
        if length == -1 { return nil }
        guard length >= 0, length <= Int64(Int32.max) else {
            throw WireError.invalidLength(field: field, length: length)
        }
        guard let slice = readSlice(length: Int(length)) else {
            throw WireError.truncated(field: field, needed: Int(length), available: readableBytes)
        }
        return slice
    }

    // MARK: Arrays

    /// ARRAY: int32 count (-1 for null). The count is checked against the bytes left: every
    /// element takes at least one byte, so no count can make the decoder allocate more than it got.
    public mutating func readArrayCount(_ field: String) throws(WireError) -> Int? {
        let n = Int64(try readKafkaInteger(field, as: Int32.self))
        return try checkedCount(field, n)
    }

    /// COMPACT_ARRAY: unsigned varint count + 1 (0 for null).
    public mutating func readCompactArrayCount(_ field: String) throws(WireError) -> Int? {
        let n = Int64(try readUnsignedVarint(field)) - 1
        return try checkedCount(field, n)
    }

    private func checkedCount(_ field: String, _ n: Int64) throws(WireError) -> Int? {
        if n == -1 { return nil }
        guard n >= 0, n <= Int64(readableBytes) else { throw WireError.invalidLength(field: field, length: n) }
        return Int(n)
    }

    public mutating func writeArrayCount(_ count: Int?) { writeInteger(Int32(count ?? -1)) }
    public mutating func writeCompactArrayCount(_ count: Int?) { writeUnsignedVarint(UInt32((count ?? -1) + 1)) }

    // MARK: UUID and tagged fields

    public mutating func writeKafkaUUID(_ bytes: (UInt64, UInt64)) {
        writeInteger(bytes.0)
        writeInteger(bytes.1)
    }

    public mutating func readKafkaUUID(_ field: String) throws(WireError) -> (UInt64, UInt64) {
        (try readKafkaInteger(field, as: UInt64.self), try readKafkaInteger(field, as: UInt64.self))
    }

    /// TAGGED_FIELDS: a varint count, then (tag, size, bytes) each. Unknown tags are kept as slices.
    public mutating func readTaggedFields(_ field: String) throws(WireError) -> [UInt32: ByteBuffer] {
        let count = Int64(try readUnsignedVarint(field))
        guard count <= Int64(readableBytes) else { throw WireError.invalidLength(field: field, length: count) }
        var out: [UInt32: ByteBuffer] = [:]
        for _ in 0..<count {
            let tag = try readUnsignedVarint(field)
            let size = Int64(try readUnsignedVarint(field))
            out[tag] = try readSlice(field, length: size)
        }
        return out
    }

    public mutating func writeTaggedFields(_ fields: [UInt32: ByteBuffer] = [:]) {
        writeUnsignedVarint(UInt32(fields.count))
        for (tag, field) in fields.sorted(by: { $0.key < $1.key }) {
            var value = field
            writeUnsignedVarint(tag)
            writeUnsignedVarint(UInt32(value.readableBytes))
            writeBuffer(&value)
        }
    }
}
