import ArchitectCore
import Foundation

/// A file that could not be read or parsed: reported beside the findings of the other files.
public struct LintInputError: Error, Sendable, Equatable {
    public let file: String
    public let line: Int
    public let message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

public struct LintRenderer {
    public static let toolVersion = "0.1.0"
    public var color: Bool

    public init(color: Bool = false) { self.color = color }

    /// `file:line: severity [ID] message`, then the fix, one finding after another.
    public func text(_ findings: [LintFinding], errors: [LintInputError], filesChecked: Int) -> String {
        var out: [String] = errors.map { paint("\($0.description)", "31") }
        for f in findings {
            let subject = f.name.map { " (\($0))" } ?? ""
            out.append(
                "\(f.file):\(f.line): \(paint(f.severity.rawValue, f.severity == .error ? "31" : (f.severity == .warning ? "33" : "36"))) [\(f.ruleId)] \(f.message)\(subject)"
            )
            out.append("    fix: \(f.fix)")
        }
        let counts = LintSeverity.allCases.reversed().map { s -> String in
            let n = findings.filter { $0.severity == s }.count
            return "\(n) \(s.rawValue)\(s == .info || n == 1 ? "" : "s")"
        }
        out.append(
            "\(filesChecked) file\(filesChecked == 1 ? "" : "s") checked: \(counts.joined(separator: ", "))\(errors.isEmpty ? "" : ", \(errors.count) unreadable")"
        )
        return out.joined(separator: "\n") + "\n"
    }

    public func json(_ findings: [LintFinding], errors: [LintInputError], filesChecked: Int) throws -> String {
        struct Finding: Encodable {
            let ruleId, severity, file: String
            let line: Int
            let name: String?
            let configs: [String]
            let message, fix: String
        }
        struct Failure: Encodable {
            let file: String
            let line: Int
            let message: String
        }
        struct Summary: Encodable {
            let files: Int
            let errors, warnings, infos: Int
        }
        struct Doc: Encodable {
            let findings: [Finding]
            let inputErrors: [Failure]
            let summary: Summary
        }
        let doc = Doc(
            findings: findings.map {
                Finding(
                    ruleId: $0.ruleId, severity: $0.severity.rawValue, file: $0.file, line: $0.line, name: $0.name,
                    configs: $0.configs, message: $0.message, fix: $0.fix)
            },
            inputErrors: errors.map { Failure(file: $0.file, line: $0.line, message: $0.message) },
            summary: Summary(
                files: filesChecked, errors: findings.filter { $0.severity == .error }.count,
                warnings: findings.filter { $0.severity == .warning }.count,
                infos: findings.filter { $0.severity == .info }.count))
        return try encode(doc)
    }

    /// SARIF 2.1.0 with rule metadata, so code scanning shows findings inline.
    struct Text: Encodable { let text: String }
    struct Config: Encodable { let level: String }
    struct RuleProps: Encodable {
        let category: String
        let keys: [String]
        let tags: [String]
    }
    struct Rule: Encodable {
        let id, name: String
        let shortDescription, fullDescription: Text
        let helpUri: String
        let help: Text
        let defaultConfiguration: Config
        let properties: RuleProps
    }
    struct Driver: Encodable {
        let name, version, informationUri: String
        let rules: [Rule]
    }
    struct Tool: Encodable { let driver: Driver }
    struct Artifact: Encodable { let uri: String }
    struct Region: Encodable { let startLine: Int }
    struct Physical: Encodable {
        let artifactLocation: Artifact
        let region: Region
    }
    struct Location: Encodable { let physicalLocation: Physical }
    struct Result: Encodable {
        let ruleId: String
        let ruleIndex: Int?
        let level: String
        let message: Text
        let locations: [Location]
    }
    struct Notification: Encodable {
        let level: String
        let message: Text
        let locations: [Location]
    }
    struct Invocation: Encodable {
        let executionSuccessful: Bool
        let toolExecutionNotifications: [Notification]
    }
    struct Run: Encodable {
        let tool: Tool
        let results: [Result]
        let invocations: [Invocation]
    }
    struct Log: Encodable {
        let schema = "https://json.schemastore.org/sarif-2.1.0.json"
        let version = "2.1.0"
        let runs: [Run]
        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case version, runs
        }
    }

    public func sarif(_ findings: [LintFinding], errors: [LintInputError], rules: [LintRule], profile: LintProfile)
        throws -> String
    {
        func level(_ s: LintSeverity) -> String { s == .error ? "error" : (s == .warning ? "warning" : "note") }
        let ruleMeta = rules.map { r in
            Rule(
                id: r.id, name: r.title.replacingOccurrences(of: " ", with: ""), shortDescription: Text(text: r.title),
                fullDescription: Text(text: r.rationale),
                helpUri: r.documentation, help: Text(text: "\(r.rationale) Fix: \(r.fix)"),
                defaultConfiguration: Config(level: level(r.severity(for: profile) ?? r.severity)),
                properties: RuleProps(
                    category: r.category.rawValue, keys: r.keys, tags: ["kafka", r.category.rawValue]))
        }
        let index = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        let results = findings.map { f in
            Result(
                ruleId: f.ruleId, ruleIndex: index[f.ruleId], level: level(f.severity),
                message: Text(text: "\(f.message)\(f.name.map { " (\($0))" } ?? ""). Fix: \(f.fix)"),
                locations: [
                    Location(
                        physicalLocation: Physical(
                            artifactLocation: Artifact(uri: f.file), region: Region(startLine: max(1, f.line))))
                ])
        }
        let notes = errors.map { e in
            Notification(
                level: "error", message: Text(text: e.message),
                locations: [
                    Location(
                        physicalLocation: Physical(
                            artifactLocation: Artifact(uri: e.file), region: Region(startLine: max(1, e.line))))
                ])
        }
        let log = Log(runs: [
            Run(
                tool: Tool(
                    driver: Driver(
                        name: "kafka-architect", version: Self.toolVersion,
                        informationUri: "https://kafka.apache.org/documentation/#configuration", rules: ruleMeta)),
                results: results,
                invocations: [Invocation(executionSuccessful: errors.isEmpty, toolExecutionNotifications: notes)])
        ])
        return try encode(log)
    }

    func encode<T: Encodable>(_ value: T) throws -> String {
        try ReportJSON.encode(value)
    }

    func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
}
