import ArchitectCore
import ArchitectFile
import ArchitectReports
import ArgumentParser
import Foundation
import KafkaAdmin
import KafkaClient
import NIOCore

extension KafkaArchitect {
    /// `kafka-architect diff`: what applying the architecture file would change on a cluster or a snapshot of it.
    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract:
                "What the architecture file would change on a cluster: topics, partitions, configs, ACLs, quotas.",
            discussion: """
                Terraform-style: + create, ~ update (before → after), - delete (only with
                --prune), ! cannot (with why). The file's resources are its design's
                (topics, retry and dead-letter topics, ACLs, tenant quotas) and its explicit
                topics (partitions, replicationFactor, configs), acls: and quotas:; only the
                configs it sets are compared. Resources it does not mention are unmanaged.
                Changes nothing; -o saves the plan for `apply --plan`. Rules: docs/sync.md.

                Examples:
                  kafka-architect diff examples/ecommerce.yaml --snapshot snapshot.json
                  kafka-architect diff architecture.yaml --bootstrap kafka:9092 --format json -o plan.json

                Exit codes: 0 in sync; 1 drift (a change to make); 2 usage or input error;
                3 cluster unreachable, or it does not let the configs, ACLs or quotas be read.
                """
        )
        @Argument(help: "Architecture file (YAML).") var file: String
        @OptionGroup var cluster: ClusterOptions
        @Option(help: "Compare against this snapshot (from `cluster snapshot`) instead of a live cluster.")
        var snapshot: String?
        @Flag(help: "List topics, ACLs and quotas the file does not mention as deletes.") var prune = false
        @Option(help: "Output: text or json.") var format: ListingFormat = .text
        @Option(name: [.short, .long], help: "Also write the plan as JSON to this file (atomically).") var output:
            String?

        func validate() throws {
            if snapshot == nil && cluster.bootstrap == nil {
                throw ValidationError("give --bootstrap host:port to read a cluster, or --snapshot FILE")
            }
            if snapshot != nil && cluster.bootstrap != nil {
                throw ValidationError("--snapshot and --bootstrap: give one")
            }
        }

        func read() async throws -> ArchitectCore.ClusterSnapshot {
            try await KafkaArchitect.Audit.read(snapshot, cluster, syncOnly: true)
        }

        func run() async throws {
            let (_, desired) = try ArchitectureInput.loadResources(file)
            let s = try await read()
            let plan = try Self.plan(desired, s, prune: prune)
            let json: String
            do { json = try ReportJSON.encode(plan) } catch {
                throw InputFailure(message: "cannot encode JSON: \(error)")
            }
            switch format {
            case .text:
                var text = Self.text(plan)
                if !s.complete {
                    text +=
                        "Incomplete: part of the cluster could not be read, so this plan may miss or invent changes; it is not saved.\n"
                }
                Terminal.writeOut(text)
            case .json: Terminal.writeOut(json)
            }
            // A plan from a partial read could be applied as if it were whole: it is shown, never saved.
            if !s.complete {
                throw ClusterFailure(
                    message: "incomplete read, plan not saved: " + s.missing.joined(separator: "; "))
            }
            if let output { try Terminal.writeAtomically(json, to: output) }
            if !plan.inSync { throw ExitCode(ExitStatus.findings) }
        }

        /// The plan for `desired` on the cluster `s` describes, or a cluster failure when `s` lacks a read the
        /// plan needs (it would invent drift or hide it). Notes for reads it can do without go to stderr.
        static func plan(_ desired: DesiredState, _ s: ArchitectCore.ClusterSnapshot, prune: Bool) throws -> SyncPlan {
            // Configs the cluster does not report are marked "cannot be confirmed" change by change; ACLs and
            // quotas are needed when the file has any.
            var needed: [String] = []
            if !desired.acls.isEmpty || prune { needed.append("DescribeAcls") }
            if !desired.quotas.isEmpty || prune { needed.append("DescribeClientQuotas") }
            let lacking = s.unsupported.filter { u in
                (needed.contains(u.api) && !u.reason.hasPrefix("SECURITY_DISABLED")) || u.api == "DescribeConfigs"
            }
            if !lacking.isEmpty {
                throw ClusterFailure(
                    message: "cannot plan: the cluster does not offer "
                        + lacking.map(\.api).joined(separator: ", ")
                        + (prune ? ", which this file or --prune needs" : ", which this file needs")
                        + "; without it the plan would be wrong (nothing was changed)")
            }
            let notes = s.unsupported.filter {
                $0.api == "DescribeConfigs (topics)"
                    || (!needed.contains($0.api) && ["DescribeAcls", "DescribeClientQuotas"].contains($0.api))
            }
            for u in notes { Terminal.writeError("note: not offered by this cluster: \(u.api) — \(u.reason)") }
            return SyncPlanner(prune: prune).diff(desired, s)
        }

        static func text(_ plan: SyncPlan) -> String {
            let counts = [SyncChange.Action.create, .update, .delete, .cannot].compactMap { a -> String? in
                let n = plan.changes.filter { $0.action == a }.count
                return n > 0 ? "\(n) to \(a.rawValue == "cannot" ? "refuse" : a.rawValue)" : nil
            }
            var out =
                "Plan for cluster \(plan.clusterId ?? "(no id)") (fingerprint \(plan.fingerprint)): "
                + (counts.isEmpty ? "in sync" : counts.joined(separator: ", ")) + "\n"
            for c in plan.changes {
                let sign =
                    switch c.action {
                    case .create: "+"
                    case .update: "~"
                    case .delete: "-"
                    case .cannot: "!"
                    }
                var line = "  \(sign) \(c.resourceType.rawValue) \(AuditRenderer.clean(c.name))"
                switch (c.before, c.after) {
                case (let b?, let a?): line += ": \(AuditRenderer.clean(b)) → \(AuditRenderer.clean(a))"
                case (nil, let a?): line += ": \(AuditRenderer.clean(a))"
                case (let b?, nil): line += " (was \(AuditRenderer.clean(b)))"
                case (nil, nil): break
                }
                out += line + "\n"
                if let r = c.reason { out += "      \(c.action == .cannot ? "why" : "note"): \(r)\n" }
                if let w = c.warning { out += "      warning: \(w)\n" }
            }
            if !plan.unmanaged.isEmpty {
                out +=
                    "Unmanaged (on the cluster, not in the file; deleted only with --prune): \(plan.unmanaged.count)\n"
                for u in plan.unmanaged { out += "  \(AuditRenderer.clean(u))\n" }
            }
            return out
        }
    }
}
