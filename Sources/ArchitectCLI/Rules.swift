import ArchitectCore
import ArgumentParser
import Foundation

extension KafkaArchitect {
    /// `kafka-architect rules [ID]`: the configuration-review catalog.
    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the configuration-review rules, or explain one.",
            discussion: """
                Examples:
                  kafka-architect rules
                  kafka-architect rules KA-DUR-001
                  kafka-architect rules --format json
                """
        )

        @Argument(help: "A rule ID to explain.") var id: String?
        @Option(help: "Output: text or json.") var format: ListingFormat = .text

        func validate() throws {
            if let id, LintRules.rule(id) == nil { throw ValidationError("'\(id)' is not a rule ID; run `kafka-architect rules` for the list") }
        }

        func run() throws {
            let rules = id.map { [LintRules.rule($0)!] } ?? LintRules.all
            if format == .json {
                struct Doc: Encodable {
                    let id, title, category, severity, rationale, fix, documentation: String
                    let kinds, keys: [String]; let profiles: [String: String]
                }
                let docs = rules.map { r in
                    Doc(id: r.id, title: r.title, category: r.category.rawValue, severity: r.severity.rawValue, rationale: r.rationale, fix: r.fix,
                        documentation: r.documentation, kinds: r.kinds.map(\.rawValue).sorted(), keys: r.keys,
                        profiles: Dictionary(uniqueKeysWithValues: LintProfile.allCases.map { ($0.rawValue, r.severity(for: $0)?.rawValue ?? "off") }))
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                Terminal.writeOut(String(decoding: try encoder.encode(docs), as: UTF8.self) + "\n")
                return
            }
            if let r = rules.first, id != nil {
                var out = ["\(r.id)  \(r.title)", "  category: \(r.category.rawValue); severity: \(r.severity.rawValue) (balanced)"]
                out.append("  profiles: " + LintProfile.allCases.map { "\($0.rawValue) \(r.severity(for: $0)?.rawValue ?? "off")" }.joined(separator: ", "))
                out.append("  applies to: \(r.kinds.map(\.rawValue).sorted().joined(separator: ", "))")
                if !r.keys.isEmpty { out.append("  reads: \(r.keys.joined(separator: ", "))") }
                out.append("")
                out.append("Why: \(r.rationale)")
                out.append("Fix: \(r.fix)")
                out.append("Docs: \(r.documentation)")
                out.append("")
                out.append("Fires on:")
                for d in r.fires.documents { out.append(contentsOf: d.text.split(separator: "\n").map { "  [\(d.kind.rawValue)] \($0)" }) }
                out.append("Passes:")
                for d in r.passes.documents { out.append(contentsOf: d.text.split(separator: "\n").map { "  [\(d.kind.rawValue)] \($0)" }) }
                Terminal.writeOut(out.joined(separator: "\n") + "\n")
                return
            }
            var out: [String] = []
            for category in LintCategory.allCases {
                out.append(category.rawValue.capitalized)
                for r in rules where r.category == category {
                    out.append("  \(r.id.padding(toLength: 12, withPad: " ", startingAt: 0)) \(r.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(r.title)")
                }
            }
            out.append("\(rules.count) rules. Explain one: kafka-architect rules KA-DUR-001")
            Terminal.writeOut(out.joined(separator: "\n") + "\n")
        }
    }
}
