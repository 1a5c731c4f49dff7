import ArchitectCore
import Foundation
import Testing

@testable import ArchitectCLI

@Suite(.serialized) struct PartitionsCommandTests {
    @Test func jsonHasEveryTermWithItsFormula() throws {
        let r = try CLIRunner.run([
            "partitions", "--messages-per-second", "2k", "--message-size", "2KB", "--processing-time", "50ms",
            "--consumers", "6", "--brokers", "6", "--format", "json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        #expect(doc["minimumPartitions"] as? Int == 1)
        #expect(doc["requiredConcurrency"] as? Int == 200)
        #expect(doc["recommendedPartitions"] as? Int == 6)
        #expect(doc["preferInPartitionConcurrency"] as? Bool == true)
        let terms = try #require(doc["terms"] as? [[String: Any]])
        for id in [
            "throughput.writes", "throughput.reads", "minimumPartitions", "headroom", "requiredConcurrency", "floor",
            "multiple", "recommendedPartitions",
        ] {
            let term = try #require(terms.first { $0["id"] as? String == id }, "missing term \(id)")
            #expect(!(term["formula"] as? String ?? "").isEmpty)
        }
    }

    @Test func textExplainsTermsAndCosts() throws {
        let r = try CLIRunner.run(["partitions", "--messages-per-second", "10k", "--message-size", "1KB"])
        #expect(r.status == 0)
        // 20 MB/s after growth: 2 partitions, 6 with 3× headroom; 6 and 9 on 3 brokers, 6 has more divisors.
        #expect(r.stdout.contains("Partitions: 6 recommended (throughput minimum 2)"))
        #expect(r.stdout.contains("⌈T ÷ partitionWriteThroughput⌉"))
        #expect(r.stdout.contains("Open segment files per broker"))
    }

    @Test func fileModeAdvisesEveryTopicLikePlan() throws {
        let r = try CLIRunner.run(["partitions", "examples/ecommerce.yaml", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let topics = try #require(try CLIRunner.json(r.stdout)["topics"] as? [[String: Any]])
        #expect(topics.count == 5)
        let plan = try CLIRunner.json(
            try CLIRunner.run(["plan", "examples/ecommerce.yaml", "--format", "json"]).stdout)
        let planTopics = try #require(plan["topics"] as? [[String: Any]])
        for (advice, planned) in zip(topics, planTopics) where planned["partitionsDerived"] as? Bool == true {
            #expect(advice["recommendedPartitions"] as? Int == planned["partitions"] as? Int)
        }
    }

    @Test func badInputExitsTwo() throws {
        for args in [
            ["partitions"], ["partitions", "--messages-per-second", "0", "--message-size", "1KB"],
            ["partitions", "--messages-per-second", "1k", "--message-size", "1KB", "--brokers", "0"],
            ["partitions", "--messages-per-second", "1k", "--message-size", "big"],
            ["partitions", "examples/ecommerce.yaml", "--topic", "nope"],
        ] {
            let r = try CLIRunner.run(args)
            #expect(r.status == 2, "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count <= 2, "\(args): \(r.stderr)")
        }
    }
}

@Suite(.serialized) struct KeysCommandTests {
    func temp(_ contents: String, suffix: String = ".txt") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ka-\(UUID().uuidString)\(suffix)")
            .path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func jsonHasTheDocumentedFields() throws {
        let r = try CLIRunner.run(["keys", "examples/keys/tenants.txt", "--partitions", "12", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        let partitions = try #require(doc["partitions"] as? [[String: Any]])
        #expect(partitions.count == 12)
        #expect(partitions.reduce(0) { $0 + ($1["messages"] as? Int ?? 0) } == 20_000)
        #expect((doc["maxToMeanRatio"] as? Double ?? 0) > 2)
        #expect(((doc["chiSquare"] as? [String: Any])?["pValue"] as? Double ?? 1) < 0.01)
        let hot = try #require(doc["hotKeys"] as? [[String: Any]])
        #expect(hot.first?["key"] as? String == "tenant-000")
        #expect(hot.first?["partition"] is Int)
        #expect(hot.first?["share"] is Double)
        #expect(hot.first?["messages"] is Int)
    }

    @Test func weightedAndPlainInputAgree() throws {
        let weighted = try CLIRunner.run([
            "keys", "examples/keys/tenants-weighted.tsv", "--weighted", "--partitions", "12", "--format", "json",
        ])
        #expect(weighted.status == 0, "\(weighted.stderr)")
        let doc = try CLIRunner.json(weighted.stdout)
        let total = try #require(doc["totalMessages"] as? Int)
        let lines = try String(
            contentsOfFile: CLIRunner.packageRoot.appendingPathComponent("examples/keys/tenants-weighted.tsv").path,
            encoding: .utf8)
        let expected = lines.split(separator: "\n").reduce(0) { $0 + Int($1.split(separator: "\t")[1])! }
        #expect(total == expected)
    }

    @Test func jsonLinesWithSizesAndNullKeys() throws {
        let path = try temp(
            #"{"user":"a","bytes":100}"# + "\n" + #"{"user":null,"bytes":50}"# + "\n" + #"{"bytes":10}"# + "\n"
                + #"{"user":7,"bytes":1}"# + "\n", suffix: ".jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run([
            "keys", path, "--key-field", "user", "--size-field", "bytes", "--partitions", "3", "--format", "json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        #expect(doc["nullKeys"] as? Int == 2)
        #expect(doc["keyedMessages"] as? Int == 2)
        #expect(doc["totalBytes"] as? Int == 161)
    }

    @Test func absurdSizesAreRefusedNotCrashed() throws {
        let path = try temp(#"{"user":"a","bytes":1e30}"# + "\n", suffix: ".jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run(["keys", path, "--key-field", "user", "--size-field", "bytes", "--partitions", "3"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(path):1:"))
    }

    /// Whole-number flags given too large (past Int), negative (which ArgumentParser takes for a flag)
    /// or past the checked bounds: exit 2 and one line naming the flag and the range it takes.
    @Test(arguments: [
        ("--partitions", "1", "1000000"), ("--top", "0", "1000000"), ("--salt-buckets", "2", "10000"),
    ])
    func outOfRangeNumbersNameTheFlagAndItsRange(flag: String, low: String, high: String) throws {
        let path = try temp("a\nb\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for value in ["99999999999999999999999", "-3", String(Int(high)! + 1)] {
            var args = ["keys", path, "--partitions", "3", flag, value]
            if flag == "--partitions" { args = ["keys", path, flag, value] }
            let r = try CLIRunner.run(args)
            #expect(r.status == 2, "\(flag) \(value)")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(r.stderr)")
            #expect(
                r.stderr.contains("\(flag) \(value) is out of range: give a whole number from \(low) to \(high)"),
                "\(r.stderr)")
        }
    }

    @Test func csvWithHeader() throws {
        let path = try temp("id,customer,size\n1,\"acme, inc\",10\n2,globex,20\n3,\"acme, inc\",30\n", suffix: ".csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run([
            "keys", path, "--key-field", "customer", "--size-field", "size", "--partitions", "4", "--format", "json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        #expect(doc["totalMessages"] as? Int == 3)
        #expect((doc["hotKeys"] as? [[String: Any]])?.first?["key"] as? String == "acme, inc")
    }

    @Test func crlfLinesHashLikeLfLines() throws {
        let lf = try temp("alpha\nbeta\ngamma\n")
        let crlf = try temp("alpha\r\nbeta\r\ngamma\r\n")
        defer {
            try? FileManager.default.removeItem(atPath: lf)
            try? FileManager.default.removeItem(atPath: crlf)
        }
        let a = try CLIRunner.run(["keys", lf, "--partitions", "5", "--format", "json"])
        let b = try CLIRunner.run(["keys", crlf, "--partitions", "5", "--format", "json"])
        #expect(
            try CLIRunner.json(a.stdout)["partitions"] as? [[String: Int]] == CLIRunner.json(b.stdout)["partitions"]
                as? [[String: Int]])
    }

    @Test func invalidUTF8IsHashedNotRejected() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ka-\(UUID().uuidString).bin").path
        try Data([0xFF, 0xFE, 0x41, 10, 0xC3, 0x28, 10]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run(["keys", path, "--partitions", "4", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let hot = try #require(try CLIRunner.json(r.stdout)["hotKeys"] as? [[String: Any]])
        #expect(Set(hot.compactMap { $0["keyHex"] as? String }) == ["fffe41", "c328"])
    }

    @Test func readsStandardInput() throws {
        let r = try CLIRunner.run(["keys", "-", "--partitions", "3"], stdin: "a\nb\nc\na\n")
        #expect(r.status == 0)
        #expect(r.stdout.contains("4 records"))
    }

    @Test func emptyInputSaysSoAndExitsZero() throws {
        let path = try temp("")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run(["keys", path, "--partitions", "6"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("no keys"))
        let json = try CLIRunner.run(["keys", path, "--partitions", "6", "--format", "json"])
        #expect(try CLIRunner.json(json.stdout)["totalMessages"] as? Int == 0)
    }

    @Test func malformedWeightedLineNamesFileAndLine() throws {
        let path = try temp("a\t3\nb\tmany\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run(["keys", path, "--weighted", "--partitions", "6"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(path):2:"))
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stdout.isEmpty)
    }

    @Test func badArgumentsExitTwo() throws {
        for args in [
            ["keys", "examples/keys/orders.txt", "--partitions", "0"],
            ["keys", "no/such/keys.txt", "--partitions", "6"],
            ["keys", "examples/keys/orders.txt", "--partitions", "6", "--partitioner", "md5"],
            ["keys", "examples/keys/orders.txt", "--partitions", "6", "--what-if", "48..6"],
            ["keys", "examples/keys/events.jsonl", "--partitions", "6"],
            ["keys", "examples/keys/orders.txt"],
        ] {
            let r = try CLIRunner.run(args)
            #expect(r.status == 2, "\(args): \(r.stderr)")
            #expect(!r.stderr.isEmpty)
        }
    }

    @Test func helpHasExamples() throws {
        let r = try CLIRunner.run(["keys", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("kafka-architect keys examples/keys/orders.txt --partitions 12"))
        let p = try CLIRunner.run(["partitions", "--help"])
        #expect(p.stdout.contains("--processing-time 50ms"))
    }
}

/// Heavy-hitter counts from the command: exact for a file (read twice), bounded for standard input.
@Suite struct HotKeyCountTests {
    static let phantom =
        String(repeating: "user-4\n", count: 1000) + "user-4283\n" + (1...200).map { "other-\($0)\n" }.joined()

    @Test func aFileIsCountedExactly() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("phantom-\(UUID().uuidString).txt")
            .path
        try Self.phantom.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run(["keys", path, "--partitions", "24", "--format", "json"])
        #expect(r.status == 0)
        let doc = try CLIRunner.json(r.stdout)
        #expect(doc["hotKeyErrorBound"] as? Double == 0)
        let hot = try #require(doc["hotKeys"] as? [[String: Any]])
        let counts = Dictionary(
            uniqueKeysWithValues: hot.map { ($0["key"] as? String ?? "", $0["messages"] as? Int ?? -1) })
        #expect(counts["user-4"] == 1000)
        if let seenOnce = counts["user-4283"] { #expect(seenOnce == 1) }
        #expect(hot.allSatisfy { $0["maxOverestimate"] as? Int == 0 })
        #expect(r.stdout.contains("\"maxOverestimate\""))
        let text = try CLIRunner.run(["keys", path, "--partitions", "24"])
        #expect(text.stdout.contains("Heaviest keys (exact counts"))
    }

    @Test func standardInputCarriesHonestBounds() throws {
        let r = try CLIRunner.run(["keys", "-", "--partitions", "24", "--format", "json"], stdin: Self.phantom)
        let hot = try #require(try CLIRunner.json(r.stdout)["hotKeys"] as? [[String: Any]])
        let truth: [String: Int] = ["user-4": 1000, "user-4283": 1]
        for h in hot {
            let key = h["key"] as? String ?? ""
            let messages = h["messages"] as? Int ?? -1
            let bound = h["maxOverestimate"] as? Int ?? -1
            let real = truth[key] ?? 1
            #expect(messages >= real && messages - bound <= real, "\(key): \(messages) − \(bound) vs \(real)")
            if h["hot"] as? Bool == true { #expect(key == "user-4") }
        }
    }
}

/// A file past `FileShards.parallelBytes` is read in four parts on every core; standard input
/// redirected from it is the same file, a pipe is read once in order.
@Suite struct ParallelKeyFileTests {
    @Test func aLargeFileIsExactAndTheSameFromARedirect() throws {
        var rng = XorShift(state: 0x5EED_1234_ABCD_0001)
        var truth: [String: Int] = [:]
        var loads = [Int](repeating: 0, count: 12)
        var text = ""
        var written = 0
        while written < Int(FileShards.parallelBytes) + 1_000_000 {
            let r = Int.random(in: 0..<1000, using: &rng)
            let key = r < 40 ? "vehicle-hot-\(r % 4)" : "vehicle-\(Int.random(in: 0..<400_000, using: &rng))-telemetry"
            truth[key, default: 0] += 1
            loads[Int((KafkaHash.murmur2(Array(key.utf8)) & 0x7fff_ffff) % 12)] += 1
            text += key + "\n"
            written += key.utf8.count + 1
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-\(UUID().uuidString).txt").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try CLIRunner.run(["keys", path, "--partitions", "12", "--format", "json"])
        #expect(file.status == 0, "\(file.stderr)")
        let sh = URL(fileURLWithPath: "/bin/sh")
        let command = "exec \"$0\" keys - --partitions 12 --format json < \"$1\""
        let redirect = try CLIRunner.run(sh, ["-c", command, CLIRunner.executable.path, path])
        #expect(redirect.stdout == file.stdout, "a redirect from a file is the file")
        let doc = try CLIRunner.json(file.stdout)
        let measured = try #require(doc["partitions"] as? [[String: Any]]).map { $0["messages"] as? Int ?? -1 }
        #expect(measured == loads)
        #expect(doc["hotKeyErrorBound"] as? Double == 0)
        let hot = try #require(doc["hotKeys"] as? [[String: Any]])
        let heaviest = truth.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(4)
        #expect(hot.prefix(4).map { $0["key"] as? String ?? "" } == heaviest.map(\.key))
        for h in hot { #expect(h["messages"] as? Int == truth[h["key"] as? String ?? ""]) }
        // A pipe cannot be read twice: the same loads, counts with their bounds.
        let piped = try CLIRunner.run(
            sh, ["-c", "cat \"$1\" | \"$0\" keys - --partitions 12 --format json", CLIRunner.executable.path, path])
        let pipedLoads = try #require(try CLIRunner.json(piped.stdout)["partitions"] as? [[String: Any]])
        #expect(pipedLoads.map { $0["messages"] as? Int ?? -1 } == loads)
    }
}

/// Regressions found in review of the heavy-hitter bounds.
@Suite struct HotKeyRegressionTests {
    /// A weighted count past 2³² once overflowed a 32-bit counter's bound and trapped.
    @Test func aCountPastFourBillionIsReportedNotTrapped() throws {
        let r = try CLIRunner.run(
            ["keys", "-", "--weighted", "--partitions", "3", "--format", "json"], stdin: "a\t5000000000\na\t1\nb\t7\n")
        #expect(r.status == 0, "\(r.stderr)")
        let hot = try #require(try CLIRunner.json(r.stdout)["hotKeys"] as? [[String: Any]])
        let a = try #require(hot.first { $0["key"] as? String == "a" })
        let messages = try #require(a["messages"] as? Int)
        let bound = try #require(a["maxOverestimate"] as? Int)
        #expect(messages >= 5_000_000_001 && messages - bound <= 5_000_000_001)
    }

    /// A key evicted and admitted again ranked below exact keys by its small certain count, so the
    /// file was not recounted and the list claimed "exact counts" without its heaviest key.
    @Test func aReadmittedKeyIsRecountedAndListedFirst() throws {
        var lines = Array(repeating: "Y", count: 500)
        for i in 0..<1013 { lines += Array(repeating: "K\(i)", count: 600) }
        for i in 0..<10 { lines += Array(repeating: "D\(i)", count: 1000) }
        lines += Array(repeating: "Z", count: 600) + Array(repeating: "Y", count: 700)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("readmit-\(UUID().uuidString).txt")
            .path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run(["keys", path, "--partitions", "12", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        let hot = try #require(doc["hotKeys"] as? [[String: Any]])
        #expect(hot.first?["key"] as? String == "Y")
        #expect(hot.first?["messages"] as? Int == 1200)
        #expect(doc["hotKeyErrorBound"] as? Double == 0)
        // Every unlisted key has at most the stated ceiling (the truth: K keys 600, Z 600, D 1000).
        let ceiling = try #require(doc["unlistedKeysAtMost"] as? Int)
        let listed = Set(hot.compactMap { $0["key"] as? String })
        let truth = Dictionary(lines.map { ($0, 1) }, uniquingKeysWith: +)
        for (key, count) in truth where !listed.contains(key) {
            #expect(count <= ceiling, "\(key): \(count) > \(ceiling)")
        }
    }
}
