import ArchitectCore
import ArchitectFile
import ArchitectReports
import ArgumentParser

extension KafkaArchitect {
    /// `kafka-architect design FILE`: from domains and services to a reviewed topology.
    struct Design: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "design",
            abstract: "Derive and review a topology from the design in an architecture file.",
            discussion: """
                Derives topics (names by convention, partitions, replication, cleanup,
                retention, compression), retry and dead-letter topics, consumer groups,
                least-privilege ACLs, tenant quotas and client configuration per service,
                reviews the design for anti-patterns, and sizes it (see `plan`).

                Examples:
                  kafka-architect design examples/ecommerce.yaml
                  kafka-architect design examples/ecommerce.yaml --format markdown -o design.md

                File format: docs/design.md. Exit codes: 0 ok, 2 usage or input error.
                """
        )

        @Argument(help: "Architecture file with domains and services, or '-' for standard input.") var file: String
        @OptionGroup var outputOptions: OutputOptions

        func run() throws {
            let (_, result) = try ArchitectureInput.loadDesign(file)
            let renderer = DesignRenderer()
            try outputOptions.emit(
                text: { renderer.text(result) }, markdown: { renderer.markdown(result) },
                json: { try renderer.json(result) })
        }
    }
}
