import ArchitectCore
import ArchitectReports
import ArgumentParser
import Foundation
import KafkaAdmin
import KafkaClient
import NIOCore

/// `--fail-on` for lag: the group status at or above which the command exits 1.
enum LagFailOn: String, ExpressibleByArgument, CaseIterable {
    case warn, err, never
    init?(argument: String) { self.init(rawValue: argument.lowercased()) }
    var threshold: GroupLagStatus? {
        switch self {
        case .warn: .warn
        case .err: .err
        case .never: nil
        }
    }
}

extension KafkaArchitect {
    /// `kafka-architect lag`: consumer lag in records and seconds, with a Burrow-style status over a window.
    struct Lag: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lag",
            abstract:
                "Consumer lag per group and partition, in records and seconds, with a status and the SLO verdict.",
            discussion: """
                Lag in seconds is the age of the oldest unconsumed record: the timestamp of
                the record at the committed offset, read with a one-record fetch. With
                --window, --readings evenly spaced readings give consume and produce rates,
                the time to catch up, and a status per partition (OK, WARN, STOP, STALL,
                REWIND) and group (OK, WARN, ERR; UNKNOWN when a figure it needs could not
                be read), each with the rule that decided it.
                Without --window: one reading, the lag figures and the SLO verdict.
                The SLO is --max-lag, or with --file each group's from the architecture
                file (a service's maxLag, else slos.maxConsumerLag). Rules: docs/lag.md.

                Examples:
                  kafka-architect lag --bootstrap localhost:9092
                  kafka-architect lag --bootstrap kafka:9092 --group billing --window 60s --max-lag 30s
                  kafka-architect lag --bootstrap kafka:9092 --file architecture.yaml --window 2m --format json

                Exit codes: 0 every group below --fail-on; 1 a group at or above it (an
                unknown --group is ERR; with --fail-on warn an UNKNOWN group, whose SLO
                could not be evaluated, fails too); 2 usage error; 3 cluster unreachable
                or a read failed (the report is still printed, marked incomplete).
                """
        )
        @OptionGroup var cluster: ClusterOptions
        @Option(help: "A group to evaluate (repeat for several); default every consumer group the cluster lists.")
        var group: [String] = []
        @Option(help: "Only this topic's partitions.") var topic: String?
        @Option(help: "Evaluate a status over this window, e.g. 60s (readings evenly spaced across it).")
        var window: String?
        @Option(help: "Readings across --window (default 5, at least 2).") var readings: Int?
        @Option(
            parsing: .unconditional,
            help:
                "Lag SLO: seconds (e.g. 30s: age of the oldest unconsumed record) or records (e.g. 10000records: the group's total lag)."
        )
        var maxLag: String?
        @Option(help: "WARN needs a growing lag of at least this many records ...") var warnMinRecords: Int64 = 1000
        @Option(help: "... or an oldest unconsumed record at least this old.") var warnMinSeconds: String = "30s"
        @Option(
            help: "Architecture file: each consumer group's lag SLO (a service's maxLag, else slos.maxConsumerLag).")
        var file: String?
        @Option(help: "Output: text, json or markdown.") var format: OutputFormat = .text
        @Option(name: [.short, .long], help: "Write to this file (atomically) instead of standard output.") var output:
            String?
        @Option(help: "Exit 1 when a group's status is at or above: err (default), warn, never.") var failOn:
            LagFailOn =
                .err
        @Option(help: "Colour text output: auto, always or never.") var color: ColorMode = .auto

        func validate() throws { try cluster.requireBootstrap() }

        func run() async throws {
            let plan = try LagOptions.schedule(window: window, readings: readings)
            let policy = try LagOptions.policy(
                maxLag: maxLag, file: file, warnMinRecords: warnMinRecords, warnMinSeconds: warnMinSeconds)
            let input = try await LagOptions.collect(
                cluster, groups: group, topic: topic, readings: plan.readings, interval: plan.interval)
            let report = LagEvaluator(policy: policy).evaluate(input)
            let renderer = LagRenderer(color: color.enabled(writingToFile: output != nil, text: format == .text))
            let text: String
            do {
                switch format {
                case .text: text = renderer.text(report)
                case .markdown: text = renderer.markdown(report)
                case .json: text = try renderer.json(report)
                }
            } catch { throw InputFailure(message: "cannot encode \(format.rawValue): \(error)") }
            if let output { try Terminal.writeAtomically(text, to: output) } else { Terminal.writeOut(text) }
            if !report.complete {
                throw ClusterFailure(message: "incomplete: " + report.missing.joined(separator: "; "))
            }
            if let t = failOn.threshold,
                report.groups.contains(where: { $0.status == .unknown ? t == .warn : $0.status >= t })
            {
                throw ExitCode(ExitStatus.findings)
            }
        }
    }
}

