import ArchitectCore
import ArchitectExporter
import ArgumentParser
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

extension KafkaArchitect {
    /// `kafka-architect exporter`: lag and cluster health for Prometheus, collected on its own interval.
    struct Exporter: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "exporter",
            abstract: "Serve consumer lag (records and seconds) and cluster health to Prometheus.",
            discussion: """
                A long-running HTTP server: GET /metrics in the Prometheus text format,
                GET /healthz. Every --interval it reads the cluster (metadata, topic
                configs, log dirs, log start and end offsets, consumer groups, committed
                offsets, the timestamps of the oldest unconsumed records) and renders the
                metrics once; scrapes never reach Kafka. kafka_exporter's metric names and
                labels where it has the metric (kafka_consumergroup_lag,
                kafka_topic_partition_current_offset, ...), so its dashboards keep
                working; ours for the rest: lag in seconds, group status from lag's
                evaluation over the last --readings collections, offline and
                under-min-ISR partitions, leaders, replicas and log size per broker.
                When the cluster is unreachable it keeps serving the last good
                collection with kafka_architect_exporter_collection_success 0, and
                recovers when brokers return. SIGTERM or SIGINT shuts it down
                gracefully. Metrics: docs/exporter.md.

                Examples:
                  kafka-architect exporter --bootstrap localhost:9092
                  kafka-architect exporter --bootstrap kafka:9092 --listen :9308
                  kafka-architect exporter --bootstrap kafka:9092 --interval 15s \\
                    --file architecture.yaml --command-config client.properties

                Exit codes: 0 after a graceful shutdown; 2 usage error (a bad --listen,
                a port in use, an --interval below 1s).
                """
        )
        @OptionGroup var cluster: ClusterOptions
        @Option(help: "Address to serve on, host:port (default 127.0.0.1:9308, kafka_exporter's port).")
        var listen: String = "127.0.0.1:9308"
        @Option(help: "Collect every this long, e.g. 30s (at least 1s, default 30s).") var interval: String = "30s"
        @Option(help: "Group status over the last N collections (2 to 100, default 5).") var readings: Int = 5
        @Option(help: "Only this consumer group (repeat for several); default every group the cluster lists.")
        var group: [String] = []
        @Option(
            help:
                "Architecture file: each group's lag SLO for its status, and the groups to read when the cluster cannot list them."
        )
        var file: String?
        @Option(
            parsing: .unconditional,
            help: "Lag SLO for groups without one: seconds (e.g. 30s) or records (e.g. 10000records).")
        var maxLag: String?
        @Option(help: "Log level: debug, info, warning or error (default info); logs go to standard error.")
        var logLevel: String = "info"

        func validate() throws { try cluster.requireBootstrap() }

        func run() async throws {
            let (host, port) = try Self.listenAddress(listen)
            let seconds = try Self.intervalSeconds(interval)
            guard (2...100).contains(readings) else {
                throw InputFailure(message: "--readings \(readings) is out of range: give 2 to 100 (default 5)")
            }
            for g in group where g.isEmpty { throw InputFailure(message: "--group: give a group id") }
            guard let level = Logger.Level(rawValue: logLevel.lowercased()), level != .trace, level != .notice,
                level != .critical
            else { throw InputFailure(message: "--log-level \(logLevel): give debug, info, warning or error") }
            let policy = try LagOptions.policy(maxLag: maxLag, file: file, warnMinRecords: 1000, warnMinSeconds: "30s")
            let designGroups = try file.map { try ArchitectureInput.loadDesign($0).1.consumerGroups.map(\.id) } ?? []
            let connection = try cluster.connection()
            // A collection's deadline: --timeout, at most the interval.
            let budget = min(try cluster.seconds(), seconds)
            var logger = Logger(label: "kafka-architect.exporter") { StreamLogHandler.standardError(label: $0) }
            logger.logLevel = level
            let collector = ExporterCollector(
                connection: connection, named: Array(Set(group)).sorted(), designGroups: designGroups.sorted(),
                policy: policy, readings: readings, budget: budget)
            // A loop that has not finished a collection in three intervals (each bounded by --timeout) is wedged.
            let state = ExporterState(
                intervalSeconds: seconds, staleAfter: 3 * (seconds + budget))
            let channel: any Channel
            do {
                channel = try await ExporterHTTP.bind(
                    host: host, port: port, state: state, group: MultiThreadedEventLoopGroup.singleton)
            } catch {
                throw InputFailure(
                    message: "--listen \(listen): cannot listen (\(Self.reason(error))); give a free port")
            }
            logger.info("serving http://\(listen)/metrics, collecting every \(Format.duration(seconds))")
            let loop = CollectionLoop(interval: seconds, state: state, logger: logger) { await collector.collect() }
            let services = ServiceGroup(
                services: [loop, HTTPService(channel: channel)], gracefulShutdownSignals: [.sigterm, .sigint],
                cancellationSignals: [], logger: logger)
            try await services.run()
            logger.info("stopped")
        }

        static func reason(_ error: any Error) -> String {
            if let e = error as? IOError { return e.description }
            return String(describing: error)
        }

        /// `host:port`, `[v6]:port` or `:port` (every interface).
        static func listenAddress(_ text: String) throws(InputFailure) -> (String, Int) {
            let bad = InputFailure(
                message: "--listen \(text): give host:port with a port from 1 to 65535, e.g. 127.0.0.1:9308 or :9308")
            guard let colon = text.lastIndex(of: ":") else { throw bad }
            var host = String(text[..<colon])
            let portText = text[text.index(after: colon)...]
            guard !portText.isEmpty, portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber),
                portText.count <= 5, let port = Int(portText), (1...65_535).contains(port)
            else { throw bad }
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            if host.isEmpty { host = "0.0.0.0" }
            guard !host.contains(where: { $0.isWhitespace || $0 == "/" }), host.count <= 253 else { throw bad }
            return (host, port)
        }

        static func intervalSeconds(_ text: String) throws(InputFailure) -> Double {
            let s = try parseUnit(text, "--interval", UnitParser.duration)
            guard s >= 1 else { throw InputFailure(message: "--interval \(text): at least 1s (e.g. 30s)") }
            guard s <= 86_400 else { throw InputFailure(message: "--interval \(text): at most 24h") }
            return s
        }
    }
}
