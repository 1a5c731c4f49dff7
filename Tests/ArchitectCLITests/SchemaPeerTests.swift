import ArchitectCore
import ArchitectFile
import Foundation
import Testing

/// Schema skeletons and their registration (issue 12, defect 9): each file checked by its format's own
/// implementation, the registration script run against a stand-in registry, and the client configs'
/// serializers matched against the formats the architecture file gives each entity.
@Suite(.serialized) struct SchemaPeerTests {
    static func generate(_ example: String = "examples/ecommerce.yaml") throws -> URL {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ka-schemas-\(UUID().uuidString)")
        let r = try CLIRunner.run(["generate", example, "--target", "all", "--out", out.path])
        try #require(r.status == 0, "\(r.stderr)")
        return out
    }

    static func architecture(_ example: String = "examples/ecommerce.yaml") throws -> Architecture {
        let path = CLIRunner.packageRoot.appendingPathComponent(example).path
        return try ArchitectureFile.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
    }

    @Test(
        .requires(.python("avro"), .python("jsonschema"), .protoc),
        arguments: ["examples/ecommerce.yaml", "examples/vehicle-telemetry.yaml", "examples/payments.yaml"])
    func everyEntityHasASchemaItsFormatAccepts(example: String) throws {
        guard Peer.protoc.isAvailable, Peers.pythonHas("avro") else {
            return Peers.missing("protoc (protobuf-compiler) and python avro")
        }
        let out = try Self.generate(example)
        defer { try? FileManager.default.removeItem(at: out) }
        let a = try Self.architecture(example)
        let dir = out.appendingPathComponent("schemas")
        var expected: [String] = []
        for e in try #require(a.design).entities where e.schema != .json {
            let ext = [SchemaFormat.avro: ".avsc", .protobuf: ".proto", .jsonSchema: ".schema.json"][e.schema]!
            expected.append(dir.appendingPathComponent("\(e.domain).\(e.name)\(ext)").path)
        }
        #expect(!expected.isEmpty)
        for path in expected { #expect(FileManager.default.fileExists(atPath: path), "\(path) missing") }
        let r = try Peers.run("python3", [Peers.script.appendingPathComponent("check_schemas.py").path] + expected)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        // The checker is not a rubber stamp: a broken Avro schema is refused.
        let broken = out.appendingPathComponent("broken.avsc")
        try #"{"type": "record", "name": "x", "fields": [{"name": "a", "type": "strnig"}]}"#.write(
            to: broken, atomically: true, encoding: .utf8)
        let bad = try Peers.run("python3", [Peers.script.appendingPathComponent("check_schemas.py").path, broken.path])
        #expect(bad.status == 1)
    }

    @Test(.requires(.python("http.server"))) func registrationSetsCompatibilityThenRegistersEachSubject() throws {
        let out = try Self.generate()
        defer { try? FileManager.default.removeItem(at: out) }
        let a = try Self.architecture()
        let r = try DesignAdvisor.derive(a)
        // Unedited skeletons are refused before anything is sent.
        let refused = try Peers.run(
            "python3",
            [
                Peers.script.appendingPathComponent("run_with_stub_registry.py").path,
                out.appendingPathComponent("schemas/register-schemas.sh").path,
            ])
        let none = try CLIRunner.json(refused.stdout)
        #expect(none["status"] as? Int == 2 && (none["requests"] as? [Any])?.isEmpty == true, "\(none)")
        #expect((none["stderr"] as? String)?.contains("still the generated skeleton") == true)
        let run = try Peers.run(
            "env",
            [
                "SCHEMA_REGISTRY_AUTH=ci-user:s3cret:with:colons", "ALLOW_SKELETON_SCHEMAS=1", "python3",
                Peers.script.appendingPathComponent("run_with_stub_registry.py").path,
                out.appendingPathComponent("schemas/register-schemas.sh").path,
            ])
        let doc = try CLIRunner.json(run.stdout)
        #expect(doc["status"] as? Int == 0, "\(doc["stderr"] ?? "")")
        let requests = try #require(doc["requests"] as? [[String: Any]])
        // Every topic of an entity with a registry format: its subject, its compatibility, its schema.
        let design = try #require(a.design)
        var subjects = 0
        for t in r.topics {
            let e = try #require(design.entities.first { $0.reference == t.entity })
            guard e.schema != .json else { continue }
            subjects += 1
            let subject = "\(t.name)-value"
            let config = requests.firstIndex {
                $0["method"] as? String == "PUT" && $0["path"] as? String == "/config/\(subject)"
            }
            let version = requests.firstIndex {
                $0["method"] as? String == "POST" && $0["path"] as? String == "/subjects/\(subject)/versions"
            }
            let (c, v) = (try #require(config, "\(subject) compatibility"), try #require(version, "\(subject) schema"))
            #expect(c < v, "compatibility is set before the first registration")
            let compatibility = try CLIRunner.json(requests[c]["body"] as? String ?? "")["compatibility"] as? String
            #expect(compatibility == e.compatibility.rawValue)
            let body = try CLIRunner.json(requests[v]["body"] as? String ?? "")
            let ext = [SchemaFormat.avro: ".avsc", .protobuf: ".proto", .jsonSchema: ".schema.json"][e.schema]!
            let file = try String(
                contentsOf: out.appendingPathComponent("schemas/\(e.domain).\(e.name)\(ext)"), encoding: .utf8)
            #expect(body["schema"] as? String == file, "\(subject)")
            let type = [SchemaFormat.avro: nil, .protobuf: "PROTOBUF", .jsonSchema: "JSON"][e.schema]!
            #expect(body["schemaType"] as? String == type, "\(subject)")
        }
        #expect(requests.count == subjects * 2 && subjects >= 5)
        #expect(requests.allSatisfy { $0["authorization"] as? String == "ci-user:s3cret:with:colons" })
        #expect(requests.allSatisfy { $0["contentType"] as? String == "application/vnd.schemaregistry.v1+json" })
    }

    /// The value (de)serializer of every client follows the format of the entities it writes or reads;
    /// clients register nothing outside development.
    @Test(arguments: [Stage.production, .development]) func clientsSerializeInTheirEntitiesFormat(stage: Stage) throws {
        var a = try Self.architecture()
        a.environment.stage = stage
        let r = try DesignAdvisor.derive(a)
        let design = try #require(a.design)
        let serializer: [SchemaFormat: String] = [
            .avro: "io.confluent.kafka.serializers.KafkaAvroSerializer",
            .protobuf: "io.confluent.kafka.serializers.protobuf.KafkaProtobufSerializer",
            .jsonSchema: "io.confluent.kafka.serializers.json.KafkaJsonSchemaSerializer",
            .json: "org.apache.kafka.common.serialization.ByteArraySerializer",
        ]
        var checked = 0
        for c in r.clientConfigs {
            let s = try #require(design.services.first { $0.name == c.service })
            let uses = c.role == .producer ? s.produces : s.consumes
            let formats = Set(uses.compactMap { design.entity(for: $0.stream)?.schema })
            guard formats.count == 1, let format = formats.first else { continue }
            let props = Dictionary(c.properties.map { ($0.key, $0.value) }, uniquingKeysWith: { x, _ in x })
            let key = c.role == .producer ? "value.serializer" : "value.deserializer"
            let want = serializer[format]!.replacingOccurrences(
                of: "Serializer", with: c.role == .producer ? "Serializer" : "Deserializer")
            #expect(props[key] == want, "\(c.service) \(c.role)")
            if format != .json { #expect(props["schema.registry.url"] == "${env:SCHEMA_REGISTRY_URL}") }
            if c.role == .producer && format != .json {
                #expect(props["auto.register.schemas"] == (stage == .development ? "true" : "false"))
            }
            checked += 1
        }
        #expect(checked >= 6)
    }
}
