import ArchitectCore
import ArchitectFile
import ArchitectOutput
import ArgumentParser

extension KafkaArchitect {
    /// `kafka-architect design FILE`: from domains and services to a reviewed topology.
    struct Design: ParsableCommand {
        static let configuration = CommandConfiguration(
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
            let text = try Terminal.readText(file)
            let architecture: Architecture
            do { architecture = try ArchitectureFile.parse(text, file: file) } catch { throw InputFailure(message: error.description) }
            let result: DesignResult
            do {
                result = try DesignAdvisor.derive(architecture)
            } catch {
                switch error {
                case .noDesign: throw InputFailure(message: "\(file): no design: describe domains (with entities) and services; see examples/ecommerce.yaml")
                case .plan(let e): throw InputFailure(message: "\(file): the design cannot be planned: \(e)")
                }
            }
            let renderer = DesignRenderer()
            switch outputOptions.format {
            case .text: try outputOptions.emit(renderer.text(result))
            case .markdown: try outputOptions.emit(renderer.markdown(result))
            case .json:
                let json: String
                do { json = try renderer.json(result) } catch { throw InputFailure(message: "cannot encode JSON: \(error)") }
                try outputOptions.emit(json)
            }
        }
    }
}
