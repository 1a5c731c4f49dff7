import ArchitectCore
import Foundation

/// A schema skeleton per entity in its format, and the Schema Registry subjects that carry it.
///
/// - Avro (`.avsc`, the default), Protobuf (`.proto`, proto3) or JSON Schema (`.schema.json`, draft-07);
///   schemaless JSON entities get none (their consumers have dead-letter topics instead).
/// - Fields are the file's `fields`, typed as strings: the architecture file names fields but not their
///   types, so each skeleton says to set them before the first registration. The key field is required;
///   the others are optional (Avro: a union with null and a null default), so adding fields later stays
///   compatible.
/// - Subjects follow TopicNameStrategy (`<topic>-value`); retry and dead-letter topics carry the same
///   records, so they get the same schema. Compatibility comes from the entity (default BACKWARD).
/// - `schemas/register-schemas.sh` sets each subject's compatibility, then registers its schema, from CI:
///   outside development, clients never register (`auto.register.schemas=false`).
enum SchemaTarget {
    struct Subject {
        let name: String
        let entity: EntitySpec
        let file: String
    }

    static func files(_ r: DesignResult, _ a: Architecture) -> [GeneratedFile] {
        guard let d = a.design else { return [] }
        var files: [GeneratedFile] = []
        var subjects: [Subject] = []
        for e in d.entities where e.schema != .json {
            let path = "schemas/\(e.domain).\(e.name)\(fileExtension(e.schema))"
            files.append(GeneratedFile(path: path, contents: schema(e)))
            for t in r.topics where t.entity == e.reference {
                subjects.append(Subject(name: "\(t.name)-value", entity: e, file: path))
            }
        }
        guard !subjects.isEmpty else { return files }
        for s in subjects {
            files.append(
                GeneratedFile(
                    path: "schemas/registry/\(s.name).json",
                    contents: registration(s, schema: files.first { $0.path == s.file }?.contents ?? "")))
        }
        files.append(GeneratedFile(path: "schemas/register-schemas.sh", contents: script(subjects, a)))
        return files
    }

    static func fileExtension(_ f: SchemaFormat) -> String {
        switch f {
        case .avro: ".avsc"
        case .protobuf: ".proto"
        case .jsonSchema, .json: ".schema.json"
        }
    }

    static func registryType(_ f: SchemaFormat) -> String {
        switch f {
        case .avro: "AVRO"
        case .protobuf: "PROTOBUF"
        case .jsonSchema, .json: "JSON"
        }
    }

    /// A name Avro and Protobuf accept: letters, digits and `_`, not starting with a digit.
    static func identifier(_ s: String) -> String {
        var out = String(s.map { $0.isLetter && $0.isASCII || $0.isNumber && $0.isASCII || $0 == "_" ? $0 : "_" })
        if out.first?.isNumber ?? true { out = "_" + out }
        return out
    }

    /// The record or message name: the entity's name in PascalCase.
    static func typeName(_ e: EntitySpec) -> String {
        identifier(
            e.name.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map {
                $0.prefix(1).uppercased() + $0.dropFirst()
            }
            .joined())
    }

    /// The key first (required), then the other fields in the file's order.
    static func fields(_ e: EntitySpec) -> [(name: String, required: Bool)] {
        var out: [(String, Bool)] = []
        if let key = e.key { out.append((identifier(key), true)) }
        for f in e.fields where identifier(f) != out.first?.0 { out.append((identifier(f), false)) }
        return out
    }

    /// Text every skeleton carries until its types are set (the registration script looks for it).
    static let skeletonMarker = "typed as strings: set each field"

    static func doc(_ e: EntitySpec) -> String {
        "\(e.reference) (\(e.kind.rawValue)). Fields from the architecture file, typed as strings: set each field's type before the first registration."
    }

    static func schema(_ e: EntitySpec) -> String {
        switch e.schema {
        case .avro: avro(e)
        case .protobuf: proto(e)
        case .jsonSchema, .json: jsonSchema(e)
        }
    }

