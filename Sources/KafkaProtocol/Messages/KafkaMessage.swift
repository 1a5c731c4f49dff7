// The typed side of the protocol: every generated request and response is a struct conforming to these,
// so a misspelt field is a compile error, not a zero on the wire. The schema-driven codec (MessageCodec)
// stays as the oracle the generated code is tested against.

import NIOCore

/// A struct that travels inside a message, encoded as its message's version says.
public protocol KafkaStruct: Sendable, Equatable {
    init(_ version: Int16, _ flexible: Bool, from b: inout ByteBuffer) throws(WireError)
    func encode(_ version: Int16, _ flexible: Bool, into b: inout ByteBuffer)
}

/// A top-level versioned payload: a request, a response, or a data schema (a consumer's assignment).
public protocol KafkaVersionedStruct: KafkaStruct {
    static var versions: ClosedRange<Int16> { get }
    /// The first version written in the flexible (compact, tagged) format; nil when none is.
    static var firstFlexibleVersion: Int16? { get }
}

extension KafkaVersionedStruct {
    public static func isFlexible(_ version: Int16) -> Bool { firstFlexibleVersion.map { version >= $0 } ?? false }

    /// Encodes the body (no header) in `version`.
    public func encode(version: Int16, into b: inout ByteBuffer) { encode(version, Self.isFlexible(version), into: &b) }

    /// Decodes a body (no header) written in `version`.
    public init(version: Int16, from b: inout ByteBuffer) throws(WireError) {
        try self.init(version, Self.isFlexible(version), from: &b)
    }
}

public protocol KafkaMessage: KafkaVersionedStruct {
    static var apiKey: Int16 { get }
}

public protocol KafkaResponse: KafkaMessage {}

/// A request whose answer is `Response`: `connection.send(request)` returns the typed response.
public protocol KafkaRequest: KafkaMessage {
    associatedtype Response: KafkaResponse
}

/// A Kafka UUID (topic ids): 128 bits, big-endian halves.
public struct KafkaUUID: Sendable, Hashable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64 = 0, low: UInt64 = 0) {
        self.high = high
        self.low = low
    }

    public init(_ halves: (UInt64, UInt64)) { (high, low) = halves }

    public var isZero: Bool { high == 0 && low == 0 }

    /// Kafka's text form: URL-safe base64 of the 16 bytes, without padding.
    public var description: String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var bytes: [UInt8] = []
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: high >> shift)) }
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: low >> shift)) }
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            var chunk: UInt32 = 0
            for j in 0..<3 { chunk = chunk << 8 | UInt32(j < n ? bytes[i + j] : 0) }
            for j in 0..<(n + 1) { out.append(alphabet[Int((chunk >> (18 - 6 * UInt32(j))) & 63)]) }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Collects a struct's tagged fields, written in tag order.
public struct TaggedFieldWriter {
    private var fields: [(UInt32, ByteBuffer)] = []
    public init() {}
    public mutating func add(_ tag: UInt32, _ value: ByteBuffer) { fields.append((tag, value)) }
    public func write(into b: inout ByteBuffer) {
        b.writeUnsignedVarint(UInt32(fields.count))
        for (tag, value) in fields.sorted(by: { $0.0 < $1.0 }) {
            var value = value
            b.writeUnsignedVarint(tag)
            b.writeUnsignedVarint(UInt32(value.readableBytes))
            b.writeBuffer(&value)
        }
    }
}

extension ByteBuffer {
    /// STRING or COMPACT_STRING, as the version's format says.
    @inlinable public mutating func writeKString(_ value: String?, _ compact: Bool) {
        compact ? writeCompactString(value) : writeKafkaString(value)
    }

    public mutating func readKString(_ field: String, _ compact: Bool) throws(WireError) -> String? {
        compact ? try readCompactString(field) : try readKafkaString(field)
    }

    @inlinable public mutating func writeKBytes(_ value: ByteBuffer?, _ compact: Bool) {
        compact ? writeCompactBytes(value) : writeKafkaBytes(value)
    }

    public mutating func readKBytes(_ field: String, _ compact: Bool) throws(WireError) -> ByteBuffer? {
        compact ? try readCompactBytes(field) : try readKafkaBytes(field)
    }

    @inlinable public mutating func writeKCount(_ count: Int?, _ compact: Bool) {
        compact ? writeCompactArrayCount(count) : writeArrayCount(count)
    }

    public mutating func readKCount(_ field: String, _ compact: Bool) throws(WireError) -> Int? {
        compact ? try readCompactArrayCount(field) : try readArrayCount(field)
    }

    /// Skips a tagged-field section this struct defines no tags for.
    public mutating func skipTaggedFields(_ field: String) throws(WireError) {
        _ = try readTaggedFieldList(field)
    }

    /// A tagged-field section as (tag, slice) in wire order.
    public mutating func readTaggedFieldList(_ field: String) throws(WireError) -> [(tag: UInt32, value: ByteBuffer)] {
        let count = Int64(try readUnsignedVarint(field))
        guard count <= Int64(readableBytes) else { throw WireError.invalidLength(field: field, length: count) }
        var out: [(tag: UInt32, value: ByteBuffer)] = []
        for _ in 0..<count {
            let tag = try readUnsignedVarint(field)
            let size = Int64(try readUnsignedVarint(field))
            guard let slice = try readSlice(field, length: size) else { continue }
            out.append((tag, slice))
        }
        return out
    }
}
