// The project's JSON style (ReportJSON: pretty, keys sorted, slashes unescaped, non-finite numbers as strings)
// written by a small encoder of its own, for reports with tens of thousands of entries (`lag` over 10,000
// groups spent half its time in Foundation's JSONEncoder). Byte-identical to ReportJSON for the same value
// (FastJSONTests compares them).

public enum FastJSON {
    /// The value as the project's JSON, ending in a newline.
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let root = Node()
        try Writer.encode(value, into: root, path: [])
        var out = ""
        out.reserveCapacity(1 << 16)
        root.write(into: &out, indent: 0)
        out += "\n"
        return out
    }

    final class Node {
        enum Kind {
            case unset
            case literal(String)
            case array([Node])
            case object([String: Node])
        }
        var kind: Kind = .unset

        func write(into out: inout String, indent: Int) {
            switch kind {
            case .unset: out += "null"
            case .literal(let s): out += s
            case .array(let items):
                guard !items.isEmpty else {
                    out += "[\n\n" + String(repeating: " ", count: indent) + "]"
                    return
                }
                out += "[\n"
                let pad = String(repeating: " ", count: indent + 2)
                for (i, item) in items.enumerated() {
                    out += pad
                    item.write(into: &out, indent: indent + 2)
                    out += i == items.count - 1 ? "\n" : ",\n"
                }
                out += String(repeating: " ", count: indent) + "]"
            case .object(let fields):
                guard !fields.isEmpty else {
                    out += "{\n\n" + String(repeating: " ", count: indent) + "}"
                    return
                }
                out += "{\n"
                let pad = String(repeating: " ", count: indent + 2)
                let keys = fields.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                for (i, key) in keys.enumerated() {
                    out += pad
                    FastJSON.quote(key, into: &out)
                    out += " : "
                    fields[key]?.write(into: &out, indent: indent + 2)
                    out += i == keys.count - 1 ? "\n" : ",\n"
                }
                out += String(repeating: " ", count: indent) + "}"
            }
        }

        func set(_ key: String, _ child: Node) {
            if case .object(var f) = kind {
                kind = .unset
                f[key] = child
                kind = .object(f)
            } else {
                kind = .object([key: child])
            }
        }

        func append(_ child: Node) {
            if case .array(var a) = kind {
                kind = .unset
                a.append(child)
                kind = .array(a)
            } else {
                kind = .array([child])
            }
        }
    }

    /// `s` as a JSON string literal, quotes included.
    public static func quoted(_ s: String) -> String {
        var out = ""
        quote(s, into: &out)
        return out
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        var plain = true
        for u in s.utf8 where u < 0x20 || u == 0x22 || u == 0x5C {
            plain = false
            break
        }
        if plain {
            out += s
        } else {
            for c in s.unicodeScalars {
                switch c {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                default:
                    if c.value < 0x20 {
                        let hex = String(c.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(c)
                    }
                }
            }
        }
        out += "\""
    }

    static func number(_ d: Double) -> String {
        guard d.isFinite else { return d.isNaN ? "\"NaN\"" : (d > 0 ? "\"Infinity\"" : "\"-Infinity\"") }
        var s = d.description
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }

    /// Primitives become literals; anything else encodes itself through an Encoder over the node.
    struct Writer {
        static func literal(_ value: Any) -> String? {
            switch value {
            case let v as String:
                var out = ""
                FastJSON.quote(v, into: &out)
                return out
            case let v as Bool: return v ? "true" : "false"
            case let v as Int: return String(v)
            case let v as Int8: return String(v)
            case let v as Int16: return String(v)
            case let v as Int32: return String(v)
            case let v as Int64: return String(v)
            case let v as UInt: return String(v)
            case let v as UInt8: return String(v)
            case let v as UInt16: return String(v)
            case let v as UInt32: return String(v)
            case let v as UInt64: return String(v)
            case let v as Double: return FastJSON.number(v)
            case let v as Float: return FastJSON.number(Double(v))
            default: return nil
            }
        }

        static func encode<T: Encodable>(_ value: T, into node: Node, path: [any CodingKey]) throws {
            if let l = literal(value) {
                node.kind = .literal(l)
                return
            }
            try value.encode(to: NodeEncoder(node: node, codingPath: path))
        }
    }

    struct NodeEncoder: Encoder {
        let node: Node
        var codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy _: Key.Type) -> KeyedEncodingContainer<Key> {
            if case .object = node.kind {} else { node.kind = .object([:]) }
            return KeyedEncodingContainer(Keyed<Key>(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if case .array = node.kind {} else { node.kind = .array([]) }
            return Unkeyed(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(node: node, codingPath: codingPath) }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        var codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws {
            let child = Node()
            child.kind = .literal("null")
            node.set(key.stringValue, child)
        }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            let child = Node()
            try Writer.encode(value, into: child, path: codingPath + [key])
            node.set(key.stringValue, child)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy _: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            let child = Node()
            child.kind = .object([:])
            node.set(key.stringValue, child)
            return KeyedEncodingContainer(Keyed<NestedKey>(node: child, codingPath: codingPath + [key]))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let child = Node()
            child.kind = .array([])
            node.set(key.stringValue, child)
            return Unkeyed(node: child, codingPath: codingPath + [key])
        }

        mutating func superEncoder() -> any Encoder {
            let child = Node()
            node.set("super", child)
            return NodeEncoder(node: child, codingPath: codingPath)
        }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            let child = Node()
            node.set(key.stringValue, child)
            return NodeEncoder(node: child, codingPath: codingPath + [key])
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        var codingPath: [any CodingKey]
        var count: Int {
            if case .array(let a) = node.kind { return a.count }
            return 0
        }

        mutating func encodeNil() throws {
            let child = Node()
            child.kind = .literal("null")
            node.append(child)
        }

        mutating func encode<T: Encodable>(_ value: T) throws {
            let child = Node()
            try Writer.encode(value, into: child, path: codingPath)
            node.append(child)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy _: NestedKey.Type) -> KeyedEncodingContainer<
            NestedKey
        > {
            let child = Node()
            child.kind = .object([:])
            node.append(child)
            return KeyedEncodingContainer(Keyed<NestedKey>(node: child, codingPath: codingPath))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let child = Node()
            child.kind = .array([])
            node.append(child)
            return Unkeyed(node: child, codingPath: codingPath)
        }

        mutating func superEncoder() -> any Encoder {
            let child = Node()
            node.append(child)
            return NodeEncoder(node: child, codingPath: codingPath)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let node: Node
        var codingPath: [any CodingKey]

        mutating func encodeNil() throws { node.kind = .literal("null") }

        mutating func encode<T: Encodable>(_ value: T) throws {
            try Writer.encode(value, into: node, path: codingPath)
        }
    }
}