    static func json(_ object: Any) -> String {
        let data =
            (try? JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func avro(_ e: EntitySpec) -> String {
        let fields: [[String: Any]] = fields(e).map { f in
            f.required
                ? ["name": f.name, "type": "string", "doc": "the key"]
                : ["name": f.name, "type": ["null", "string"], "default": NSNull()]
        }
        return json([
            "type": "record", "name": typeName(e), "namespace": identifier(e.domain), "doc": doc(e), "fields": fields,
        ])
    }

    static func proto(_ e: EntitySpec) -> String {
        var lines = [
            "// \(Deliverables.header)", "// \(doc(e))", "syntax = \"proto3\";", "",
            "package \(identifier(e.domain));", "", "message \(typeName(e)) {",
        ]
        for (i, f) in fields(e).enumerated() {
            lines.append(
                "  \(f.required ? "" : "optional ")string \(f.name) = \(i + 1);\(f.required ? "  // the key" : "")")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    static func jsonSchema(_ e: EntitySpec) -> String {
        var properties: [String: Any] = [:]
        for f in fields(e) { properties[f.name] = ["type": f.required ? "string" : ["string", "null"]] }
        var schema: [String: Any] = [
            "$schema": "http://json-schema.org/draft-07/schema#", "title": typeName(e), "description": doc(e),
            "type": "object", "properties": properties,
        ]
        if let key = fields(e).first(where: \.required) { schema["required"] = [key.name] }
        return json(schema)
    }

    /// The body of POST /subjects/{subject}/versions.
    static func registration(_ s: Subject, schema: String) -> String {
        var body: [String: Any] = ["schema": schema]
        if s.entity.schema != .avro { body["schemaType"] = registryType(s.entity.schema) }  // AVRO is the default
        return json(body)
    }

    // Long because: a shell script's lines, one per line.
    static func script(_ subjects: [Subject], _ a: Architecture) -> String {
        var lines = [
            "#!/usr/bin/env bash",
            "# \(Deliverables.header)",
            "# Sets each subject's compatibility, then registers its schema (TopicNameStrategy: <topic>-value;",
            "# retry and dead-letter topics carry the same records, so they get the same schema). Run it from CI",
            "# before deploying: \(a.environment.stage == .development ? "in development clients may also register (auto.register.schemas=true)" : "clients never register (auto.register.schemas=false) and serialize with the latest version")",
            "# A schema the registry finds incompatible with the subject's latest version is refused (HTTP 409):",
            "# the script stops there. Registering the same schema again is harmless.",
            "# Needs SCHEMA_REGISTRY_URL; SCHEMA_REGISTRY_AUTH (user:password) if the registry asks for it, passed",
            "# to curl on standard input, never on its command line.",
            "# It refuses a generated skeleton whose fields are still all strings (registered under a strict",
            "# compatibility, wrong types could never be corrected): set the types in the schema files and in",
            "# registry/*.json first, or set ALLOW_SKELETON_SCHEMAS=1 for a development registry.",
            "set -euo pipefail",
            ": \"${SCHEMA_REGISTRY_URL:?set SCHEMA_REGISTRY_URL to the Schema Registry URL}\"",
            "cd \"$(dirname \"$0\")\"",
            "",
            "# registry METHOD PATH DATA: one request; DATA is JSON or @file.",
            "registry() {",
            "  local args=(-fsS -X \"$1\" -H 'Content-Type: application/vnd.schemaregistry.v1+json' --data \"$3\" \"${SCHEMA_REGISTRY_URL%/}$2\")",
            "  if [ -n \"${SCHEMA_REGISTRY_AUTH:-}\" ]; then",
            "    printf 'user = \"%s\"\\n' \"$SCHEMA_REGISTRY_AUTH\" | curl -K - \"${args[@]}\"",
            "  else",
            "    curl \"${args[@]}\"",
            "  fi",
            "  echo",
            "}",
            "",
            "# subject NAME COMPATIBILITY FILE",
            "subject() {",
            "  if grep -q '\(skeletonMarker)' \"$3\" && [ \"${ALLOW_SKELETON_SCHEMAS:-}\" != 1 ]; then",
            "    echo \"register-schemas.sh: $3 is still the generated skeleton (every field a string); set its field types first\" >&2",
            "    exit 2",
            "  fi",
            "  echo \"$1: compatibility $2\"",
            "  registry PUT \"/config/$1\" \"{\\\"compatibility\\\": \\\"$2\\\"}\"",
            "  echo \"$1: registering $3\"",
            "  registry POST \"/subjects/$1/versions\" \"@$3\"",
            "}",
            "",
        ]
        for s in subjects {
            lines.append("subject '\(s.name)' \(s.entity.compatibility.rawValue) 'registry/\(s.name).json'")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
