import NIOCore
import Testing

@testable import KafkaProtocol

/// The generated structs against the schema-driven codec: for every message and version, a sample encoded
/// by MessageCodec decodes into the struct, which writes back exactly the same bytes.
@Suite struct TypedMessageTests {
    @Test(arguments: KafkaAPIs.messages.map(\.name))
    func typedCodeWritesTheSchemaCodecsBytes(name: String) throws {
        let type = try #require(KafkaAPIs.messages.first { $0.name == name }?.type)
        let def = try #require(MessageDefinition.generated.first { $0.name == name })
        #expect(def.validVersions.lower == type.versions.lowerBound)
        #expect((def.validVersions.upper ?? def.validVersions.lower) == type.versions.upperBound)
        for version in type.versions {
            for round in 0..<3 {
                var seed = Int64(version) * 101 + Int64(round) * 7
                let value = MessageDefinitionTests.sample(def.fields, version: version, seed: &seed)
                var schemaBytes = ByteBuffer()
                MessageCodec.encode(value, def, version: version, into: &schemaBytes)
                var input = schemaBytes
                let typed = try type.init(version: version, from: &input)
                #expect(input.readableBytes == 0, "\(name) v\(version) left \(input.readableBytes) bytes")
                var typedBytes = ByteBuffer()
                typed.encode(version: version, into: &typedBytes)
                #expect(
                    Array(typedBytes.readableBytesView) == Array(schemaBytes.readableBytesView),
                    "\(name) v\(version) round \(round)")
            }
        }
    }

    /// A field set in Swift reaches the wire: DescribeConfigs v1 asks for synonyms, v0 has no such field.
    @Test func versionedFieldsFollowTheVersion() throws {
        let request = DescribeConfigsRequest(
            resources: [.init(resourceType: 2, resourceName: "orders", configurationKeys: nil)], includeSynonyms: true)
        var v0 = ByteBuffer()
        request.encode(version: 0, into: &v0)
        var v1 = ByteBuffer()
        request.encode(version: 1, into: &v1)
        // v0: count 1, type 2, "orders", null keys (-1). v1 adds the synonyms flag.
        #expect(
            Array(v0.readableBytesView) == [0, 0, 0, 1, 2, 0, 6] + Array("orders".utf8) + [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(Array(v1.readableBytesView) == Array(v0.readableBytesView) + [1])
        var back = v1
        let decoded = try DescribeConfigsRequest(version: 1, from: &back)
        #expect(decoded == request)
    }

    /// Kafka's text form of a topic id (the Java client's Uuid.toString) for known bytes.
    @Test func uuidPrintsAsKafkaDoes() {
        // Uuid(0x0123456789abcdef, 0xfedcba9876543210) in Java prints ASNFZ4mrze_-3LqYdlQyEA.
        #expect(
            KafkaUUID(high: 0x0123_4567_89ab_cdef, low: 0xfedc_ba98_7654_3210).description == "ASNFZ4mrze_-3LqYdlQyEA")
        #expect(KafkaUUID().description == "AAAAAAAAAAAAAAAAAAAAAA")
    }
}
