import ArchitectCore
import ArchitectReports
import ArgumentParser
import Foundation
import KafkaAdmin
import KafkaClient
import NIOCore

extension KafkaArchitect.Groups {
    struct ResetOffsets: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-offsets",
            abstract: "Plan (and with --execute, commit) new offsets for a group on a topic.",
            discussion: """
                Prints old → new offset per partition and the records skipped or replayed;
                changes nothing unless --execute. New offsets stay within the log (as
                kafka-consumer-groups.sh clamps them). Refused while the group has members,
                or when its membership cannot be read. With --file, warns when the group's
                service consumes exactly-once or has side effects.

                Examples:
                  kafka-architect groups reset-offsets --bootstrap localhost:9092 --group billing \\
                    --topic orders --shift-by -1000
                  kafka-architect groups reset-offsets --bootstrap localhost:9092 --group billing \\
                    --topic orders --to-datetime 2026-12-01T08:00:00Z --execute

                Exit codes: 0 planned (or committed); 1 refused: the group has members;
                2 usage error; 3 cluster unreachable, membership unreadable, or a commit failed.
                """)
        @OptionGroup var cluster: ClusterOptions
        @Option(help: "The group whose offsets to reset.") var group: String
        @Option(help: "The topic whose partitions to reset.") var topic: String
        @Flag(help: "To each partition's log start.") var toEarliest = false
        @Flag(help: "To each partition's log end (skip everything not yet read).") var toLatest = false
        @Option(help: "To the first record at or after this time (ISO 8601 with a zone, e.g. 2026-12-01T08:00:00Z).")
        var toDatetime: String?
        @Option(parsing: .unconditional, help: "Move each committed offset by N (negative, e.g. -1000: replay).")
        var shiftBy: Int64?
        @Option(help: "To this offset on every partition.") var toOffset: Int64?
        @Flag(help: "Commit the new offsets (default: print the plan only).") var execute = false
        @Option(help: "Architecture file: warn when the group's service consumes exactly-once or has side effects.")
        var file: String?
        @Option(help: "Output: text or json.") var format: ListingFormat = .text

        func validate() throws {
            try cluster.requireBootstrap()
            let modes = [toEarliest, toLatest, toDatetime != nil, shiftBy != nil, toOffset != nil].filter { $0 }.count
            guard modes == 1 else {
                throw ValidationError(
                    "give exactly one of --to-earliest, --to-latest, --to-datetime, --shift-by, --to-offset")
            }
            if let toOffset, toOffset < 0 { throw ValidationError("--to-offset \(toOffset): give 0 or more") }
            if group.isEmpty { throw ValidationError("--group: give a group id") }
        }

        func target() throws(InputFailure) -> OffsetResetTarget {
            if toEarliest { return .earliest }
            if toLatest { return .latest }
            if let shiftBy { return .shift(shiftBy) }
            if let toOffset { return .offset(toOffset) }
            let text = toDatetime ?? ""
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let plain = ISO8601DateFormatter()
            guard let date = f.date(from: text) ?? plain.date(from: text) else {
                throw InputFailure(
                    message: "--to-datetime \(text): give an ISO 8601 time with a zone, e.g. 2026-12-01T08:00:00Z")
            }
            // ListOffsets reads -1 and -2 as "latest" and "earliest": a time before 1970 cannot be asked.
            guard date.timeIntervalSince1970 >= 0 else {
                throw InputFailure(message: "--to-datetime \(text): before 1970; use --to-earliest")
            }
            return .datetime(Int64(date.timeIntervalSince1970 * 1000))
        }

        /// What the design says about replaying or skipping this group's records.
        func warnings(_ plan: OffsetResetPlan) throws(InputFailure) -> [String] {
            guard let file else { return [] }
            let (architecture, design) = try ArchitectureInput.loadDesign(file)
            guard let g = design.consumerGroups.first(where: { $0.id == group }),
                let s = architecture.design?.services.first(where: { $0.name == g.service })
            else { return ["\(file) names no consumer group \(group)"] }
            var out: [String] = []
            // Only the uses of the topic being reset.
            let uses = s.consumes.filter { use in
                architecture.design.flatMap { d in d.entity(for: use.stream).map { d.topicName($0) } } == topic
            }
            guard !uses.isEmpty else { return ["service \(s.name) does not consume \(topic) in \(file)"] }
            if uses.contains(where: { $0.sideEffects }) && plan.replayed > 0 {
                out.append(
                    "service \(s.name) has side effects (mails, payments, API calls): replaying \(plan.replayed) records repeats them"
                )
            }
            if uses.contains(where: { $0.guarantee == .exactlyOnce }) {
                out.append(
                    "service \(s.name) consumes exactly-once: replayed records are processed and their outputs written again "
                        + "(new transactions), and skipped records are never processed")
            }
            if uses.contains(where: { !$0.idempotent && !$0.sideEffects && $0.guarantee != .exactlyOnce })
                && plan.replayed > 0
            {
                out.append("service \(s.name) is not marked idempotent: replayed records are processed twice")
            }
            if plan.replayed > 0, let d = architecture.design {
                out += Self.downstream(of: s, in: d)
            }
            return out
        }

        /// Services with side effects that a replay reaches: the replayed service produces its outputs again, and
        /// every service consuming them (and theirs, transitively) sees them twice.
        static func downstream(of s: ServiceSpec, in d: DesignModel) -> [String] {
            func topic(_ stream: String) -> String? { d.entity(for: stream).map { d.topicName($0) } }
            var frontier = s.produces.compactMap { topic($0.stream) }
            var seen: Set<String> = [s.name]
            var out: [String] = []
            while let t = frontier.popLast() {
                for other in d.services where !seen.contains(other.name) {
                    let uses = other.consumes.filter { topic($0.stream) == t }
                    guard !uses.isEmpty else { continue }
                    seen.insert(other.name)
                    if uses.contains(where: { $0.sideEffects }) {
                        out.append(
                            "the replay re-produces \(t), which service \(other.name) consumes with side effects: they repeat unless it deduplicates"
                        )
                    }
                    frontier += other.produces.compactMap { topic($0.stream) }
                }
            }
            return out
        }

        func run() async throws {
            let target = try target()
            let connection = try cluster.connection()
            let admin = connection.admin.bounded(
                by: NIODeadline.now() + TimeAmount.milliseconds(Int64(try cluster.seconds() * 1000)))
            let pool = BrokerPool(bootstrap: connection.addresses, admin: admin)
            let planned: Result<OffsetResetPlan, any Error>
            do {
                planned = .success(
                    try await Self.plan(KafkaAdmin(pool: pool), group: group, topic: topic, target: target))
            } catch { planned = .failure(error) }
            if case .failure = planned { await pool.close() }
            var plan = try planned.get()
            if plan.rows.allSatisfy({ $0.oldOffset == nil }) {
                plan.warnings.append(
                    "group \(group) has no committed offsets on \(topic) and no members: check the name (with --execute this creates it)"
                )
            }
            plan.warnings += try warnings(plan)
            if execute {
                do throws(ClusterError) {
                    let errors = try await KafkaAdmin(pool: pool).commitOffsets(
                        group,
                        Dictionary(
                            uniqueKeysWithValues: plan.rows.map {
                                (TopicPartitionKey($0.topic, $0.partition), $0.newOffset)
                            }))
                    plan.errors = errors.sorted { $0.key < $1.key }.map {
                        "\($0.key.topic)-\($0.key.partition): \($0.value.name)"
                    }
                } catch { plan.errors = [error.description] }
                plan.executed = plan.errors.isEmpty
            }
            await pool.close()
            switch format {
            case .text: Terminal.writeOut(Self.text(plan, execute: execute))
            case .json:
                do { Terminal.writeOut(try ReportJSON.encode(plan)) } catch {
                    throw InputFailure(message: "cannot encode JSON: \(error)")
                }
            }
            if !plan.errors.isEmpty {
                throw ClusterFailure(message: "the commit failed: " + plan.errors.joined(separator: "; "))
            }
        }

        // Long because: membership is checked first (refusing), then the partitions' offsets are read for the plan.
        static func plan(_ admin: KafkaAdmin, group: String, topic: String, target: OffsetResetTarget) async throws
            -> OffsetResetPlan
        {
            switch await admin.describeGroupsEach([group])[group] {
            case .success(let d):
                // Tansu reports every group's state as Unknown: members decide there.
                let active = ["Stable", "PreparingRebalance", "CompletingRebalance", "Assigning", "Reconciling"]
                if !d.members.isEmpty || active.contains(d.state) {
                    Terminal.writeError(
                        "kafka-architect: refused: group \(group) is \(d.state) with \(counted(d.members.count, "active member")); "
                            + "stop its consumers first (a live group overwrites the offsets with its next commit)")
                    throw ExitCode(ExitStatus.findings)
                }
            case .failure(let e):
                throw ClusterFailure(
                    message:
                        "refused: the membership of group \(group) cannot be read (\(LagCollector.unsupported(e) ? "DescribeGroups is not offered by this cluster" : e.reason)), "
                        + "so it may have active consumers that would overwrite the new offsets")
            case nil: throw ClusterFailure(message: "refused: DescribeGroups gave no answer for \(group)")
            }
            let meta: ClusterDescription
            do throws(ClusterError) { meta = try await admin.pool.metadata(refresh: true) } catch {
                throw ClusterFailure(message: error.description)
            }
            guard let t = meta.topics.first(where: { $0.name == topic }) else {
                throw InputFailure(message: "--topic \(topic): no such topic on this cluster")
            }
            let keys = t.partitions.map { TopicPartitionKey(topic, $0.partition) }
            var committed: [Int32: Int64] = [:]
            switch await admin.committedOffsets([group], partitions: keys)[group] {
            case .success(let rows): for r in rows where r.topic == topic { committed[r.partition] = r.offset }
            case .failure(let e): throw ClusterFailure(message: "OffsetFetch for \(group): \(e.description)")
            case nil: throw ClusterFailure(message: "OffsetFetch for \(group): no answer")
            }
            func read(_ ts: Int64) async throws -> [Int32: Int64] {
                let r: (offsets: [TopicPartitionKey: Int64], failures: [Int32: ClusterError])
                do throws(ClusterError) { r = try await admin.listOffsetsByLeader(keys, timestamp: ts) } catch {
                    throw ClusterFailure(message: "ListOffsets: \(error.description)")
                }
                if let (leader, e) = r.failures.first {
                    throw ClusterFailure(message: "ListOffsets on broker \(leader): \(e.reason)")
                }
                return Dictionary(uniqueKeysWithValues: r.offsets.map { ($0.key.partition, $0.value) })
            }
            let start = try await read(-2)
            let end = try await read(-1)
            var byTime: [Int32: Int64] = [:]
            if case .datetime(let ms) = target { byTime = try await read(ms) }
            return OffsetResetPlan.make(
                group: group, topic: topic, target: target, partitions: t.partitions.map(\.partition),
                committed: committed, logStart: start, logEnd: end, byTime: byTime)
        }

        static func text(_ plan: OffsetResetPlan, execute: Bool) -> String {
            func c(_ v: Int64?) -> String { v.map { Format.grouped(Double($0), decimals: 0) } ?? "-" }
            var out =
                "Reset offsets of group \(AuditRenderer.clean(plan.group)) on \(AuditRenderer.clean(plan.topic)) (\(plan.target))\n"
            let header = ["PARTITION", "OLD", "NEW", "LOG-START", "LOG-END", "SKIPPED", "REPLAYED", "NOTE"]
            let rows = plan.rows.map {
                [
                    String($0.partition), c($0.oldOffset), c($0.newOffset), c($0.logStartOffset), c($0.logEndOffset),
                    c($0.skipped), c($0.replayed), $0.note ?? "",
                ]
            }
            out += TextTable.render([header] + rows, indent: "  ")
            out += "  total: \(c(plan.skipped)) records skipped, \(c(plan.replayed)) replayed\n"
            for w in plan.warnings { out += "warning: \(w)\n" }
            if execute {
                out += plan.executed ? "Committed.\n" : "Not committed: \(plan.errors.joined(separator: "; "))\n"
            } else {
                out += "Dry run: nothing changed. Add --execute to commit these offsets.\n"
            }
            return out
        }
    }
}
