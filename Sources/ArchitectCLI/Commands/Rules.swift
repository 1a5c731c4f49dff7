import ArchitectCore
import ArchitectReports
import ArgumentParser

extension KafkaArchitect {
    /// `kafka-architect rules [ID]`: the configuration-review catalog.
    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules",
            abstract: "List the configuration-review rules, or explain one.",
            discussion: """
                Examples:
                  kafka-architect rules
                  kafka-architect rules KA-DUR-001
                  kafka-architect rules --format json
                """
        )

        @Argument(help: "A rule ID to explain.") var id: String?
        @OptionGroup var listing: ListingOptions

        func validate() throws {
            if let id, LintRules.rule(id) == nil {
                throw ValidationError("'\(id)' is not a rule ID; run `kafka-architect rules` for the list")
            }
        }

        func run() throws {
            let renderer = RuleCatalogRenderer()
            guard let id else {
                return try listing.emit(
                    text: { renderer.listing(LintRules.all) }, json: { try renderer.json(LintRules.all) })
            }
            guard let rule = LintRules.rule(id) else { throw InputFailure(message: "'\(id)' is not a rule ID") }
            try listing.emit(text: { renderer.explanation(rule) }, json: { try renderer.json([rule]) })
        }
    }
}
