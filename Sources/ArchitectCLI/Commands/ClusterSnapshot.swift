import ArchitectCore
import ArchitectFile
import ArgumentParser
import Foundation
import KafkaAdmin
import KafkaClient
import NIOCore

extension KafkaArchitect.Cluster {
    /// `kafka-architect cluster snapshot`: everything the audit reads, as one JSON document.
    struct Snapshot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "snapshot",
            abstract:
                "Write a JSON snapshot of a cluster: brokers, configs, topics, partitions, log dirs, groups, ACLs, quotas.",
            discussion: """
                The snapshot is what `audit --snapshot` reads, so an audit can run offline,
                be attached to a ticket or sent to an architect. Sensitive values are never
                written. An API the cluster does not offer is listed in `unsupported`; a read
                that failed otherwise is listed in `missing` with `complete: false`.
                Format: docs/snapshot.md.

                Examples:
                  kafka-architect cluster snapshot --bootstrap localhost:9092 -o snapshot.json
                  kafka-architect cluster snapshot --bootstrap kafka:9093 \\
                    --command-config client.properties --rate-window 30s -o snapshot.json

                Exit codes: 0 written, 2 usage error, 3 cluster unreachable or the
                snapshot incomplete (it is still written, marked complete: false).
                """
        )
        @OptionGroup var cluster: ClusterOptions
        @Option(name: [.short, .long], help: "Write the snapshot to this file (atomically); default standard output.")
        var output: String?
        @Option(
            help:
                "Read log-end offsets and sizes twice, this far apart (e.g. 30s), for per-partition rates.")
        var rateWindow: String?

        func validate() throws { try cluster.requireBootstrap() }

        func run() async throws {
            let connection = try cluster.connection()
            var window: Double? = nil
            if let rateWindow {
                let w = try parseUnit(rateWindow, "--rate-window", UnitParser.duration)
                guard w > 0, w <= 3600 else {
                    throw InputFailure(message: "--rate-window: between 1s and 1h, e.g. 30s")
                }
                window = w
            }
            let total = try cluster.seconds() + (window ?? 0)
            let admin = connection.admin.bounded(by: NIODeadline.now() + TimeAmount.milliseconds(Int64(total * 1000)))
            let pool = BrokerPool(bootstrap: connection.addresses, admin: admin)
            let snapshot: ArchitectCore.ClusterSnapshot
            do throws(ClusterError) {
                snapshot = try await SnapshotCollector(admin: KafkaAdmin(pool: pool), rateWindow: window).collect()
            } catch {
                await pool.close()
                throw ClusterFailure(message: error.description)
            }
            await pool.close()
            let text: String
            do { text = try SnapshotFile.encode(snapshot) } catch {
                throw InputFailure(message: "cannot encode the snapshot: \(error)")
            }
            if let output { try Terminal.writeAtomically(text, to: output) } else { Terminal.writeOut(text) }
            if !snapshot.unsupported.isEmpty {
                Terminal.writeError(
                    "note: not offered by this cluster: "
                        + snapshot.unsupported.map(\.api).joined(separator: ", ") + " (listed in unsupported)\n")
            }
            if !snapshot.complete {
                throw ClusterFailure(
                    message: "snapshot incomplete (written with complete: false): "
                        + snapshot.missing.joined(separator: "; "))
            }
        }
    }
}
