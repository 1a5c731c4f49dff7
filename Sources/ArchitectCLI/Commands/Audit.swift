import ArchitectCore
import ArchitectFile
import ArchitectReports
import ArgumentParser
import Foundation
import KafkaAdmin
import KafkaClient
import NIOCore

enum AuditFormat: String, ExpressibleByArgument, CaseIterable { case text, json, sarif, markdown }

extension KafkaArchitect {
    /// `kafka-architect audit`: health, access and configuration of a live cluster or a saved snapshot.
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract:
                "Audit a cluster: partition health, broker balance, racks, disks, groups, ACLs and live configuration.",
            discussion: """
                Reads a live cluster (--bootstrap) or a snapshot written by `cluster snapshot`
                (--snapshot), and reports each finding with its rule, severity, where it is
                and the fix. Configuration findings are the `lint` rules applied to each
                broker's and topic's live values (a default counts as the version's default).

                Examples:
                  kafka-architect audit --bootstrap localhost:9092
                  kafka-architect audit --snapshot snapshot.json --format sarif -o audit.sarif
                  kafka-architect audit --snapshot snapshot.json --fail-on warning

                Exit codes: 0 no finding at or above --fail-on; 1 findings at or above
                it; 2 usage error or an unreadable snapshot; 3 cluster unreachable, or
                the snapshot incomplete (the report is still printed).
                Rules: docs/audit.md. Snapshot format: docs/snapshot.md.
                """
        )
        @OptionGroup var cluster: ClusterOptions
        @Option(help: "Audit this snapshot file (from `cluster snapshot`) instead of a live cluster.") var snapshot:
            String?
        @Option(help: "Output: text, json, sarif or markdown.") var format: AuditFormat = .text
        @Option(name: [.short, .long], help: "Write to this file (atomically) instead of standard output.") var output:
            String?
        @Option(help: "Exit 1 when a finding is at or above: error (default), warning, info, never.") var failOn:
            FailOn = .error
        @Option(help: "Replication factor topics should have (default 3).") var replicationFactor: Int = 3
        @Option(help: "Kafka version whose defaults apply to values the cluster reports as defaults (default 3.9).")
        var kafkaVersion: String = "3.9"
        @Option(help: "Colour text output: auto, always or never.") var color: ColorMode = .auto

        func validate() throws {
            if snapshot == nil && cluster.bootstrap == nil {
                throw ValidationError(
                    "give --bootstrap host:port to read a cluster, or --snapshot FILE to read a snapshot")
            }
            if snapshot != nil && cluster.bootstrap != nil {
                throw ValidationError("--snapshot and --bootstrap: give one (a snapshot is audited offline)")
            }
            guard (1...16).contains(replicationFactor) else {
                throw ValidationError("--replication-factor \(replicationFactor) is out of range: give 1 to 16")
            }
            guard KafkaVersion(kafkaVersion) != nil else {
                throw ValidationError("--kafka-version '\(kafkaVersion)': give a version from 2.8 to 4.x, e.g. 3.9")
            }
        }

        func read() async throws -> ArchitectCore.ClusterSnapshot { try await Self.read(snapshot, cluster) }

        /// A snapshot file, or a snapshot taken live within --timeout (shared by `audit` and `diff`).
        static func read(
            _ snapshot: String?, _ cluster: ClusterOptions, syncOnly: Bool = false, rateWindow: Double? = nil
        ) async throws
            -> ArchitectCore.ClusterSnapshot
        {
            if let snapshot {
                let data = try Self.readFile(snapshot)
                do { return try SnapshotFile.decode(data, file: snapshot) } catch {
                    throw InputFailure(message: error.description)
                }
            }
            let connection = try cluster.connection()
            let admin = connection.admin.bounded(
                by: NIODeadline.now()
                    + TimeAmount.milliseconds(Int64((try cluster.seconds() + (rateWindow ?? 0)) * 1000)))
            let pool = BrokerPool(bootstrap: connection.addresses, admin: admin)
            let result: Result<ArchitectCore.ClusterSnapshot, ClusterError>
            do throws(ClusterError) {
                result = .success(
                    try await SnapshotCollector(
                        admin: KafkaAdmin(pool: pool), rateWindow: rateWindow, syncOnly: syncOnly
                    )
                    .collect())
            } catch { result = .failure(error) }
            await pool.close()
            switch result {
            case .success(let s): return s
            case .failure(let e): throw ClusterFailure(message: e.description)
            }
        }

        /// A regular file's bytes, or one line saying why not (a directory, a device, absent, empty).
        static func readFile(_ path: String) throws(InputFailure) -> Data {
            guard !path.isEmpty else { throw InputFailure(message: "--snapshot: give the snapshot file's path") }
            let fm = FileManager.default
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputFailure(message: "\(path): cannot read (no such file)")
            }
            if isDirectory.boolValue { throw InputFailure(message: "\(path): is a directory, not a snapshot file") }
            let type = (try? fm.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
            guard type == .typeRegular else {
                throw InputFailure(
                    message: "\(path): not a regular file (give a snapshot written by `cluster snapshot`)")
            }
            guard let data = fm.contents(atPath: path) else {
                throw InputFailure(message: "\(path): cannot read (permission?)")
            }
            guard !data.isEmpty else { throw InputFailure(message: "\(path): empty file, not a snapshot") }
            return data
        }

        func run() async throws {
            let s = try await read()
            var policy = AuditPolicy()
            policy.replicationFactor = replicationFactor
            policy.version = KafkaVersion(kafkaVersion) ?? .default
            let report = Auditor(policy: policy).audit(s)
            let renderer = AuditRenderer(color: color.enabled(writingToFile: output != nil, text: format == .text))
            let text: String
            do {
                switch format {
                case .text: text = renderer.text(report)
                case .markdown: text = renderer.markdown(report)
                case .json: text = try renderer.json(report)
                case .sarif: text = try renderer.sarif(report, lintRules: LintRules.all)
                }
            } catch { throw InputFailure(message: "cannot encode \(format.rawValue): \(error)") }
            if let output { try Terminal.writeAtomically(text, to: output) } else { Terminal.writeOut(text) }
            if !report.complete {
                throw ClusterFailure(message: "the snapshot is incomplete: " + report.missing.joined(separator: "; "))
            }
            let threshold: LintSeverity? =
                switch failOn {
                case .error: .error
                case .warning: .warning
                case .info: .info
                case .never: nil
                }
            if let threshold, report.findings.contains(where: { $0.severity >= threshold }) {
                throw ExitCode(ExitStatus.findings)
            }
        }
    }
}
