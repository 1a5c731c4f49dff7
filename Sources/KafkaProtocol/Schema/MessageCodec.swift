// Encodes and decodes any message from its definition: the one place where fields become bytes.

import NIOCore

/// A decoded (or to-be-encoded) value, shaped by its definition.
public indirect enum KafkaValue: Sendable, Equatable {
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String?)
    case bytes(ByteBuffer?)
    case uuid(UInt64, UInt64)
    case array([KafkaValue]?)
    case structure([String: KafkaValue])
    /// A nullable structure that is null (DescribeTopicPartitions' cursor).
    case null

    public subscript(_ field: String) -> KafkaValue? {
        if case .structure(let s) = self { return s[field] }
        return nil
    }

    public var int: Int64? {
        if case .int(let v) = self { return v }
        return nil
    }
    public var string: String? {
        if case .string(let v) = self { return v }
        return nil
    }
    public var array: [KafkaValue]? {
        if case .array(let v) = self { return v }
        return nil
    }
    public var bool: Bool? {
        if case .bool(let v) = self { return v }
        return nil
    }
}

public enum MessageCodec {
    /// Writes `value`'s fields that exist in `version`; absent values are written as their zero/null.
    public static func encode(
        _ value: [String: KafkaValue], _ definition: MessageDefinition, version: Int16, into buffer: inout ByteBuffer
    ) {
        writeFields(
            definition.fields, value, version: version, flexible: definition.flexibleVersions.contains(version),
            into: &buffer)
    }

    public static func decode(_ definition: MessageDefinition, version: Int16, from buffer: inout ByteBuffer)
        throws(WireError) -> [String: KafkaValue]
    {
        try readFields(
            definition.fields, version: version, flexible: definition.flexibleVersions.contains(version), from: &buffer,
            path: definition.name)
    }

    static func writeFields(
        _ fields: [FieldDefinition], _ value: [String: KafkaValue], version: Int16, flexible: Bool,
        into b: inout ByteBuffer
    ) {
        var tagged: [UInt32: ByteBuffer] = [:]
        for f in fields where f.versions.contains(version) {
            let compact = f.flexible.map { $0.contains(version) } ?? flexible
            let v = value[f.name] ?? zero(f.type, nullable: f.nullable.contains(version))
            if case .structure = f.type, f.nullable.contains(version) {
                // A nullable struct: an int8 marker, -1 for null, 1 before the fields.
                var target = ByteBuffer()
                if case .structure = v {
                    target.writeInteger(Int8(1))
                    write(v, f.type, version: version, compact: compact, into: &target)
                } else {
                    target.writeInteger(Int8(-1))
                }
                if flexible && f.tagged.contains(version), let tag = f.tag {
                    tagged[tag] = target
                } else {
                    b.writeBuffer(&target)
                }
                continue
            }
            if flexible && f.tagged.contains(version), let tag = f.tag {
                var t = ByteBuffer()
                write(v, f.type, version: version, compact: compact, into: &t)
                tagged[tag] = t
            } else {
                write(v, f.type, version: version, compact: compact, into: &b)
            }
        }
        if flexible { b.writeTaggedFields(tagged) }
    }

    static func write(_ v: KafkaValue, _ type: WireType, version: Int16, compact: Bool, into b: inout ByteBuffer) {
        switch (type, v) {
        case (.bool, .bool(let x)): b.writeInteger(Int8(x ? 1 : 0))
        case (.int8, .int(let x)): b.writeInteger(Int8(truncatingIfNeeded: x))
        case (.int16, .int(let x)): b.writeInteger(Int16(truncatingIfNeeded: x))
        case (.int32, .int(let x)): b.writeInteger(Int32(truncatingIfNeeded: x))
        case (.int64, .int(let x)): b.writeInteger(x)
        case (.uint16, .int(let x)): b.writeInteger(UInt16(truncatingIfNeeded: x))
        case (.uint32, .int(let x)): b.writeInteger(UInt32(truncatingIfNeeded: x))
        case (.float64, .double(let x)): b.writeInteger(x.bitPattern)
        case (.string, .string(let s)): compact ? b.writeCompactString(s) : b.writeKafkaString(s)
        case (.bytes, .bytes(let x)), (.records, .bytes(let x)): compact ? b.writeCompactBytes(x) : b.writeKafkaBytes(x)
        case (.uuid, .uuid(let hi, let lo)): b.writeKafkaUUID((hi, lo))
        case (.array(let element), .array(let items)):
            compact ? b.writeCompactArrayCount(items?.count) : b.writeArrayCount(items?.count)
            for item in items ?? [] { write(item, element, version: version, compact: compact, into: &b) }
        case (.structure(let fields), .structure(let s)):
            writeFields(fields, s, version: version, flexible: compact, into: &b)
        default:
            // A value of the wrong shape: write the type's zero rather than corrupt the frame.
            write(zero(type, nullable: false), type, version: version, compact: compact, into: &b)
        }
    }

