import ArchitectCore
import ArchitectReports
import ArgumentParser
import Foundation
import KafkaAdmin
import KafkaClient
import NIOCore

extension KafkaArchitect {
    /// `kafka-architect groups`: the consumer-group operations runbooks need.
    struct Groups: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "groups",
            abstract: "List and describe consumer groups, and reset their offsets (a dry run unless --execute).",
            discussion: """
                Examples:
                  kafka-architect groups list --bootstrap localhost:9092
                  kafka-architect groups describe billing --bootstrap localhost:9092
                  kafka-architect groups reset-offsets --bootstrap localhost:9092 --group billing \\
                    --topic orders --to-datetime 2026-12-01T08:00:00Z
                """,
            subcommands: [List.self, Describe.self, ResetOffsets.self]
        )
    }
}

extension KafkaArchitect.Groups {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Every consumer group with its state, members and lag summary (one reading).",
            discussion: """
                Example:
                  kafka-architect groups list --bootstrap localhost:9092 --format json

                Exit codes: 0 listed; 2 usage error; 3 cluster unreachable, or a read failed
                (the list is still printed, marked incomplete).
                """)
        @OptionGroup var cluster: ClusterOptions
        @OptionGroup var listing: ListingOptions

        func validate() throws { try cluster.requireBootstrap() }

        func run() async throws {
            let input = try await LagOptions.collect(cluster, groups: [], topic: nil, readings: 1, interval: 0)
            let report = LagEvaluator().evaluate(input)
            let rows = report.groups.sorted { $0.groupId < $1.groupId }
            try listing.emit(
                text: {
                    var out = Self.table(rows)
                    for u in report.unsupported { out += "note: not offered by this cluster: \(u)\n" }
                    if !report.complete {
                        out += "INCOMPLETE: could not read \(report.missing.joined(separator: "; "))\n"
                    }
                    return out
                },
                json: {
                    try ReportJSON.encode(
                        GroupList(
                            groups: rows.map {
                                .init(
                                    groupId: $0.groupId, state: $0.state, protocolType: $0.protocolType,
                                    protocol: $0.protocol, members: $0.members?.count, totalLag: $0.totalLag,
                                    maxLagSeconds: $0.maxLagSeconds,
                                    topics: Array(Set($0.partitions.map(\.topic))).sorted())
                            }, complete: report.complete, missing: report.missing, unsupported: report.unsupported))
                })
            if !report.complete {
                throw ClusterFailure(message: "incomplete: " + report.missing.joined(separator: "; "))
            }
        }

        static func table(_ rows: [GroupLag]) -> String {
            let header = ["GROUP", "STATE", "PROTOCOL", "MEMBERS", "TOPICS", "LAG", "OLDEST-UNCONSUMED"]
            let body = rows.map { g -> [String] in
                var proto = "?"
                if let t = g.protocolType { proto = t.isEmpty ? "-" : t + (g.protocol.map { "/" + $0 } ?? "") }
                let members = g.members.map { String($0.count) } ?? "?"
                let topics = String(Set(g.partitions.map(\.topic)).count)
                let lag = g.totalLag.map { Format.grouped(Double($0), decimals: 0) } ?? "-"
                let oldest = g.maxLagSeconds.map { Format.duration($0) } ?? "-"
                return [AuditRenderer.clean(g.groupId), g.state ?? "?", proto, members, topics, lag, oldest]
            }
            let out = rows.isEmpty ? "No consumer groups.\n" : TextTable.render([header] + body)
            return out
        }
    }

    struct GroupList: Encodable {
        struct Row: Encodable {
            var groupId: String
            var state: String?
            var protocolType: String?
            var `protocol`: String?
            var members: Int?
            var totalLag: Int64?
            var maxLagSeconds: Double?
            var topics: [String]
        }
        var groups: [Row]
        var complete: Bool
        var missing: [String]
        var unsupported: [String]
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "describe",
            abstract: "One group: state, members and their assignment, and per partition its offsets and lag.",
            discussion: """
                Example:
                  kafka-architect groups describe billing --bootstrap localhost:9092

                Exit codes: 0 described; 1 no such group; 2 usage error; 3 cluster unreachable
                or a read failed.
                """)
        @OptionGroup var cluster: ClusterOptions
        @Argument(help: "The group id.") var group: String
        @Option(help: "Output: text, json or markdown.") var format: OutputFormat = .text

        func validate() throws { try cluster.requireBootstrap() }

        func run() async throws {
            let input = try await LagOptions.collect(cluster, groups: [group], topic: nil, readings: 1, interval: 0)
            let report = LagEvaluator().evaluate(input)
            let renderer = LagRenderer()
            switch format {
            case .text:
                var out = renderer.text(report)
                for g in report.groups {
                    for m in g.members ?? [] {
                        let assigned = Dictionary(grouping: m.assignment, by: \.topic).sorted { $0.key < $1.key }.map {
                            "\($0.key): \($0.value.map { String($0.partition) }.joined(separator: ","))"
                        }
                        let client = m.clientId.isEmpty ? "(not given)" : AuditRenderer.clean(m.clientId)
                        let host = m.host.isEmpty ? "(not given)" : AuditRenderer.clean(m.host)
                        out +=
                            "  member \(AuditRenderer.clean(m.memberId)) client \(client) host \(host): "
                            + (assigned.isEmpty ? "nothing assigned" : assigned.joined(separator: "; ")) + "\n"
                    }
                }
                Terminal.writeOut(out)
            case .markdown: Terminal.writeOut(renderer.markdown(report))
            case .json:
                do { Terminal.writeOut(try ReportJSON.encode(report.groups.first)) } catch {
                    throw InputFailure(message: "cannot encode JSON: \(error)")
                }
            }
            if !report.complete {
                throw ClusterFailure(message: "incomplete: " + report.missing.joined(separator: "; "))
            }
            if report.groups.contains(where: { $0.findings.contains { $0.kind == "not-found" } }) {
                throw ExitCode(ExitStatus.findings)
            }
        }
    }
}
