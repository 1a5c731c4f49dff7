import ArchitectCore
import ArchitectFile
import ArgumentParser
import Foundation

extension KafkaArchitect {
    /// `kafka-architect import`: adopt an existing cluster as an architecture file that `diff` reports in sync.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Write a cluster's topics, configs, ACLs and quotas as an architecture file.",
            discussion: """
                Adopts an existing cluster: its topics (partitions, replication factor, and
                the configs set on the topic, not Kafka's defaults), ACLs and client quotas,
                with comments saying where each came from. Kafka's internal topics are left
                out. `diff` then reports the file in sync. Reads only; changes nothing.
                Format: docs/sync.md.

                Examples:
                  kafka-architect import --bootstrap kafka:9092 -o architecture.yaml
                  kafka-architect import --snapshot snapshot.json -o architecture.yaml

                Exit codes: 0 written; 2 usage error (or the output exists, without --force);
                3 cluster unreachable, or a read failed (nothing written).
                """
        )
        @OptionGroup var cluster: ClusterOptions
        @Option(help: "Read this snapshot (from `cluster snapshot`) instead of a live cluster.") var snapshot: String?
        @Option(name: [.short, .long], help: "Write the architecture file here (atomically); default stdout.")
        var output: String?
        @Flag(help: "Replace the output file if it exists.") var force = false

        func validate() throws {
            if snapshot == nil && cluster.bootstrap == nil {
                throw ValidationError("give --bootstrap host:port to read a cluster, or --snapshot FILE")
            }
            if snapshot != nil && cluster.bootstrap != nil {
                throw ValidationError("--snapshot and --bootstrap: give one")
            }
            if let output, !force, FileManager.default.fileExists(atPath: output) {
                throw ValidationError("\(output) exists: give --force to replace it, or another -o")
            }
        }

        func run() async throws {
            let s = try await Audit.read(snapshot, cluster, syncOnly: true)
            if !s.complete {
                throw ClusterFailure(
                    message: "incomplete read of the cluster, nothing written: " + s.missing.joined(separator: "; "))
            }
            // Without DescribeConfigs the file would claim topics carry no configs: refuse rather than drop them.
            // (A broker that answers with no entries is said in the file instead.)
            if let u = s.unsupported.first(where: { $0.api == "DescribeConfigs" }) {
                throw ClusterFailure(
                    message:
                        "cannot import: the cluster does not offer DescribeConfigs (\(u.reason)): the topics' configs would be lost; nothing written"
                )
            }
            let r = ImportWriter().write(s)
            guard r.topics + r.acls + r.quotas > 0 else {
                throw ClusterFailure(
                    message:
                        "the cluster holds no topics (besides Kafka's internal ones), ACLs or quotas: nothing to import, nothing written"
                )
            }
            for n in r.notes { Terminal.writeError("note: \(n)") }
            if let output {
                try Terminal.writeAtomically(r.yaml, to: output)
                Terminal.writeError(
                    "wrote \(output): \(r.topics) topic\(r.topics == 1 ? "" : "s"), \(r.acls) ACL\(r.acls == 1 ? "" : "s"), \(r.quotas) quota\(r.quotas == 1 ? "" : "s")"
                )
            } else {
                Terminal.writeOut(r.yaml)
            }
        }
    }
}