    static func readFields(
        _ fields: [FieldDefinition], version: Int16, flexible: Bool, from b: inout ByteBuffer, path: String
    ) throws(WireError) -> [String: KafkaValue] {
        var out: [String: KafkaValue] = [:]
        var taggedFields: [FieldDefinition] = []
        for f in fields where f.versions.contains(version) {
            if flexible && f.tagged.contains(version) {
                taggedFields.append(f)
                continue
            }
            let compact = f.flexible.map { $0.contains(version) } ?? flexible
            if case .structure = f.type, f.nullable.contains(version),
                try b.readKafkaInteger("\(path).\(f.name)", as: Int8.self) < 0
            {
                out[f.name] = .null
                continue
            }
            out[f.name] = try read(f.type, version: version, compact: compact, from: &b, path: "\(path).\(f.name)")
        }
        if flexible {
            let tags = try b.readTaggedFields("\(path).taggedFields")
            for f in taggedFields {
                guard let tag = f.tag, var slice = tags[tag] else { continue }
                out[f.name] = try read(f.type, version: version, compact: true, from: &slice, path: "\(path).\(f.name)")
            }
        }
        return out
    }

    static func read(_ type: WireType, version: Int16, compact: Bool, from b: inout ByteBuffer, path: String)
        throws(WireError) -> KafkaValue
    {
        switch type {
        case .bool: return .bool(try b.readKafkaBool(path))
        case .int8: return .int(Int64(try b.readKafkaInteger(path, as: Int8.self)))
        case .int16: return .int(Int64(try b.readKafkaInteger(path, as: Int16.self)))
        case .int32: return .int(Int64(try b.readKafkaInteger(path, as: Int32.self)))
        case .int64: return .int(try b.readKafkaInteger(path, as: Int64.self))
        case .uint16: return .int(Int64(try b.readKafkaInteger(path, as: UInt16.self)))
        case .uint32: return .int(Int64(try b.readKafkaInteger(path, as: UInt32.self)))
        case .float64: return .double(Double(bitPattern: try b.readKafkaInteger(path, as: UInt64.self)))
        case .string: return .string(compact ? try b.readCompactString(path) : try b.readKafkaString(path))
        case .bytes, .records: return .bytes(compact ? try b.readCompactBytes(path) : try b.readKafkaBytes(path))
        case .uuid:
            let (hi, lo) = try b.readKafkaUUID(path)
            return .uuid(hi, lo)
        case .array(let element):
            guard let count = compact ? try b.readCompactArrayCount(path) : try b.readArrayCount(path) else {
                return .array(nil)
            }
            var items: [KafkaValue] = []
            items.reserveCapacity(count)
            for i in 0..<count {
                items.append(try read(element, version: version, compact: compact, from: &b, path: "\(path)[\(i)]"))
            }
            return .array(items)
        case .structure(let fields):
            return .structure(try readFields(fields, version: version, flexible: compact, from: &b, path: path))
        }
    }

    /// The value written when a field is absent: zero, empty, or null where nullable.
    public static func zero(_ type: WireType, nullable: Bool) -> KafkaValue {
        switch type {
        case .bool: .bool(false)
        case .int8, .int16, .int32, .int64, .uint16, .uint32: .int(0)
        case .float64: .double(0)
        case .string: .string(nullable ? nil : "")
        case .bytes, .records: .bytes(nullable ? nil : ByteBuffer())
        case .uuid: .uuid(0, 0)
        case .array: .array(nullable ? nil : [])
        case .structure: nullable ? .null : .structure([:])
        }
    }
}
