import ArchitectCore
import ArchitectFile
import ArchitectReports
import ArgumentParser
import Foundation

enum LintFormat: String, ExpressibleByArgument, CaseIterable { case text, json, sarif }
enum FailOn: String, ExpressibleByArgument, CaseIterable { case error, warning, info, never }

extension ConfigKind: ExpressibleByArgument {}
extension LintProfile: ExpressibleByArgument {}

extension KafkaArchitect {
    /// `kafka-architect lint`: configuration review with SARIF for code review and exit codes for CI.
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Review broker, topic and client configurations the way a senior architect would.",
            discussion: """
                Inputs: Java .properties (parsed as java.util.Properties does),
                librdkafka configuration files, Kubernetes YAML (every Strimzi
                kind is reviewed; other kinds are skipped with a notice),
                architecture files, Connect REST JSON and shell scripts with
                kafka-topics --create. The kind (broker, topic, producer,
                consumer, admin, streams, connect, mirrormaker, connector,
                bridge, nodepool, user) is detected and shown for every file;
                files that are not Kafka configurations (log4j, ZooKeeper, other
                JSON) are skipped with a notice. --kind forces one.

                Suppress a finding on the next key, with a reason:
                  # kafka-architect:disable KA-DUR-001 metrics: loss is fine

                Examples:
                  kafka-architect lint examples/configs/*
                  kafka-architect lint app.properties --profile durability
                  kafka-architect lint k8s/*.yaml --format sarif -o lint.sarif
                  kafka-architect lint config/*.properties --brokers 3 --zones 3
                  kafka-architect lint topics.sh --naming '[a-z]+\\.[a-z-]+\\.v[0-9]+'

                Exit codes: 0 no finding at or above --fail-on; 1 findings at
                or above it; 2 usage error or an unreadable or malformed file
                (the other files are still reported).
                Rules: kafka-architect rules. Docs: docs/lint.md.
                """
        )

        @Argument(help: "Configuration files: .properties, librdkafka .conf, Strimzi or architecture .yaml.") var files:
            [String]
        @Option(
            help:
                "Kind for every file, instead of detecting it: broker, topic, producer, consumer, admin, streams, connect, mirrormaker, connector, bridge, nodepool, user."
        ) var kind: ConfigKind?
        @Option(help: "Kafka version whose defaults and removals apply (2.8 to 4.x; default 3.9).") var kafkaVersion:
            String = "3.9"
        @Option(help: "durability, throughput, latency, balanced (default) or development (a one-node cluster).")
        var profile: LintProfile = .balanced
        @Option(help: "Exit 1 when a finding is at or above: error (default), warning, info, never.") var failOn:
            FailOn = .error
        @Option(parsing: .upToNextOption, help: "Rule IDs to skip.") var disable: [String] = []
        @Option(parsing: .upToNextOption, help: "Rule IDs to run even where the profile turns them off.") var enable:
            [String] = []
        @Option(help: "Processing time per record, e.g. 20ms, to check max.poll.interval.ms.") var processingTime:
            String?
        @Option(help: "Brokers in the cluster, for replication and partition checks (when no Strimzi node pool says).")
        var brokers: Int?
        @Option(help: "Availability zones the cluster spans (brokers then need broker.rack).") var zones: Int?
        @Option(
            help: "Topic-name convention: a regular expression every whole name must match, e.g. '[a-z]+\\.[a-z]+'.")
        var naming: String?
        @OptionGroup var reviewOutput: ReviewOutputOptions

        func validate() throws {
            _ = try version()
            if let brokers, !(1...10_000).contains(brokers) {
                throw ValidationError("--brokers \(brokers) is out of range: give a whole number from 1 to 10000")
            }
            if let zones, !(1...16).contains(zones) {
                throw ValidationError("--zones \(zones) is out of range: give a whole number from 1 to 16")
            }
            if let naming, (try? Regex(naming)) == nil {
                throw ValidationError("--naming '\(naming)' is not a valid regular expression")
            }
            for id in disable + enable where LintRules.rule(id) == nil {
                throw ValidationError("'\(id)' is not a rule ID; list them with `kafka-architect rules`")
            }
        }

        func version() throws(ValidationError) -> KafkaVersion {
            guard let version = KafkaVersion(kafkaVersion) else {
                throw ValidationError(
                    "--kafka-version '\(kafkaVersion)' is not a Kafka version from 2.8 to 4.x, e.g. 3.9")
            }
            return version
        }

        // Long because: options, loading, rendering and the exit code of one review read best in order.
        func run() throws {
            var linter = Linter()
            linter.version = try version()
            linter.profile = profile
            linter.disabled = Set(disable)
            linter.enabled = Set(enable)
            linter.brokers = brokers
            linter.zones = zones
            linter.naming = naming
            if let processingTime {
                let t = try parseUnit(processingTime, "--processing-time", UnitParser.duration)
                guard t > 0, t <= 3600 else {
                    throw InputFailure(
                        message:
                            "--processing-time \(processingTime) is out of range: give a time per record from 1us to 1h, e.g. 20ms"
                    )
                }
                linter.processingTime = t
            }

            var units: [ConfigUnit] = []
            var errors: [LintInputError] = []
            var notices: [LintNotice] = []
            var stateful: Set<String> = []
            for file in files {
                let loaded = ConfigInput.load(file, kind: kind)
                units += loaded.units
                errors += loaded.errors
                notices += loaded.notices
                stateful.formUnion(loaded.statefulApplications)
            }
            // A Streams application an architecture file in the run declares keeps state stores.
            for i in units.indices where units[i].kind == .streams {
                if let id = units[i].value("application.id"), stateful.contains(id) {
                    units[i].traits.insert("state-stores")
                }
            }
            let findings = linter.lint(units)
            let format = reviewOutput.format
            let output = reviewOutput.output
            let renderer = LintRenderer(color: reviewOutput.useColor)
            let report = LintReport(
                findings: findings, reviewed: units, notices: notices, errors: errors, filesChecked: files.count)
            let text: String
            do {
                switch format {
                case .text: text = renderer.text(report)
                case .json: text = try renderer.json(report)
                case .sarif: text = try renderer.sarif(report, rules: LintRules.all, profile: profile)
                }
            } catch { throw InputFailure(message: "cannot encode \(format.rawValue): \(error)") }
            if let output { try Terminal.writeAtomically(text, to: output) } else { Terminal.writeOut(text) }
            if !errors.isEmpty {
                if output != nil || format != .text {
                    for e in errors { Terminal.writeError("kafka-architect: error: \(e.description)") }
                }
                throw ExitCode(ExitStatus.input)
            }
            let threshold: LintSeverity? =
                switch failOn {
                case .error: .error
                case .warning: .warning
                case .info: .info
                case .never: nil
                }
            if let threshold, findings.contains(where: { $0.severity >= threshold }) {
                throw ExitCode(ExitStatus.findings)
            }
        }

        /// Reads one file into configurations, or explains in one line why it cannot.
    }
}