/// Flag checks and collection shared by `lag` and `groups`.
enum LagOptions {
    /// Readings and the seconds between them.
    static func schedule(window: String?, readings: Int?) throws(InputFailure) -> (readings: Int, interval: Double) {
        guard let window else {
            if readings != nil { throw InputFailure(message: "--readings needs --window (e.g. --window 60s)") }
            return (1, 0)
        }
        let w = try parseUnit(window, "--window", UnitParser.duration)
        let n = readings ?? 5
        guard (2...100).contains(n) else {
            throw InputFailure(message: "--readings \(n) is out of range: give 2 to 100 (default 5)")
        }
        guard w <= 86_400 else { throw InputFailure(message: "--window \(window): at most 24h") }
        let interval = w / Double(n - 1)
        guard interval >= 1 else {
            throw InputFailure(
                message:
                    "--window \(window) is shorter than \(n) readings 1 s apart: give at least \(n - 1)s, or fewer --readings"
            )
        }
        return (n, interval)
    }

    /// `30s` (seconds) or `10000records` / `10k records` (records); a bare number is refused.
    static func limit(_ text: String, _ flag: String) throws(InputFailure) -> LagLimit {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        for suffix in ["records", "record", "recs", "rec", "messages", "msgs"] where t.hasSuffix(suffix) {
            let number = String(t.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            guard let v = try? UnitParser.count(number), v >= 1, v <= 1e15, v == v.rounded() else {
                throw InputFailure(message: "\(flag) \(text): give a whole number of records from 1, e.g. 10000records")
            }
            return .records(Int64(v))
        }
        if let s = try? UnitParser.duration(t) {
            guard s > 0, s <= 1e9 else {
                throw InputFailure(message: "\(flag) \(text): give a positive duration up to 1e9 s, e.g. 30s")
            }
            return .seconds(s)
        }
        if t.first.map({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }) == true && t.last?.isNumber == false {
            throw InputFailure(
                message:
                    "\(flag) \(text): not a duration or a record count: give one number and one unit, e.g. 30s, 5m, 1.5h or 10000records"
            )
        }
        throw InputFailure(
            message:
                "\(flag) \(text): give a unit — seconds (e.g. 30s: the age of the oldest unconsumed record) or records (e.g. 10000records: the group's total lag)"
        )
    }

    static func policy(maxLag: String?, file: String?, warnMinRecords: Int64, warnMinSeconds: String)
        throws(InputFailure)
        -> LagPolicy
    {
        var p = LagPolicy()
        guard warnMinRecords >= 0 else { throw InputFailure(message: "--warn-min-records: give 0 or more") }
        p.warnMinRecords = warnMinRecords
        let s = try parseUnit(warnMinSeconds, "--warn-min-seconds", UnitParser.duration)
        guard s >= 0, s <= 1e9 else { throw InputFailure(message: "--warn-min-seconds: give 0s or more") }
        p.warnMinSeconds = s
        if let maxLag { p.defaultSLO = LagSLO(limit: try limit(maxLag, "--max-lag"), source: "--max-lag") }
        if let file {
            let (architecture, design) = try ArchitectureInput.loadDesign(file)
            let model = architecture.design
            for g in design.consumerGroups {
                if let seconds = model?.slos.maxConsumerLagSeconds {
                    p.groupSLOs[g.id] = LagSLO(limit: .seconds(seconds), source: "slos.maxConsumerLag in \(file)")
                }
                // A service's maxLag is per stream: it applies to that stream's topic.
                guard let model, let service = model.services.first(where: { $0.name == g.service }) else { continue }
                for use in service.consumes {
                    guard let seconds = use.maxLagSeconds, let entity = model.entity(for: use.stream) else { continue }
                    p.topicSLOs[g.id, default: [:]][model.topicName(entity)] = LagSLO(
                        limit: .seconds(seconds), source: "service \(g.service) maxLag in \(file)")
                }
            }
        }
        return p
    }

    static func collect(
        _ cluster: ClusterOptions, groups: [String], topic: String?, readings: Int, interval: Double
    ) async throws -> LagInput {
        for g in groups where g.isEmpty { throw InputFailure(message: "--group: give a group id") }
        let connection = try cluster.connection()
        let total = try cluster.seconds() + interval * Double(readings - 1)
        let admin = connection.admin.bounded(by: NIODeadline.now() + TimeAmount.milliseconds(Int64(total * 1000)))
        let pool = BrokerPool(bootstrap: connection.addresses, admin: admin)
        let collector = LagCollector(
            admin: KafkaAdmin(pool: pool), named: Array(Set(groups)).sorted(), topic: topic, readings: readings,
            interval: interval)
        let result: Result<LagInput, ClusterError>
        do throws(ClusterError) { result = .success(try await collector.collect()) } catch { result = .failure(error) }
        await pool.close()
        switch result {
        case .success(let input): return input
        case .failure(let e):
            if e.address == "--topic" { throw InputFailure(message: e.reason) }
            throw ClusterFailure(message: e.description)
        }
    }
}
