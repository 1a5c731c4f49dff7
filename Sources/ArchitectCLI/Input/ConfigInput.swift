import ArchitectCore
import ArchitectFile
import ArchitectReports
import Foundation

/// Configuration files for `lint`: Java properties (ISO-8859-1, as Kafka reads them), librdkafka
/// files, YAML (Strimzi and other Kubernetes resources, architecture files), Connect REST JSON and
/// shell scripts that create topics. A file or document that cannot be read or parsed becomes a
/// `LintInputError`; one that is not a Kafka configuration becomes a notice; the rest are reviewed.
enum ConfigInput {
    struct Loaded {
        var units: [ConfigUnit] = []
        var notices: [LintNotice] = []
        var errors: [LintInputError] = []
        var statefulApplications: [String] = []
    }

    static func load(_ file: String, kind: ConfigKind?) -> Loaded {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), isDirectory.boolValue {
            return Loaded(errors: [
                LintInputError(file: file, line: 0, message: "is a directory; pass its files, e.g. \(file)/*.yaml")
            ])
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            let exists = FileManager.default.fileExists(atPath: file)
            return Loaded(errors: [
                LintInputError(file: file, line: 0, message: exists ? "cannot be read (no permission)" : "no such file")
            ])
        }
        if data.prefix(8192).contains(0) {
            return Loaded(errors: [LintInputError(file: file, line: 0, message: "binary file, not a configuration")])
        }
        let lower = file.lowercased()
        // JSON under another name (connector.config, trogdor.conf) is read as JSON.
        let firstByte = data.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        let isJSON = lower.hasSuffix(".json") || firstByte == UInt8(ascii: "{")
        let structured = isJSON || [".yaml", ".yml"].contains { lower.hasSuffix($0) }
        let isScript = lower.hasSuffix(".sh") || lower.hasSuffix(".bash") || data.starts(with: Array("#!".utf8))
        if structured || isScript {
            guard let text = String(data: data, encoding: .utf8) else {
                return Loaded(errors: [LintInputError(file: file, line: 0, message: "must be UTF-8")])
            }
            let load =
                isScript
                ? ConfigSources.script(text, file: file)
                : isJSON ? ConfigSources.json(text, file: file) : ConfigSources.yaml(text, file: file)
            return Loaded(
                units: load.units.map { u in kind.map { forced(u, $0) } ?? u }, notices: load.notices,
                errors: load.errors.map { e in
                    LintInputError(
                        file: file, line: e.line, message: e.field.isEmpty ? e.message : "\(e.field): \(e.message)")
                }, statefulApplications: load.statefulApplications)
        }
        return properties(PropertiesParser.latin1(data), file: file, kind: kind)
    }

    /// A properties file: reviewed as the kind given or detected, or skipped with a notice when it
    /// is not a Kafka configuration (log4j, ZooKeeper, no Kafka key at all).
    static func properties(_ text: String, file: String, kind: ConfigKind?) -> Loaded {
        let document: PropertiesDocument
        do {
            document = try PropertiesParser.parse(text)
        } catch {
            return Loaded(errors: [LintInputError(file: file, line: error.line, message: error.message)])
        }
        if kind != nil { return Loaded(units: [ConfigUnit.fromProperties(document, file: file, kind: kind)]) }
        let keys = Set(document.entries.map { e in LibrdkafkaNames.javaName[e.key] ?? e.key })
        switch KindDetector.detect(keys, file: file) {
        case .notKafka(let what):
            return Loaded(notices: [
                LintNotice(
                    file: file, line: 0,
                    message: "not a Kafka configuration: \(what); skipped (--kind reviews it anyway)")
            ])
        case .kind(let detected, let why):
            var unit = ConfigUnit.fromProperties(document, file: file, kind: detected)
            unit.detectedFrom = why
            return Loaded(units: [unit])
        }
    }

    static func forced(_ unit: ConfigUnit, _ kind: ConfigKind) -> ConfigUnit {
        var u = unit
        u.kind = kind
        u.detectedFrom = "--kind"
        return u
    }
}
