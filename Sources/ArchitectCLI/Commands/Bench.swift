import ArchitectCore
import ArchitectReports
import ArgumentParser
import Foundation
import KafkaAdmin
import KafkaBench
import KafkaClient
import KafkaProtocol
import NIOCore
import NIOPosix

enum BenchModeArgument: String, ExpressibleByArgument, CaseIterable {
    case produce, consume, e2e
}

extension KafkaArchitect {
    /// `kafka-architect bench`: a load test whose latencies count from when each record was due, and that names
    /// what limited it.
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench",
            abstract: "Load-test a cluster (produce, consume or end to end) and name the bottleneck.",
            discussion: """
                Records are due on a constant schedule (--rate); each record's latency
                runs from when it was due to its acknowledgement (produce) or its
                consumption (e2e), so a stall shows in the percentiles instead of hiding
                in a lower send rate. Latencies go into an HdrHistogram (p50, p99, p99.9,
                p99.99, max). The report names the bottleneck — client CPU, broker
                throttling, the broker's response time, queueing, requests in flight,
                batching, the network — with its evidence and the setting to change.

                Safety: without --topic, bench creates kafka-architect-bench-<time> and
                deletes it afterwards (unless --keep). An existing topic is refused
                unless --topic T --i-know-this-is-live; a topic of a production
                architecture file (--file) is always refused. consume on its own topic
                first writes --records records to it. Without --duration or --records a
                run lasts 30 s.

                Examples:
                  kafka-architect bench produce --bootstrap kafka:9092 --rate 50k/s
                  kafka-architect bench produce --bootstrap kafka:9092 --rate max --records 1M
                  kafka-architect bench e2e --bootstrap kafka:9092 --file architecture.yaml
                  kafka-architect bench consume --bootstrap kafka:9092 --format json

                Exit codes: 0 ran (whatever it found); 1 the rate was not sustained or
                the latency SLO was missed; 2 usage error; 3 cluster unreachable or the
                run stopped early (the report is still printed, marked incomplete).
                Formulas: docs/bench.md.
                """
        )
        @Argument(help: "produce, consume or e2e.") var mode: BenchModeArgument
        @OptionGroup var cluster: ClusterOptions
        @Option(help: "An existing topic to use (needs --i-know-this-is-live); default a new topic of its own.")
        var topic: String?
        @Flag(help: "Allow writing to (or reading) an existing topic given with --topic.") var iKnowThisIsLive = false
        @Flag(help: "Keep the topic bench created.") var keep = false
        @Option(help: "Partitions of the topic bench creates (default 6); with --topic, the least it must have.")
        var partitions: Int?
        @Option(help: "Replication factor of the topic bench creates (default min(3, brokers)).")
        var replicationFactor: Int?
        @Option(help: "Records per second, e.g. 50k/s, 2000/s, or max (default max).") var rate: String?
        @Option(help: "Megabytes per second instead of --rate (records of --value-size).") var mbPerSecond: Double?
        @Option(help: "How long to run, e.g. 30s, 2m.") var duration: String?
        @Option(help: "How many records, e.g. 100000 or 1M.") var records: String?
        @Option(help: "Value size, e.g. 1KB, 512B (default 1KB: 1,000 bytes).") var valueSize: String?
        @Option(help: "Share of each value that compresses, 0 to 1 (default 0.5).") var compressibility: Double = 0.5
        @Option(help: "Keys: none, uniform:N, zipf:N:SKEW, or file:PATH (one key per line, replayed in order).")
        var keys: String = "none"
        @Option(help: "Partitioner: sticky (Kafka's default), murmur2, round-robin.") var partitioner: String = "sticky"
        @Option(help: "acks: all, 1 or 0.") var acks: String = "all"
        @Option(help: "batch.size in bytes (default 16384).") var batchSize: Int = 16384
        @Option(help: "linger.ms (default 5).") var lingerMs: Double = 5
        @Option(help: "compression.type: none, gzip, snappy, lz4, zstd (default none, or the --file topic's).")
        var compression: String?
        @Option(help: "max.in.flight.requests.per.connection (default 5).") var maxInFlight: Int = 5
        @Flag(help: "Turn the idempotent producer off (needed for acks 0 or 1).") var noIdempotence = false
        @Option(help: "Consume and e2e: fetch.max.wait.ms, how long the broker may hold an empty fetch (default 500).")
        var fetchMaxWaitMs: Int = 500
        @Option(help: "Architecture file: the workload (value size, rate, compression) and the plan to compare with.")
        var file: String?
        @Option(help: "The file's topic whose workload to run (default its busiest).") var workloadTopic: String?
        @Option(help: "Link speed in Gbit/s, to judge the network (default unknown).") var linkGbps: Double?
        @Flag(help: "Do not record latencies (measures the histogram's own cost).") var noHistogram = false
        @Option(help: "Seed for keys and values (default 1).") var seed: UInt64 = 1
        @Option(help: "Output: text, json or markdown.") var format: OutputFormat = .text
        @Option(name: [.short, .long], help: "Write to this file (atomically) instead of standard output.")
        var output: String?

        func validate() throws { try cluster.requireBootstrap() }

        func run() async throws {
            var plan = try BenchFlags(self).resolve()
            let connection = try cluster.connection()
            let group = MultiThreadedEventLoopGroup.singleton
            let setup = try await BenchTopic.prepare(self, plan: &plan, connection: connection)
            var report: BenchReport
            do {
                let request = plan.request(connection, topic: setup.topic)
                report = try await BenchRunner.run(request, group: group)
                // The progress line is rewritten in place: end it before the report.
                if request.progress != nil { FileHandle.standardError.write(Data("\n".utf8)) }
            } catch {
                await setup.cleanUp(keep: keep)
                throw ClusterFailure(message: error.description)
            }
            if plan.mode == .consume, let preload = setup.preloaded { report.notes.append(preload) }
            report.createdTopic = setup.created
            report.keptTopic = !setup.created || keep
            report.settings.defaulted = plan.defaulted
            report.linkBytesPerSecond = linkGbps.map { $0 * 1e9 / 8 }
            report.plan = plan.comparison(report)
            if let note = await setup.cleanUp(keep: keep) { report.notes.append(note) }
            let verdict = BenchAnalysis.analyse(report)
            let r = BenchRenderer()
            let text: String
            switch format {
            case .text: text = r.text(report, verdict)
            case .markdown: text = r.markdown(report, verdict)
            case .json:
                do { text = try r.json(report, verdict) } catch {
                    throw InputFailure(message: "cannot encode json: \(error)")
                }
            }
            if let output { try Terminal.writeAtomically(text, to: output) } else { Terminal.writeOut(text) }
            if !report.complete {
                throw ClusterFailure(message: "incomplete: " + report.missing.joined(separator: "; "))
            }
            if verdict.sustained == false || verdict.sloMet == false { throw ExitCode(ExitStatus.findings) }
        }
    }
}
