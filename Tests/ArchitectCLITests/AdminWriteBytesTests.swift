import KafkaAdmin
import KafkaProtocol
import NIOCore
import Testing

/// Golden bytes for every request `apply` sends (the builders KafkaAdmin sends them through), at the version a
/// Kafka 4 broker is spoken to in (the highest both sides offer). The expected bytes are written here field by
/// field from Kafka's JSON schemas (Tests/Fixtures/kafka-message-schemas; compact strings and arrays are
/// length + 1 as unsigned varints, every flexible struct ends with an empty tagged-field section, 0x00), and
/// the schema-driven codec (MessageCodec, built from those schemas) must read the same values back out of them.
@Suite struct AdminWriteBytesTests {
    // A tiny writer for the expected bytes, independent of KafkaProtocol's encoders.
    static func cs(_ s: String) -> [UInt8] { [UInt8(s.utf8.count + 1)] + Array(s.utf8) }
    static func i32(_ v: Int32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian, Array.init) }
    static func i16(_ v: Int16) -> [UInt8] { withUnsafeBytes(of: v.bigEndian, Array.init) }
    static func f64(_ v: Double) -> [UInt8] { withUnsafeBytes(of: v.bitPattern.bigEndian, Array.init) }
    static let tags: [UInt8] = [0]
    static func array(_ n: Int) -> [UInt8] { [UInt8(n + 1)] }

    static func encoded<R: KafkaRequest>(_ r: R, _ version: Int16) -> [UInt8] {
        var b = ByteBuffer()
        r.encode(version: version, into: &b)
        return Array(b.readableBytesView)
    }

    static func decoded(_ d: MessageDefinition, _ version: Int16, _ bytes: [UInt8]) throws -> KafkaValue {
        var b = ByteBuffer(bytes: bytes)
        let v = try MessageCodec.decode(d, version: version, from: &b)
        #expect(b.readableBytes == 0, "\(d.name) v\(version): bytes left over")
        return .structure(v)
    }

    static let binding = AclBinding(
        resourceType: "Topic", resourceName: "lab.results", patternType: "Prefixed", principal: "User:lims",
        host: "*", operation: "Read", permission: "Allow")

    @Test func createTopicsV7() throws {
        let r = KafkaAdmin.createTopicRequest(
            name: "lab.results", partitions: 6, replicationFactor: 3,
            configs: ["retention.ms": "86400000", "cleanup.policy": "compact"])
        #expect(CreateTopicsRequest.versions.upperBound == 7)
        let expected: [UInt8] =
            Self.array(1) + Self.cs("lab.results") + Self.i32(6) + Self.i16(3) + Self.array(0) + Self.array(2)
            + Self.cs("cleanup.policy") + Self.cs("compact") + Self.tags + Self.cs("retention.ms")
            + Self.cs("86400000") + Self.tags + Self.tags + Self.i32(30_000) + [0] + Self.tags
        #expect(Self.encoded(r, 7) == expected)
        let v = try Self.decoded(.createTopicsRequest, 7, expected)
        let t = try #require(v["Topics"]?.array?.first)
        #expect(t["Name"]?.string == "lab.results")
        #expect(t["NumPartitions"]?.int == 6)
        #expect(t["ReplicationFactor"]?.int == 3)
        #expect(t["Configs"]?.array?.compactMap { $0["Name"]?.string } == ["cleanup.policy", "retention.ms"])
        #expect(v["timeoutMs"]?.int == 30_000)
        #expect(v["validateOnly"]?.bool == false)
    }

    @Test func createPartitionsV3() throws {
        let r = KafkaAdmin.createPartitionsRequest(topic: "lab.results", count: 12)
        #expect(CreatePartitionsRequest.versions.upperBound == 3)
        // Assignments is nullable: null (0x00) lets the broker place the new replicas.
        let expected: [UInt8] =
            Self.array(1) + Self.cs("lab.results") + Self.i32(12) + [0] + Self.tags + Self.i32(30_000) + [0]
            + Self.tags
        #expect(Self.encoded(r, 3) == expected)
        let v = try Self.decoded(.createPartitionsRequest, 3, expected)
        #expect(v["Topics"]?.array?.first?["Count"]?.int == 12)
    }

    @Test func incrementalAlterConfigsV1() throws {
        let r = KafkaAdmin.setTopicConfigRequest(topic: "lab.results", key: "retention.ms", value: "172800000")
        #expect(IncrementalAlterConfigsRequest.versions.upperBound == 1)
        // Resource type 2 is a topic; operation 0 is SET.
        let expected: [UInt8] =
            Self.array(1) + [2] + Self.cs("lab.results") + Self.array(1) + Self.cs("retention.ms") + [0]
            + Self.cs("172800000") + Self.tags + Self.tags + [0] + Self.tags
        #expect(Self.encoded(r, 1) == expected)
        let v = try Self.decoded(.incrementalAlterConfigsRequest, 1, expected)
        let c = try #require(v["Resources"]?.array?.first?["Configs"]?.array?.first)
        #expect(c["ConfigOperation"]?.int == 0)
        #expect(c["Value"]?.string == "172800000")
    }

    /// A reset (`--prune` of a key the file leaves out) is operation 1, DELETE, with a null value.
    @Test func incrementalAlterConfigsDeleteV1() throws {
        let r = KafkaAdmin.setTopicConfigRequest(topic: "lab.results", key: "retention.ms", value: nil)
        // A null compact string is length 0.
        let expected: [UInt8] =
            Self.array(1) + [2] + Self.cs("lab.results") + Self.array(1) + Self.cs("retention.ms") + [1] + [0]
            + Self.tags + Self.tags + [0] + Self.tags
        #expect(Self.encoded(r, 1) == expected)
        let v = try Self.decoded(.incrementalAlterConfigsRequest, 1, expected)
        let c = try #require(v["Resources"]?.array?.first?["Configs"]?.array?.first)
        #expect(c["ConfigOperation"]?.int == 1)
        #expect(c["Value"] == .string(nil))
    }

    @Test func deleteTopicsV6AndV5() throws {
        let r = KafkaAdmin.deleteTopicRequest("lab.old")
        #expect(DeleteTopicsRequest.versions.upperBound == 6)
        // v6 names topics in Topics (name + a zero topic id); v5 in TopicNames.
        let v6: [UInt8] =
            Self.array(1) + Self.cs("lab.old") + [UInt8](repeating: 0, count: 16) + Self.tags + Self.i32(30_000)
            + Self.tags
        #expect(Self.encoded(r, 6) == v6)
        #expect(try Self.decoded(.deleteTopicsRequest, 6, v6)["Topics"]?.array?.first?["Name"]?.string == "lab.old")
        let v5: [UInt8] = Self.array(1) + Self.cs("lab.old") + Self.i32(30_000) + Self.tags
        #expect(Self.encoded(r, 5) == v5)
        #expect(try Self.decoded(.deleteTopicsRequest, 5, v5)["TopicNames"]?.array?.first?.string == "lab.old")
    }

    @Test func createAndDeleteAclsV3() throws {
        let create = try #require(KafkaAdmin.createAclRequest(Self.binding))
        // Topic 2, Prefixed 4, Read 3, Allow 3 (Kafka's AclOperation, PatternType, AclPermissionType codes).
        let body: [UInt8] = [2] + Self.cs("lab.results") + [4] + Self.cs("User:lims") + Self.cs("*") + [3, 3]
        let expected = Self.array(1) + body + Self.tags + Self.tags
        #expect(Self.encoded(create, 3) == expected)
        let c = try #require(try Self.decoded(.createAclsRequest, 3, expected)["Creations"]?.array?.first)
        #expect(c["Principal"]?.string == "User:lims")
        #expect(c["ResourcePatternType"]?.int == 4)
        let delete = try #require(KafkaAdmin.deleteAclRequest(Self.binding))
        // The same fields as a filter: exact values, so it deletes that one binding and nothing else.
        #expect(Self.encoded(delete, 3) == expected)
        let f = try #require(try Self.decoded(.deleteAclsRequest, 3, expected)["Filters"]?.array?.first)
        #expect(f["ResourceNameFilter"]?.string == "lab.results")
        #expect(f["HostFilter"]?.string == "*")
    }

    @Test func alterClientQuotasV1() throws {
        let set = KafkaAdmin.setClientQuotaRequest(
            entity: ["user": "lims", "client-id": nil], key: "producer_byte_rate", value: 1_048_576)
        // Entity types in name order; the default client id is a null name (0x00).
        let expected: [UInt8] =
            Self.array(1) + Self.array(2) + Self.cs("client-id") + [0] + Self.tags + Self.cs("user") + Self.cs("lims")
            + Self.tags + Self.array(1) + Self.cs("producer_byte_rate") + Self.f64(1_048_576) + [0] + Self.tags
            + Self.tags + [0] + Self.tags
        #expect(Self.encoded(set, 1) == expected)
        let e = try #require(try Self.decoded(.alterClientQuotasRequest, 1, expected)["Entries"]?.array?.first)
        #expect(e["Entity"]?.array?.first?["EntityName"] == .string(nil))
        #expect(e["Ops"]?.array?.first?["Remove"]?.bool == false)
        let remove = KafkaAdmin.setClientQuotaRequest(entity: ["user": "lims"], key: "request_percentage", value: nil)
        let removeOp = try #require(
            try Self.decoded(.alterClientQuotasRequest, 1, Self.encoded(remove, 1))["Entries"]?.array?.first?["Ops"]?
                .array?.first)
        #expect(removeOp["Remove"]?.bool == true)
    }
}
