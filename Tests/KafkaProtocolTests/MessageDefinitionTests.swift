import Foundation
import NIOCore
import Testing

@testable import KafkaProtocol

/// The generated definitions against Kafka's own JSON schemas, and the codec over every version.
@Suite struct MessageDefinitionTests {
    static let fixtures: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Tests/Fixtures/kafka-message-schemas")
    }()

    static func schema(_ name: String) throws -> [String: Any] {
        let text = try String(contentsOf: fixtures.appendingPathComponent("\(name).json"), encoding: .utf8)
        let stripped = text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
        return try #require(try JSONSerialization.jsonObject(with: Data(stripped.utf8)) as? [String: Any])
    }

    static func check(
        _ fields: [FieldDefinition], _ json: [[String: Any]], common: [String: [[String: Any]]], path: String
    ) {
        #expect(fields.map(\.name) == json.map { $0["name"] as? String ?? "" }, "\(path)")
        for (f, j) in zip(fields, json) {
            let p = "\(path).\(f.name)"
            #expect(
                f.versions.description == VersionRange(stringLiteral: j["versions"] as? String ?? "").description,
                "\(p) versions")
            #expect(
                f.nullable.description
                    == VersionRange(stringLiteral: j["nullableVersions"] as? String ?? "none").description,
                "\(p) nullable")
            #expect(
                f.tagged.description
                    == VersionRange(stringLiteral: j["taggedVersions"] as? String ?? "none").description, "\(p) tagged")
            #expect(f.tag.map(Int.init) == j["tag"] as? Int, "\(p) tag")
            let type = j["type"] as? String ?? ""
            let element = type.hasPrefix("[]") ? String(type.dropFirst(2)) : type
            let nested = (j["fields"] as? [[String: Any]]) ?? common[element]
            switch f.type {
            case .array(.structure(let inner)), .structure(let inner):
                check(inner, nested ?? [], common: common, path: p)
            case .array(let e):
                #expect(type.hasPrefix("[]") && "\(e)" == element, "\(p) type \(type)")
            default:
                #expect("\(f.type)" == type, "\(p) type \(type)")
            }
        }
    }

    @Test(arguments: MessageDefinition.generated.map(\.name))
    func definitionMatchesKafkasSchema(name: String) throws {
        let def = try #require(MessageDefinition.generated.first { $0.name == name })
        let json = try Self.schema(name)
        #expect(
            def.validVersions.description
                == VersionRange(stringLiteral: json["validVersions"] as? String ?? "").description)
        #expect(
            def.flexibleVersions.description
                == VersionRange(stringLiteral: json["flexibleVersions"] as? String ?? "none").description)
        #expect(def.apiKey.map(Int.init) == json["apiKey"] as? Int)
        var common: [String: [[String: Any]]] = [:]
        for c in json["commonStructs"] as? [[String: Any]] ?? [] {
            common[c["name"] as! String] = c["fields"] as? [[String: Any]]
        }
        Self.check(def.fields, json["fields"] as? [[String: Any]] ?? [], common: common, path: name)
    }

    /// A value for every field present in `version`, distinct per field, with nulls where allowed.
    static func sample(_ fields: [FieldDefinition], version: Int16, seed: inout Int64) -> [String: KafkaValue] {
        var out: [String: KafkaValue] = [:]
        for f in fields where f.versions.contains(version) {
            seed += 1
            var value = sample(f.type, nullable: f.nullable.contains(version), version: version, seed: &seed)
            // A tagged field equal to its default is not written by Kafka (nor by the typed code): avoid it, so
            // the schema-driven and typed encodings of one sample are byte-identical.
            if f.tagged.contains(version) { value = notDefault(value, f.defaultValue) }
            out[f.name] = value
        }
        return out
    }

    static func notDefault(_ value: KafkaValue, _ defaultValue: String?) -> KafkaValue {
        switch value {
        case .bool(let b):
            let d = defaultValue == "true"
            return b == d ? .bool(!d) : value
        case .int(let x):
            let d = defaultValue.flatMap { Int64($0) ?? ($0.hasPrefix("0x") ? Int64($0.dropFirst(2), radix: 16) : nil) }
            return x == (d ?? 0) ? .int(x + 1) : value
        case .string(nil): return .string("set")
        default: return value
        }
    }

    static func sample(_ type: WireType, nullable: Bool, version: Int16, seed: inout Int64) -> KafkaValue {
        switch type {
        case .bool: return .bool(seed % 2 == 0)
        case .int8: return .int(seed % 100)
        case .int16: return .int(seed % 30_000)
        case .int32, .uint16: return .int(seed % 60_000)
        case .int64, .uint32: return .int(seed * 1_000_003 % 4_000_000_000)
        case .float64: return .double(Double(seed) / 4)
        case .string: return nullable && seed % 3 == 0 ? .string(nil) : .string("s\(seed)-ü")
        case .bytes, .records: return .bytes(ByteBuffer(bytes: [UInt8(seed % 256), 1, 2]))
        case .uuid: return .uuid(UInt64(seed), UInt64(seed * 7))
        case .array(let element):
            if nullable && seed % 5 == 0 { return .array(nil) }
            return .array(
                (0..<2).map { _ in
                    seed += 1
                    return sample(element, nullable: false, version: version, seed: &seed)
                })
        case .structure(let fields):
            if nullable && seed % 2 == 0 { return .null }
            return .structure(sample(fields, version: version, seed: &seed))
        }
    }

    @Test(arguments: MessageDefinition.generated.map(\.name))
    func everyVersionRoundTrips(name: String) throws {
        let def = try #require(MessageDefinition.generated.first { $0.name == name })
        let upper = def.validVersions.upper ?? def.validVersions.lower
        for version in def.validVersions.lower...upper {
            var seed: Int64 = Int64(version) * 101
            let value = Self.sample(def.fields, version: version, seed: &seed)
            var buffer = ByteBuffer()
            MessageCodec.encode(value, def, version: version, into: &buffer)
            let decoded = try MessageCodec.decode(def, version: version, from: &buffer)
            #expect(decoded == value, "\(name) v\(version)")
            #expect(buffer.readableBytes == 0, "\(name) v\(version) left \(buffer.readableBytes) bytes")
        }
    }

    /// Golden bytes worked out from the protocol guide: a v1 request header and ApiVersions v0 (empty
    /// body), and ApiVersions v3's flexible body (compact strings, empty tagged fields).
    @Test func apiVersionsGoldenBytes() throws {
        var header = ByteBuffer()
        MessageCodec.encode(
            [
                "RequestApiKey": .int(18), "RequestApiVersion": .int(0), "CorrelationId": .int(1),
                "ClientId": .string("ka"),
            ],
            .requestHeader, version: 1, into: &header)
        #expect(
            Array(header.readableBytesView) == [0x00, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0x6B, 0x61])
        var v2 = ByteBuffer()
        MessageCodec.encode(
            [
                "RequestApiKey": .int(18), "RequestApiVersion": .int(3), "CorrelationId": .int(1),
                "ClientId": .string("ka"),
            ],
            .requestHeader, version: 2, into: &v2)
        // Header v2 keeps the client id a classic string, then adds empty tagged fields.
        #expect(
            Array(v2.readableBytesView) == [
                0x00, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0x6B, 0x61, 0x00,
            ])
        var body = ByteBuffer()
        MessageCodec.encode(
            ["ClientSoftwareName": .string("ka"), "ClientSoftwareVersion": .string("1")], .apiVersionsRequest,
            version: 3, into: &body)
        #expect(Array(body.readableBytesView) == [0x03, 0x6B, 0x61, 0x02, 0x31, 0x00])
    }

    @Test func truncatedResponsesThrow() throws {
        var seed: Int64 = 5
        let value = Self.sample(MessageDefinition.metadataResponse.fields, version: 12, seed: &seed)
        var buffer = ByteBuffer()
        MessageCodec.encode(value, .metadataResponse, version: 12, into: &buffer)
        for cut in stride(from: 0, to: buffer.readableBytes - 1, by: 7) {
            var truncated = buffer.getSlice(at: 0, length: cut)!
            #expect(throws: WireError.self) {
                try MessageCodec.decode(.metadataResponse, version: 12, from: &truncated)
            }
        }
    }
}
