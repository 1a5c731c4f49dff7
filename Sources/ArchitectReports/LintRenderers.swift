import ArchitectCore
import Foundation

/// A file or document that could not be read or parsed: reported beside the findings of the
/// other files. The same file-line-message record as a notice, but an error (exit 2).
public typealias LintInputError = LintNotice

/// Everything one `lint` run found and read.
public struct LintReport: Sendable {
    public var findings: [LintFinding]
    /// The configurations reviewed, in input order.
    public var reviewed: [ConfigUnit]
    public var notices: [LintNotice]
    public var errors: [LintInputError]
    public var filesChecked: Int

    public init(
        findings: [LintFinding], reviewed: [ConfigUnit] = [], notices: [LintNotice] = [],
        errors: [LintInputError] = [], filesChecked: Int
    ) {
        self.findings = findings
        self.reviewed = reviewed
        self.notices = notices
        self.errors = errors
        self.filesChecked = filesChecked
    }

    /// One line per file: what it was reviewed as.
    var kindsByFile: [(file: String, summary: String)] {
        var order: [String] = []
        var byFile: [String: [ConfigUnit]] = [:]
        for u in reviewed {
            if byFile[u.file] == nil { order.append(u.file) }
            byFile[u.file, default: []].append(u)
        }
        return order.map { file in
            let units = byFile[file] ?? []
            if units.count == 1, let u = units.first {
                return (file, "\(u.kind.rawValue)\(u.name.map { " '\($0)'" } ?? "") (\(u.detectedFrom))")
            }
            let parts = units.prefix(8).map { "\($0.name ?? "?") (\($0.kind.rawValue))" }
            return (
                file, "\(units.count) configurations: \(parts.joined(separator: ", "))\(units.count > 8 ? ", …" : "")"
            )
        }
    }
}

public struct LintRenderer {
    public static let toolVersion = "0.1.0"
    public var color: Bool

    public init(color: Bool = false) { self.color = color }

    /// What each file was reviewed as, the notices, then `file:line: severity [ID] message` and
    /// the fix, one finding after another (`file:` alone for a finding about the whole file).
    public func text(_ report: LintReport) -> String {
        var out: [String] = report.kindsByFile.map { "reviewed \($0.file) as \($0.summary)" }
        out += report.notices.map { paint("notice: \($0.description)", "36") }
        out += report.errors.map { paint("\($0.description)", "31") }
        for f in report.findings {
            let subject = f.name.map { " (\($0))" } ?? ""
            let place = f.line > 0 ? "\(f.file):\(f.line):" : "\(f.file):"
            out.append(
                "\(place) \(paint(f.severity.rawValue, f.severity == .error ? "31" : (f.severity == .warning ? "33" : "36"))) [\(f.ruleId)] \(f.message)\(subject)"
            )
            out.append("    fix: \(f.fix)")
        }
        let findings = report.findings
        let counts = LintSeverity.allCases.reversed().map { s -> String in
            let n = findings.filter { $0.severity == s }.count
            return "\(n) \(s.rawValue)\(s == .info || n == 1 ? "" : "s")"
        }
        let n = report.filesChecked
        let skipped = Set(report.notices.filter { $0.line == 0 }.map(\.file)).count
        out.append(
            "\(n) file\(n == 1 ? "" : "s") checked: \(counts.joined(separator: ", "))\(skipped > 0 ? ", \(skipped) skipped" : "")\(report.errors.isEmpty ? "" : ", \(report.errors.count) unreadable")"
        )
        return out.joined(separator: "\n") + "\n"
    }

    public func text(_ findings: [LintFinding], errors: [LintInputError], filesChecked: Int) -> String {
        text(LintReport(findings: findings, errors: errors, filesChecked: filesChecked))
    }

    // Long because: the JSON document's shape is declared next to the mapping that fills it.
    public func json(_ report: LintReport) throws -> String {
        struct Finding: Encodable {
            let ruleId, severity, file: String
            let line: Int
            let name: String?
            let kind: String
            let configs: [String]
            let message, fix: String
        }
        struct Place: Encodable {
            let file: String
            let line: Int
            let message: String
        }
        struct Reviewed: Encodable {
            let file: String
            let name: String?
            let kind, detectedFrom: String
        }
        struct Summary: Encodable {
            let files: Int
            let errors, warnings, infos: Int
        }
        struct Doc: Encodable {
            let findings: [Finding]
            let configurations: [Reviewed]
            let notices: [Place]
            let inputErrors: [Place]
            let summary: Summary
        }
        let findings = report.findings
        let doc = Doc(
            findings: findings.map {
                Finding(
                    ruleId: $0.ruleId, severity: $0.severity.rawValue, file: $0.file, line: $0.line, name: $0.name,
                    kind: $0.kind.rawValue, configs: $0.configs, message: $0.message, fix: $0.fix)
            },
            configurations: report.reviewed.map {
                Reviewed(file: $0.file, name: $0.name, kind: $0.kind.rawValue, detectedFrom: $0.detectedFrom)
            },
            notices: report.notices.map { Place(file: $0.file, line: $0.line, message: $0.message) },
            inputErrors: report.errors.map { Place(file: $0.file, line: $0.line, message: $0.message) },
            summary: Summary(
                files: report.filesChecked, errors: findings.filter { $0.severity == .error }.count,
                warnings: findings.filter { $0.severity == .warning }.count,
                infos: findings.filter { $0.severity == .info }.count))
        return try encode(doc)
    }

    public func json(_ findings: [LintFinding], errors: [LintInputError], filesChecked: Int) throws -> String {
        try json(LintReport(findings: findings, errors: errors, filesChecked: filesChecked))
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
        let region: Region?

        init(artifactLocation: Artifact, line: Int) {
            self.artifactLocation = artifactLocation
            self.region = line > 0 ? Region(startLine: line) : nil
        }
    }
    struct ResultProps: Encodable { let kind: String }
    struct Location: Encodable { let physicalLocation: Physical }
    struct Result: Encodable {
        let ruleId: String
        let ruleIndex: Int?
        let level: String
        let message: Text
        let locations: [Location]
        let properties: ResultProps
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
        try sarif(LintReport(findings: findings, errors: errors, filesChecked: 0), rules: rules, profile: profile)
    }

    // Long because: SARIF's nesting (run, tool, driver, rules, results, invocations) is built in one place.
    public func sarif(_ report: LintReport, rules: [LintRule], profile: LintProfile) throws -> String {
        let findings = report.findings
        let errors = report.errors
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
                            artifactLocation: Artifact(uri: f.file), line: f.line))
                ], properties: ResultProps(kind: f.kind.rawValue))
        }
        let notes =
            errors.map { e in
                Notification(
                    level: "error", message: Text(text: e.message),
                    locations: [
                        Location(physicalLocation: Physical(artifactLocation: Artifact(uri: e.file), line: e.line))
                    ])
            }
            + report.notices.map { n in
                Notification(
                    level: "note", message: Text(text: n.message),
                    locations: [
                        Location(physicalLocation: Physical(artifactLocation: Artifact(uri: n.file), line: n.line))
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
