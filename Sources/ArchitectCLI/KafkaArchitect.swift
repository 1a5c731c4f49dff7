import ArgumentParser
import Foundation

/// The root command: `kafka-architect <subcommand>`.
public struct KafkaArchitect: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kafka-architect",
        abstract: "Plan, review and check Kafka clusters the way a senior architect would — every figure explained.",
        discussion: """
            Exit codes: 0 ok, 1 findings, 2 usage or input error, 3 cluster or connection error.

            Example:
              kafka-architect plan examples/log-pipeline.yaml
            """,
        version: "0.1.0",
        subcommands: [
            Plan.self, Partitions.self, Keys.self, Lint.self, Rules.self, Design.self, Generate.self, Cluster.self,
            Audit.self, Lag.self, Groups.self, Diff.self, Apply.self, Import.self, Rebalance.self, Bench.self,
            Exporter.self,
            Instances.self,
        ]
    )

    public init() {}

    /// Runs the command line and exits with the documented exit codes; never prints a stack trace.
    public static func runMain(_ arguments: [String]? = nil) async -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(ExitStatus.ok)
        } catch let failure as ClusterFailure {
            Terminal.writeError("kafka-architect: error: \(failure.message)")
            Foundation.exit(ExitStatus.cluster)
        } catch let failure as InputFailure {
            Terminal.writeError("kafka-architect: error: \(failure.message)")
            Foundation.exit(ExitStatus.input)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let status = exitCode(for: error)
            if status == .success {
                // --help and --version print to standard output.
                print(fullMessage(for: error))
                Foundation.exit(ExitStatus.ok)
            }
            let help = ["kafka-architect", subcommandName(arguments), "--help"].filter { !$0.isEmpty }.joined(
                separator: " ")
            let raw = message(for: error).split(separator: "\n").joined(separator: " ")
            let text =
                FlagRanges.rewrite(raw, arguments: arguments ?? Array(CommandLine.arguments.dropFirst())) ?? raw
            Terminal.writeError("kafka-architect: error: \(text) (see '\(help)')")
            Foundation.exit(ExitStatus.input)
        }
    }

    static func subcommandName(_ arguments: [String]?) -> String {
        let args = arguments ?? Array(CommandLine.arguments.dropFirst())
        let names = configuration.subcommands.compactMap {
            $0.configuration.commandName ?? String(describing: $0).lowercased()
        }
        return args.first { names.contains($0) } ?? ""
    }
}

/// The documented exit codes.
public enum ExitStatus {
    public static let ok: Int32 = 0
    public static let findings: Int32 = 1
    public static let input: Int32 = 2
    public static let cluster: Int32 = 3
}

/// A problem with what the user gave us: a file, a flag, a value. Exit code 2, one line.
struct InputFailure: Error {
    let message: String
}
