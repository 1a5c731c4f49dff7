// `rules`: the configuration-review catalog, as a listing, one rule explained, or JSON.

import ArchitectCore
import Foundation

public struct RuleCatalogRenderer {
    public init() {}

    /// Every rule by category, one line each.
    public func listing(_ rules: [LintRule]) -> String {
        var out: [String] = []
        for category in LintCategory.allCases {
            out.append(category.rawValue.capitalized)
            for r in rules where r.category == category {
                let id = r.id.padding(toLength: 12, withPad: " ", startingAt: 0)
                let severity = r.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                out.append("  \(id) \(severity) \(r.title)")
            }
        }
        out.append("\(rules.count) rules. Explain one: kafka-architect rules KA-DUR-001")
        return out.joined(separator: "\n") + "\n"
    }

    /// One rule: what it reads, why, the fix, and the examples it fires and passes on.
    public func explanation(_ r: LintRule) -> String {
        let profiles = LintProfile.allCases.map { "\($0.rawValue) \(r.severity(for: $0)?.rawValue ?? "off")" }
        var out = [
            "\(r.id)  \(r.title)", "  category: \(r.category.rawValue); severity: \(r.severity.rawValue) (balanced)",
            "  profiles: " + profiles.joined(separator: ", "),
            "  applies to: \(r.kinds.map(\.rawValue).sorted().joined(separator: ", "))",
        ]
        if !r.keys.isEmpty { out.append("  reads: \(r.keys.joined(separator: ", "))") }
        out += ["", "Why: \(r.rationale)", "Fix: \(r.fix)", "Docs: \(r.documentation)", "", "Fires on:"]
        for d in r.fires.documents {
            out.append(contentsOf: d.text.split(separator: "\n").map { "  [\(d.kind.rawValue)] \($0)" })
        }
        out.append("Passes:")
        for d in r.passes.documents {
            out.append(contentsOf: d.text.split(separator: "\n").map { "  [\(d.kind.rawValue)] \($0)" })
        }
        return out.joined(separator: "\n") + "\n"
    }

    public func json(_ rules: [LintRule]) throws -> String {
        struct Doc: Encodable {
            let id, title, category, severity, rationale, fix, documentation: String
            let kinds, keys: [String]
            let profiles: [String: String]
        }
        let docs = rules.map { r in
            Doc(
                id: r.id, title: r.title, category: r.category.rawValue, severity: r.severity.rawValue,
                rationale: r.rationale, fix: r.fix, documentation: r.documentation,
                kinds: r.kinds.map(\.rawValue).sorted(), keys: r.keys,
                profiles: Dictionary(
                    uniqueKeysWithValues: LintProfile.allCases.map {
                        ($0.rawValue, r.severity(for: $0)?.rawValue ?? "off")
                    }))
        }
        return try ReportJSON.encode(docs)
    }
}
