import ArchitectCore
import ArchitectFile
import ArchitectReports
import Foundation

/// Configuration files for `lint`: Java properties (ISO-8859-1, as Kafka reads them), librdkafka
/// files, Strimzi resources and architecture files. A file that cannot be read or parsed becomes a
/// `LintInputError`, reported beside the other files' findings.
enum ConfigInput {
    static func load(_ file: String, kind: ConfigKind?) -> Result<[ConfigUnit], LintInputError> {
        guard let data = FileManager.default.contents(atPath: file) else {
            let exists = FileManager.default.fileExists(atPath: file)
            return .failure(
                LintInputError(
                    file: file, line: 0,
                    message: exists ? "cannot be read (a directory, or no permission)" : "no such file"))
        }
        if data.prefix(8192).contains(0) {
            return .failure(LintInputError(file: file, line: 0, message: "binary file, not a configuration"))
        }
        let lower = file.lowercased()
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            guard let text = String(data: data, encoding: .utf8) else {
                return .failure(LintInputError(file: file, line: 0, message: "YAML must be UTF-8"))
            }
            let parsed: Result<[ConfigUnit], ArchitectureFileError> =
                ConfigSources.isStrimzi(text)
                ? Result { () throws(ArchitectureFileError) in try ConfigSources.strimzi(text, file: file) }
                : Result { () throws(ArchitectureFileError) in try ConfigSources.architecture(text, file: file) }
            return parsed.mapError { e in
                LintInputError(
                    file: file, line: e.line, message: e.field.isEmpty ? e.message : "\(e.field): \(e.message)")
            }
        }
        let text = PropertiesParser.latin1(data)
        return Result { () throws(PropertiesParseError) in try PropertiesParser.parse(text) }
            .map { [ConfigUnit.fromProperties($0, file: file, kind: kind)] }
            .mapError { LintInputError(file: file, line: $0.line, message: $0.message) }
    }
}
