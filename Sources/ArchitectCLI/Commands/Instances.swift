import ArchitectCore
import ArchitectReports
import ArgumentParser

extension KafkaArchitect {
    /// `kafka-architect instances`: the built-in catalog of machines and prices.
    struct Instances: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "instances",
            abstract: "List the built-in instance catalog with specifications and prices.",
            discussion: """
                Network is the sustained baseline, not the "up to" burst figure. Prices are on-demand, dated and sourced.

                Examples:
                  kafka-architect instances
                  kafka-architect instances --family i4i --format json
                """
        )

        @Option(help: "Only this family, e.g. m6i.") var family: String?
        @OptionGroup var outputOptions: OutputOptions

        func run() throws {
            let catalog = InstanceCatalog.builtIn
            let types = catalog.instances.filter { family == nil || $0.family == family }
            guard !types.isEmpty else {
                let families = Array(Set(catalog.instances.map(\.family))).sorted()
                throw InputFailure(
                    message:
                        "--family: '\(family ?? "")' is not in the catalog; known families: \(families.joined(separator: ", "))"
                )
            }
            let renderer = InstanceCatalogRenderer()
            try outputOptions.emit(
                text: { renderer.text(types, catalog: catalog) },
                markdown: { renderer.markdown(types, catalog: catalog) },
                json: { try renderer.json(types, catalog: catalog) })
        }
    }
}
