import ArchitectCore
import ArchitectOutput
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
            abstract: "Analyse how keys spread over partitions with Kafka's real partitioners.",
            discussion: """
                Input: one key per line as raw bytes (a trailing \\r is
                stripped); with --weighted, key<TAB>count lines; JSON lines or
                CSV with --key-field (and --size-field to weigh by bytes).
                Keys are bytes: invalid UTF-8 is hashed as is.

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

                Partitioners: java (default: the Java client's murmur2),
                murmur2, murmur2_random, consistent, consistent_random
                (librdkafka's default), fnv1a, fnv1a_random.
                Formulas and formats: docs/keys.md.
                Exit codes: 0 ok (with --bootstrap: partitions that could not be
                read are listed as notes), 2 usage or input error, 3 cluster or
                connection error.
                """
        )

        @Argument(help: "File of keys, or '-' for standard input.") var file: String = "-"
        @Option(help: "The topic's partition count (with --bootstrap: read from the cluster).") var partitions: Int?
        @Option(help: "Sample a live topic from these brokers, host:port[,host:port].") var bootstrap: String?
        @Option(help: "The topic to sample (with --bootstrap).") var topic: String?
        @Option(help: "How many of the newest records to sample across all partitions (default 10000).") var sample: Int = 10_000
        @Option(help: "Give up on the cluster after this long (default 10s).") var timeout: String = "10s"
        @Option(help: ArgumentHelp("With --bootstrap: client properties for TLS/SASL (Java client names).", valueName: "file")) var commandConfig: String?
        @Option(help: "Partitioner: java, murmur2, murmur2_random, consistent, consistent_random, fnv1a, fnv1a_random.")
        var partitioner: String = "java"
        @Flag(help: "Lines are key<TAB>count.") var weighted = false
        @Option(help: "Input format: lines, jsonl or csv (default: from the file extension, else lines).") var inputFormat: KeyInputFormat?
        @Option(help: "JSON or CSV field holding the key.") var keyField: String?
        @Option(help: "JSON or CSV field holding the record size in bytes (weighs load by bytes too).") var sizeField: String?
        @Option(help: "How many heaviest keys to report (default 10).") var top: Int = 10
        @Option(help: "Also simulate these partition counts: a range 6..48 or a list 6,12,24.") var whatIf: String?
        @Option(help: "Report the sample size needed to detect this skew on one partition (default 10%).") var detectSkew: String = "10%"
        @Option(help: "Significance level of the uniformity test (default 0.01).") var alpha: Double = 0.01
        @Option(help: "Salt each hot key into this many buckets in the simulated fix (default: enough for a fair share).") var saltBuckets: Int?
        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            if bootstrap != nil {
                guard topic != nil else { throw ValidationError("--bootstrap needs --topic, the topic to sample") }
                guard file == "-" else { throw ValidationError("give a file of keys or --bootstrap with --topic, not both") }
                guard sample >= 1 else { throw ValidationError("--sample must be at least 1") }
            } else {
                guard let partitions else { throw ValidationError("--partitions is required: the topic's partition count") }
                guard partitions >= 1 else { throw ValidationError("--partitions must be at least 1 (the topic's partition count)") }
                guard partitions <= 1_000_000 else { throw ValidationError("--partitions \(partitions) is beyond any real topic") }
            }
            if let saltBuckets, saltBuckets < 2 || saltBuckets > 10_000 { throw ValidationError("--salt-buckets must be between 2 and 10000") }
            guard alpha > 0 && alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1, e.g. 0.01") }
            guard top >= 0 else { throw ValidationError("--top must not be negative") }
            guard Partitioner(rawValue: partitioner) != nil else {
                throw ValidationError("--partitioner '\(partitioner)' is not one of \(Partitioner.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let format = resolvedFormat
            if format != .lines && keyField == nil { throw ValidationError("--key-field is needed for \(format.rawValue) input") }
            if format == .lines && (keyField != nil || sizeField != nil) { throw ValidationError("--key-field and --size-field need --input-format jsonl or csv") }
            if weighted && format != .lines { throw ValidationError("--weighted reads key<TAB>count lines; it does not combine with \(format.rawValue)") }
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
            if let bootstrap, let topic {
                try await runLive(bootstrap: bootstrap, topic: topic, whatIf: counts, skew: skew)
                return
            }
            let partitions = self.partitions!
            var analyzer = KeyAnalyzer(partitioner: Partitioner(rawValue: partitioner)!, partitions: partitions, whatIf: counts)
            let reader = LineReader(path: file)
            let name = file == "-" ? "<stdin>" : file
            switch resolvedFormat {
            case .lines where weighted:
                try reader.forEachLine { line, number in
                    guard let tab = line.lastIndex(of: 9), let count = Self.parseCount(UnsafeRawBufferPointer(rebasing: line[(tab + 1)...])), count > 0 else {
                        throw InputFailure(message: "\(name):\(number): malformed weighted line: expected key<TAB>count with a positive whole count")
                    }
                    analyzer.add(UnsafeRawBufferPointer(rebasing: line[..<tab]), weight: count)
                }
            case .lines:
                try reader.forEachLine { line, _ in analyzer.add(key: line) }
            case .jsonl:
                try reader.forEachLine { line, number in
                    guard line.contains(where: { $0 != 32 && $0 != 9 }) else { return }
                    let object: Any
                    do { object = try JSONSerialization.jsonObject(with: Data(line)) } catch {
                        throw InputFailure(message: "\(name):\(number): not valid JSON; each line must be one JSON object")
                    }
                    guard let record = object as? [String: Any] else { throw InputFailure(message: "\(name):\(number): expected a JSON object") }
                    let key = try Self.jsonKey(record[keyField!], name: name, line: number, field: keyField!)
                    let size = try sizeField.map { field throws(InputFailure) in try Self.jsonSize(record[field], name: name, line: number, field: field) } ?? nil
                    analyzer.add(key, size: size)
                }
            case .csv:
                var keyIndex = -1, sizeIndex: Int? = nil
                try reader.forEachLine { line, number in
                    let fields = Self.csvFields(line)
                    if number == 1 {
                        guard let k = fields.firstIndex(of: keyField!) else {
                            throw InputFailure(message: "\(name):1: no column '\(keyField!)' in the header (\(fields.joined(separator: ", ")))")
                        }
                        keyIndex = k
                        if let sizeField {
                            guard let s = fields.firstIndex(of: sizeField) else {
                                throw InputFailure(message: "\(name):1: no column '\(sizeField)' in the header (\(fields.joined(separator: ", ")))")
                            }
                            sizeIndex = s
                        }
                        return
                    }
                    if fields.count == 1 && fields[0].isEmpty { return }
                    guard keyIndex < fields.count, sizeIndex.map({ $0 < fields.count }) ?? true else {
                        throw InputFailure(message: "\(name):\(number): \(fields.count) fields, fewer than the header's")
                    }
                    var size: UInt64? = nil
                    if let sizeIndex {
                        guard let s = UInt64(fields[sizeIndex]) else {
                            throw InputFailure(message: "\(name):\(number): \(sizeField!) '\(fields[sizeIndex])' is not a whole number of bytes")
                        }
                        size = s
                    }
                    analyzer.add(Array(fields[keyIndex].utf8), size: size)
                }
            }
            let report = analyzer.report(top: top, alpha: alpha, detectableSkew: skew, saltBuckets: saltBuckets)
            let renderer = KeyReportRenderer()
            switch outputOptions.format {
            case .text: try outputOptions.emit(renderer.text(report))
            case .markdown: try outputOptions.emit(renderer.markdown(report))
            case .json:
                let json: String
                do { json = try renderer.json(report) } catch { throw InputFailure(message: "cannot encode JSON: \(error)") }
                try outputOptions.emit(json)
            }
        }

        /// Samples a live topic, analyses its keys with its real partition count, and says which
        /// partitioner the producers use by checking every record's actual partition.
        func runLive(bootstrap: String, topic: String, whatIf counts: [Int], skew: Double) async throws {
            let options = try ClusterOptions.parse(["--bootstrap", bootstrap, "--timeout", timeout] + (commandConfig.map { ["--command-config", $0] } ?? []))
            let admin = try options.admin()
            let sampled: KeySample
            do {
                sampled = try await admin.sampleKeys(bootstrap: try options.addresses(), topic: topic, records: sample)
            } catch let e as ClusterError {
                throw ClusterFailure(message: e.description)
            }
            var analyzer = KeyAnalyzer(partitioner: Partitioner(rawValue: partitioner)!, partitions: sampled.partitions, whatIf: counts)
            for k in sampled.keys {
                if let key = k.key { key.withUnsafeBytes { analyzer.add($0) } } else { analyzer.add(nil as [UInt8]?) }
            }
            let report = analyzer.report(top: top, alpha: alpha, detectableSkew: skew, saltBuckets: saltBuckets)
            let detection = PartitionerDetector.detect(sampled.keys.compactMap { k in k.key.map { (key: $0, partition: Int(k.partition)) } }, partitions: sampled.partitions)
            let renderer = KeyReportRenderer()
            switch outputOptions.format {
            case .json:
                struct Live: Encodable {
                    let topic: String; let sampledRecords: Int; let partitionCount: Int; let notes: [String]; let batchesByCodec: [String: Int]
                    let partitioner: Detected
                    struct Detected: Encodable { let verdict: String; let family: String?; let disagree: Bool; let compared: Int; let matches: [M] }
                    struct M: Encodable { let family: String; let matched: Int; let share: Double }
                }
                let live = Live(topic: topic, sampledRecords: sampled.keys.count, partitionCount: sampled.partitions, notes: sampled.notes,
                                batchesByCodec: sampled.batchesByCodec,
                                partitioner: .init(verdict: detection.verdict, family: detection.family, disagree: detection.disagree, compared: detection.compared,
                                                   matches: detection.matches.map { .init(family: $0.family, matched: $0.matched, share: ($0.share * 1e6).rounded() / 1e6) }))
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                var report = try JSONSerialization.jsonObject(with: Data(try renderer.json(report).utf8)) as! [String: Any]
                report["live"] = try JSONSerialization.jsonObject(with: try encoder.encode(live))
                let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                try outputOptions.emit(String(decoding: data, as: UTF8.self) + "\n")
            case .text, .markdown:
                var head = ["Topic \(topic): \(sampled.keys.count) newest records sampled from \(sampled.partitions) partitions",
                            "Partitioner: \(detection.verdict)"]
                for m in detection.matches { head.append("  \(m.family): \(m.matched) of \(detection.compared) keyed records") }
                if !sampled.batchesByCodec.isEmpty {
                    head.append("Compression: " + sampled.batchesByCodec.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value) batch\($0.value == 1 ? "" : "es")" }.joined(separator: ", "))
                }
                for n in sampled.notes { head.append("note: \(n)") }
                let body = outputOptions.format == .text ? renderer.text(report) : renderer.markdown(report)
                try outputOptions.emit(head.joined(separator: "\n") + "\n\n" + body)
            }
        }

        func parseWhatIf(_ text: String) throws(InputFailure) -> [Int] {
            let parts = text.split(separator: ".", omittingEmptySubsequences: true)
            var values: [Int] = []
            if text.contains(".."), parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a >= 1, b >= a, b - a <= 1000 {
                values = Array(a...b)
            } else {
                let list = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard !list.isEmpty, list.count <= 1000, list.allSatisfy({ ($0 ?? 0) >= 1 }) else {
                    throw InputFailure(message: "--what-if: '\(text)' is not a range like 6..48 or a list like 6,12,24 (at most 1000 counts, each ≥ 1)")
                }
                values = list.map { $0! }
            }
            return values
        }

        static func parseCount(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
            guard !bytes.isEmpty, bytes.count <= 19 else { return nil }
            var v: UInt64 = 0
            for c in bytes {
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + UInt64(c - 48)
            }
            return v
        }

        static func jsonKey(_ value: Any?, name: String, line: Int, field: String) throws(InputFailure) -> [UInt8]? {
            switch value {
            case nil, is NSNull: return nil
            case let s as String: return Array(s.utf8)
            case let n as NSNumber:
                if String(cString: n.objCType) == "c" { return Array((n.boolValue ? "true" : "false").utf8) }
                return Array(n.stringValue.utf8)
            default: throw InputFailure(message: "\(name):\(line): field '\(field)' is an object or array; keys must be strings or numbers")
            }
        }

        static func jsonSize(_ value: Any?, name: String, line: Int, field: String) throws(InputFailure) -> UInt64? {
            switch value {
            case nil, is NSNull: return nil
            case let n as NSNumber where n.doubleValue >= 0 && n.doubleValue < 1e18: return UInt64(n.doubleValue)
            default: throw InputFailure(message: "\(name):\(line): field '\(field)' must be a number of bytes between 0 and 10^18")
            }
        }

        /// One CSV record's fields (RFC 4180 quoting within a line).
        static func csvFields(_ line: UnsafeRawBufferPointer) -> [String] {
            var fields: [String] = []
            var current: [UInt8] = []
            var quoted = false
            var i = 0
            while i < line.count {
                let c = line[i]
                if quoted {
                    if c == 34 {
                        if i + 1 < line.count && line[i + 1] == 34 { current.append(34); i += 1 } else { quoted = false }
                    } else {
                        current.append(c)
                    }
                } else if c == 34 && current.isEmpty {
                    quoted = true
                } else if c == 44 {
                    fields.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                } else {
                    current.append(c)
                }
                i += 1
            }
            fields.append(String(decoding: current, as: UTF8.self))
            return fields
        }
    }
}
