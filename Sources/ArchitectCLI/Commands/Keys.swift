import ArchitectCore
import ArchitectReports
import ArgumentParser
import Foundation
import KafkaClient

enum KeyInputFormat: String, ExpressibleByArgument, CaseIterable {
    case lines, jsonl, csv
}

extension KafkaArchitect {
    /// `kafka-architect keys`: will this key spread evenly?
    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keys",
            abstract: "Analyse how keys spread over partitions with Kafka's real partitioners.",
            discussion: """
                Input: one key per line as raw bytes (a trailing \\r is
                stripped); with --weighted, key<TAB>count lines; JSON lines or
                CSV with --key-field (and --size-field to weigh by bytes).
                Keys are bytes: invalid UTF-8 is hashed as is. Hot-key counts
                are exact for a file (or '- < FILE'), whose candidates are
                counted twice; a pipe's carry their error bound. Files of
                16 MiB or more are read on every core.

                Reports load per partition, max/mean, coefficient of variation,
                Gini, a chi-square test (real skew vs sampling noise), hot keys,
                key anti-patterns and the simulated effect of fixes.

                Examples:
                  kafka-architect keys examples/keys/orders.txt --partitions 12
                  kafka-architect keys k.txt --partitions 12 \\
                    --partitioner consistent_random
                  kafka-architect keys events.jsonl --key-field userId \\
                    --size-field bytes --partitions 24
                  kafka-architect keys counts.tsv --weighted --partitions 12 \\
                    --what-if 6..48
                  kafka-architect keys --bootstrap localhost:9092 --topic orders \\
                    --sample 20000 [--command-config client.properties]
                  kafka-architect keys --bootstrap localhost:9092 --topic orders \\
                    --window 30s --timeout 60s

                Partitioners: java (default: the Java client's murmur2),
                murmur2, murmur2_random, consistent, consistent_random
                (librdkafka's default), fnv1a, fnv1a_random.
                Formulas and formats: docs/keys.md.
                Exit codes: 0 ok, 2 usage or input error, 3 cluster or
                connection error, or a partial answer (with --bootstrap: the
                report is printed whole, the partitions that could not be read
                are listed in the notes and in live.missing).
                """
        )

        @Argument(help: "File of keys, or '-' for standard input.") var file: String = "-"
        @Option(help: "The topic's partition count (with --bootstrap: read from the cluster).") var partitions: Int?
        @OptionGroup(title: "Live topic") var cluster: ClusterOptions
        @Option(help: "The topic to sample (with --bootstrap).") var topic: String?
        @Option(
            parsing: .unconditional,
            help:
                "How many of the newest records to sample across all partitions: 1 to 1e9 (e.g. 20000, 50k), or all (default 10000)."
        )
        var sample: String = "10000"
        @Option(
            help: """
                Measure the traffic instead of what is retained: read each partition's log-end offset twice, \
                this long apart (e.g. 30s; shorter than --timeout), and sample the records appended in between.
                """)
        var window: String?
        @Option(
            help: """
                Partitioner: java, murmur2, murmur2_random, consistent, consistent_random, fnv1a, fnv1a_random \
                (default java; with --bootstrap, the one the producers are detected to use).
                """)
        var partitioner: String?
        @Flag(help: "Lines are key<TAB>count.") var weighted = false
        @Option(help: "Input format: lines, jsonl or csv (default: from the file extension, else lines).")
        var inputFormat: KeyInputFormat?
        @Option(help: "JSON or CSV field holding the key.") var keyField: String?
        @Option(help: "JSON or CSV field holding the record size in bytes (weighs load by bytes too).") var sizeField:
            String?
        @Option(help: "How many heaviest keys to report (default 10).") var top: Int = 10
        @Option(help: "Also simulate these partition counts: a range 6..48 or a list 6,12,24.") var whatIf: String?
        @Option(help: "Report the sample size needed to detect this skew on one partition (default 10%).")
        var detectSkew: String = "10%"
        @Option(help: "Significance level of the uniformity test (default 0.01).") var alpha: Double = 0.01
        @Option(
            help: "Salt each hot key into this many buckets in the simulated fix (default: enough for a fair share).")
        var saltBuckets: Int?
        @OptionGroup var outputOptions: OutputOptions

        // The checks run in the order users have always seen their messages: where the keys come from,
        // the analysis options, the partitioner, then the file format.
        func validate() throws {
            _ = try origin()
            if let saltBuckets, !FlagRanges.saltBuckets.contains(saltBuckets) {
                throw ValidationError(
                    "--salt-buckets \(saltBuckets) is out of range: give \(FlagRanges.describe("--salt-buckets"))")
            }
            guard alpha > 0 && alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1, e.g. 0.01") }
            guard FlagRanges.top.contains(top) else {
                throw ValidationError("--top \(top) is out of range: give \(FlagRanges.describe("--top"))")
            }
            _ = try chosenPartitioner()
            _ = try fileFormat()
        }

        /// Where the keys come from, with every flag that source needs checked and carried.
        enum Source {
            case live(topic: String)
            case file(partitions: Int, format: KeyFile.Format)
        }

        func source() throws(ValidationError) -> Source {
            switch try origin() {
            case .live(let topic): .live(topic: topic)
            case .file(let partitions): .file(partitions: partitions, format: try fileFormat())
            }
        }

        /// A live topic or a file with the topic's partition count, before the file's format is checked.
        enum Origin {
            case live(topic: String)
            case file(partitions: Int)
        }

        func origin() throws(ValidationError) -> Origin {
            if cluster.bootstrap != nil {
                guard let topic else { throw ValidationError("--bootstrap needs --topic, the topic to sample") }
                guard file == "-" else {
                    throw ValidationError("give a file of keys or --bootstrap with --topic, not both")
                }
                guard !topic.isEmpty else { throw ValidationError("--topic: give the topic's name") }
                _ = try sampleSize()
                return .live(topic: topic)
            }
            if window != nil {
                throw ValidationError("--window measures a live topic's traffic: give --bootstrap and --topic too")
            }
            guard let partitions else { throw ValidationError("--partitions is required: the topic's partition count") }
            guard FlagRanges.partitions.contains(partitions) else {
                throw ValidationError(
                    "--partitions \(partitions) is out of range: give \(FlagRanges.describe("--partitions")) (the topic's partition count)"
                )
            }
            return .file(partitions: partitions)
        }

        func fileFormat() throws(ValidationError) -> KeyFile.Format {
            let format = resolvedFormat
            if format == .lines {
                if keyField != nil || sizeField != nil {
                    throw ValidationError("--key-field and --size-field need --input-format jsonl or csv")
                }
                return weighted ? .weighted : .lines
            }
            guard let keyField else { throw ValidationError("--key-field is needed for \(format.rawValue) input") }
            if weighted {
                throw ValidationError(
                    "--weighted reads key<TAB>count lines; it does not combine with \(format.rawValue)")
            }
            return format == .jsonl
                ? .jsonl(keyField: keyField, sizeField: sizeField) : .csv(keyField: keyField, sizeField: sizeField)
        }

        /// The partitioner given with --partitioner, if any.
        /// The records to sample: a count from 1 to 10⁹, or every record (`all`, as `Int.max`).
        func sampleSize() throws(ValidationError) -> Int {
            if sample.lowercased() == "all" { return Int.max }
            guard let n = try? UnitParser.count(sample), n == n.rounded(), n >= 1, n <= 1e9 else {
                throw ValidationError(
                    "--sample must be a whole number from 1 to 1e9 (e.g. 20000 or 50k), or all (got '\(sample)')")
            }
            return Int(n)
        }

        func chosenPartitioner() throws(ValidationError) -> Partitioner? {
            guard let partitioner else { return nil }
            guard let chosen = Partitioner(rawValue: partitioner) else {
                let names = Partitioner.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("--partitioner '\(partitioner)' is not one of \(names)")
            }
            return chosen
        }

        var resolvedFormat: KeyInputFormat {
            if let inputFormat { return inputFormat }
            let lower = file.lowercased()
            if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
            if lower.hasSuffix(".csv") { return .csv }
            return .lines
        }

        func run() async throws {
            let counts = try whatIf.map { text throws(InputFailure) in try parseWhatIf(text) } ?? []
            let skew = try parseUnit(detectSkew, "--detect-skew", UnitParser.fraction)
            guard skew > 0 else { throw InputFailure(message: "--detect-skew: must be positive, e.g. 10%") }
            let given = try chosenPartitioner()
            let partitioner = given
            switch try source() {
            case .live(let topic):
                try await runLive(topic: topic, partitioner: given, whatIf: counts, skew: skew)
            case .file(let partitions, let format):
                let keyFile = KeyFile(path: file, format: format)
                let analyzer = try await keyFile.analyze {
                    KeyAnalyzer(partitioner: partitioner ?? .java, partitions: partitions, whatIf: counts)
                }
                let report = analyzer.report(top: top, alpha: alpha, detectableSkew: skew, saltBuckets: saltBuckets)
                let renderer = KeyReportRenderer()
                try outputOptions.emit(
                    text: { renderer.text(report) }, markdown: { renderer.markdown(report) },
                    json: { try renderer.json(report) })
            }
        }

        /// Samples a live topic, analyses its keys with its real partition count, and says which
        /// partitioner the producers use by checking every record's actual partition.
        func runLive(topic: String, partitioner given: Partitioner?, whatIf counts: [Int], skew: Double) async throws {
            let seconds = try windowSeconds()
            let connection = try cluster.connection()
            let records = try sampleSize()
            if partitions != nil {
                Terminal.writeError(
                    "kafka-architect: note: --partitions is ignored with --bootstrap: the topic's own count is used")
            }
            let sampled: KeySample
            do {
                sampled = try await connection.admin.sampleKeys(
                    bootstrap: connection.addresses, topic: topic, records: records, window: seconds)
            } catch {
                throw ClusterFailure(message: error.description)
            }
            let keyed = sampled.keys.compactMap { k in k.key.map { (key: $0, partition: Int(k.partition)) } }
            let detection = PartitionerDetector.detect(keyed, partitions: sampled.partitions)
            let placement = KeyPlacement.choose(given: given, detected: detection)
            var analyzer = KeyAnalyzer(
                partitioner: placement.partitioner, partitions: sampled.partitions, whatIf: counts)
            for k in sampled.keys {
                if let key = k.key { key.withUnsafeBytes { analyzer.add($0) } } else { analyzer.add(nil as [UInt8]?) }
            }
            let measured = Self.measuredLoads(sampled, window: seconds)
            let report = analyzer.report(
                top: top, alpha: alpha, detectableSkew: skew, saltBuckets: saltBuckets, measured: measured)
            let appended = seconds.map { _ in sampled.volumes.reduce(Int64(0)) { $0 &+ ($1.appended ?? 0) } }
            var notes = sampled.notes
            if let seconds, appended == 0, !sampled.volumes.isEmpty {
                notes.append(
                    "no records were appended in the \(Format.duration(seconds)) window: the topic is idle; give a longer --window, or leave it out to analyse the records retained"
                )
            }
            let live = LiveKeySample(
                topic: topic, sampledRecords: sampled.keys.count, partitionCount: sampled.partitions,
                notes: notes, batchesByCodec: sampled.batchesByCodec, detection: detection,
                placement: placement, missing: Self.missing(sampled), windowSeconds: seconds,
                appendedRecords: appended)
            let renderer = KeyReportRenderer()
            try outputOptions.emit(
                text: { renderer.liveHeading(live) + renderer.text(report) },
                markdown: { renderer.liveHeading(live) + renderer.markdown(report) },
                json: { try renderer.json(report, live: live) })
            // A partial answer is printed whole, then said to be partial: exit 3.
            if !live.complete {
                throw ClusterFailure(
                    message:
                        "incomplete: partitions \(live.missing.map(String.init).joined(separator: ",")) of \(topic) could not be read (see the notes)"
                )
            }
        }

        /// Partitions the answer lacks: not read at all, or read only in part (their loads are still
        /// known from their offsets, their keys are not all there).
        static func missing(_ sampled: KeySample) -> [Int] {
            let short = sampled.volumes.filter { !$0.readToEnd }.map { Int($0.partition) }
            let read = Set(sampled.volumes.map { Int($0.partition) })
            return ((0..<sampled.partitions).filter { !read.contains($0) } + short).sorted()
        }

        /// The --window in seconds, if given: positive, at most an hour, and shorter than --timeout (the
        /// command waits the window, then reads).
        func windowSeconds() throws(InputFailure) -> Double? {
            guard let window else { return nil }
            let s = try parseUnit(window, "--window", UnitParser.duration)
            guard s >= 0.1, s <= 3600 else {
                throw InputFailure(message: "--window: from 100ms to 1h, e.g. 30s (got '\(window)')")
            }
            let timeout = try cluster.seconds()
            guard s < timeout else {
                throw InputFailure(
                    message:
                        "--window \(window) must be shorter than --timeout (\(cluster.timeout)): the command waits the window, then reads; e.g. --window 30s --timeout 60s"
                )
            }
            return s
        }

        /// Each partition's records from its own offsets (retained, or appended over `window` seconds);
        /// partitions without offsets are unknown.
        static func measuredLoads(_ sampled: KeySample, window: Double? = nil) -> MeasuredLoads {
            let count = { (v: PartitionVolume) in window == nil ? v.retained : (v.appended ?? 0) }
            let volumes = Dictionary(
                uniqueKeysWithValues: sampled.volumes.map { (Int($0.partition), UInt64(clamping: count($0))) })
            let unread = (0..<sampled.partitions).filter { volumes[$0] == nil }
            let total = sampled.volumes.reduce(Int64(0)) { $0 &+ count($1) }
            let whole =
                !sampled.volumes.isEmpty && sampled.volumes.allSatisfy { $0.sampledFrom <= $0.base && $0.readToEnd }
            let what = window == nil ? "records" : "records appended"
            let keys =
                whole
                ? "every \(what.hasSuffix("appended") ? "record appended" : "record") read"
                : "keys from \(sampled.keys.count) of \(total) \(what), taken from each partition in proportion to its count"
            let source =
                window.map {
                    "records appended per partition in a \(Format.duration($0)) window, log-end offset read at its start and end"
                } ?? "records retained per partition, log-end − log-start offset"
            return MeasuredLoads(volumes: volumes, unread: unread, source: "\(source); \(keys)", wholeTopic: whole)
        }

        func parseWhatIf(_ text: String) throws(InputFailure) -> [Int] {
            let parts = text.split(separator: ".", omittingEmptySubsequences: true)
            var values: [Int] = []
            if text.contains(".."), parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a >= 1, b >= a,
                b - a <= 1000
            {
                values = Array(a...b)
            } else {
                let list = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard !list.isEmpty, list.count <= 1000, list.allSatisfy({ ($0 ?? 0) >= 1 }) else {
                    throw InputFailure(
                        message:
                            "--what-if: '\(text)' is not a range like 6..48 or a list like 6,12,24 (at most 1000 counts, each ≥ 1)"
                    )
                }
                values = list.compactMap { $0 }
            }
            return values
        }
    }
}
