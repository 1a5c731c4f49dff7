import ArchitectCore
import ArchitectDeliverables
import ArchitectFile
import ArchitectReports
import ArgumentParser
import Foundation

extension KafkaArchitect {
    /// `kafka-architect generate`: the deliverables of a design, written atomically.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract:
                "Write a design's deliverables: Terraform, Strimzi, scripts, configs, alerts, dashboards, runbooks, schemas, decision records.",
            discussion: """
                Targets: terraform, strimzi, scripts, client-configs, broker-config,
                prometheus, grafana, runbooks, schemas, reports, or all. Output is deterministic; the
                directory is written whole (a temporary directory, then a rename) and
                a non-empty directory is only replaced with --force.

                Examples:
                  kafka-architect generate examples/ecommerce.yaml --target all --out out
                  kafka-architect generate examples/ecommerce.yaml --target strimzi \\
                    --target prometheus --out deploy --force
                  kafka-architect generate examples/payments.yaml --target schemas \\
                    --target reports --out payments-docs

                Docs: docs/generate.md. Exit codes: 0 ok, 2 usage or input error.
                """
        )

        @Argument(help: "Architecture file with domains and services.") var file: String
        @Option(name: .long, help: "A target, repeatable, or all.") var target: [String]
        @Option(name: .long, help: "Directory to write.") var out: String
        @Flag(help: "Replace a non-empty output directory.") var force = false

        func validate() throws {
            let names = DeliverableTarget.allCases.map(\.rawValue) + ["all"]
            for t in target where !names.contains(t) {
                throw ValidationError("--target '\(t)' is not one of \(names.joined(separator: ", "))")
            }
            if target.isEmpty { throw ValidationError("give at least one --target (or --target all)") }
        }

        func run() throws {
            let (architecture, result) = try ArchitectureInput.loadDesign(file)
            let targets =
                target.contains("all")
                ? DeliverableTarget.allCases : DeliverableTarget.allCases.filter { target.contains($0.rawValue) }
            let files = Deliverables.generate(result, architecture: architecture, targets: targets)
            try Terminal.writeDirectory(files, to: out, replacing: force)
            Terminal.writeOut("wrote \(files.count) files to \(out)\n")
        }
    }
}
