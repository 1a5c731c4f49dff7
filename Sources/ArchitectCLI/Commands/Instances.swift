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
                  kafka-architect instances --deployment msk

                With --deployment msk: Amazon MSK broker types; their block-storage column is
                what one broker's storage sustains on MSK (250 MiB/s without provisioned
                storage throughput).
                """
        )

        @Option(help: "Only this family, e.g. m6i.") var family: String?
        @Option(help: "ec2 (self-managed, default) or msk (Amazon MSK broker types).") var deployment: String?
        @OptionGroup var outputOptions: OutputOptions

        func run() throws {
            let chosen = try deployment.map { try parseChoice($0, "--deployment", Deployment.self) } ?? .ec2
            let catalog = chosen == .msk ? InstanceCatalog.msk : InstanceCatalog.builtIn
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
