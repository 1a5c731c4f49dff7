import Foundation
import Testing

/// `cluster describe` and `cluster api-versions` against a real broker (Tansu), compared with what
/// an independent client (confluent-kafka / librdkafka) reports; connection failures exit 3 in time.
@Suite(.serialized) struct ClusterCommandTests {
    @Test(.requires(.tansu, .python("confluent_kafka"))) func describeAgreesWithConfluentKafka() throws {
        guard let binary = Peers.tansu else { return Peers.missing("Tansu broker (.build-peers/tansu)") }
        guard Peers.pythonHas("confluent_kafka") else { return Peers.missing("python module confluent_kafka") }
        let broker = try TansuBroker(binary: binary)
        try broker.createTopic("orders", partitions: 6)
        try broker.createTopic("payments", partitions: 2)
        let ours = try CLIRunner.run([
            "cluster", "describe", "--bootstrap", broker.bootstrap, "--format", "json", "--timeout", "10s",
        ])
        #expect(ours.status == 0, "\(ours.stderr)")
        let doc = try CLIRunner.json(ours.stdout)
        let peer = try Peers.run(
            "python3", [Peers.script.appendingPathComponent("describe_cluster.py").path, broker.bootstrap])
        #expect(peer.status == 0, "\(peer.stderr)")
        let theirs = try CLIRunner.json(peer.stdout)

        func brokers(_ d: [String: Any]) -> [String] {
            (d["brokers"] as? [[String: Any]] ?? []).map { "\($0["id"] ?? "")@\($0["host"] ?? ""):\($0["port"] ?? "")" }
        }
        #expect(brokers(doc) == brokers(theirs))
        #expect(doc["controllerId"] as? Int == theirs["controllerId"] as? Int)
        func topics(_ d: [String: Any]) -> [String] {
            (d["topics"] as? [[String: Any]] ?? []).filter { !(($0["name"] as? String) ?? "").hasPrefix("__") }.flatMap
            { t in
                (t["partitions"] as? [[String: Any]] ?? []).map { p in
                    "\(t["name"] ?? "")/\(p["partition"] ?? "") leader \(p["leader"] ?? "") replicas \(p["replicas"] ?? "") isr \(p["isr"] ?? "")"
                }
            }.sorted()
        }
        #expect(topics(doc) == topics(theirs))
        #expect(topics(doc).count == 8)

        let versions = try CLIRunner.run(["cluster", "api-versions", "--bootstrap", broker.bootstrap])
        #expect(versions.status == 0)
        #expect(versions.stdout.contains("Metadata"))
        #expect(versions.stdout.contains("usable: 12"))
    }

    /// Three brokers: librdkafka's mock cluster, started inside confluent-kafka.
    @Test(.requires(.python("confluent_kafka"))) func describeAMultiBrokerMockClusterLikeLibrdkafka() throws {
        guard Peers.pythonHas("confluent_kafka") else { return Peers.missing("python module confluent_kafka") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Peers.script.appendingPathComponent("mock_cluster.py").path, "3", "20"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate() }
        // The first line is the mock cluster's description; it stays up while we query it.
        var line = Data()
        while !line.contains(10) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let theirs = try CLIRunner.json(String(decoding: line, as: UTF8.self))
        let bootstrap = try #require(theirs["bootstrap"] as? String)
        let ours = try CLIRunner.run([
            "cluster", "describe", "--bootstrap", bootstrap, "--format", "json", "--timeout", "10s",
        ])
        #expect(ours.status == 0, "\(ours.stderr)")
        let doc = try CLIRunner.json(ours.stdout)
        #expect((doc["brokers"] as? [[String: Any]])?.map { $0["id"] as? Int ?? -1 } == [1, 2, 3])
        let topic = try #require((doc["topics"] as? [[String: Any]])?.first { $0["name"] as? String == "mock-topic" })
        let mine = (topic["partitions"] as? [[String: Any]] ?? []).map {
            "\($0["partition"]!) \($0["leader"]!) \($0["replicas"]!) \($0["isr"]!)"
        }
        let peerTopic = try #require(
            (theirs["topics"] as? [[String: Any]])?.first { $0["name"] as? String == "mock-topic" })
        let peer = (peerTopic["partitions"] as? [[String: Any]] ?? []).map {
            "\($0["partition"]!) \($0["leader"]!) \($0["replicas"]!) \($0["isr"]!)"
        }
        #expect(mine == peer)
        #expect(mine.count == 4)
    }

    /// keys --bootstrap reads what confluent-kafka produced and names the partitioner it used.
    @Test(.requires(.tansu, .python("confluent_kafka"))) func keysFromALiveTopicDetectTheProducersPartitioner() throws {
        guard let binary = Peers.tansu else { return Peers.missing("Tansu broker (.build-peers/tansu)") }
        guard Peers.pythonHas("confluent_kafka") else { return Peers.missing("python module confluent_kafka") }
        let broker = try TansuBroker(binary: binary)
        let produce = Peers.script.appendingPathComponent("produce_keys.py").path
        let cases: [(topic: String, runs: [(String, String)], expect: String)] = [
            ("java-like", [("murmur2_random", "1")], "murmur2"),
            ("crc-like", [("consistent_random", "1")], "CRC-32"),
            ("mixed", [("murmur2_random", "1"), ("consistent_random", "2")], "disagree"),
        ]
        for c in cases {
            try broker.createTopic(c.topic, partitions: 6)
            for (partitioner, seed) in c.runs {
                let r = try Peers.run("python3", [produce, broker.bootstrap, c.topic, partitioner, "300", seed])
                #expect(r.status == 0, "\(r.stderr)")
            }
            let r = try CLIRunner.run([
                "keys", "--bootstrap", broker.bootstrap, "--topic", c.topic, "--sample", "1000", "--format", "json",
            ])
            #expect(r.status == 0, "\(c.topic): \(r.stderr)")
            let doc = try CLIRunner.json(r.stdout)
            let live = try #require(doc["live"] as? [String: Any])
            let detected = try #require(live["partitioner"] as? [String: Any])
            let verdict = detected["verdict"] as? String ?? ""
            if c.expect == "disagree" {
                #expect(detected["disagree"] as? Bool == true, "\(verdict)")
            } else {
                #expect((detected["family"] as? String)?.hasPrefix(c.expect) == true, "\(c.topic): \(verdict)")
            }
            #expect(doc["partitionCount"] as? Int == 6)
            #expect(doc["totalMessages"] as? Int == 300 * c.runs.count)
            // The analysis places keys with what the producers use (the first run's, when mixed).
            let placement = try #require(live["placement"] as? [String: Any])
            #expect(placement["source"] as? String == "detected", "\(c.topic): \(placement)")
            #expect(doc["partitioner"] as? String == placement["partitioner"] as? String)
            let family = c.runs[0].0 == "consistent_random" ? "consistent_random" : "java"
            if c.expect != "disagree" { #expect(placement["partitioner"] as? String == family) }
        }
        let missing = try CLIRunner.run(["keys", "--bootstrap", broker.bootstrap, "--topic", "nope", "--timeout", "5s"])
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("does not exist"))
    }

    @Test func refusedConnectionExitsThreeWithOneLine() throws {
        let port = try TansuBroker.freePort()  // free: nothing listens there
        let r = try CLIRunner.run(["cluster", "describe", "--bootstrap", "127.0.0.1:\(port)", "--timeout", "3s"])
        #expect(r.status == 3)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains("127.0.0.1:\(port)"))
    }

    /// A port that is not Kafka (it greets first, like SSH) and one that never answers.
    @Test func notKafkaAndSilentPeersExitThreeWithinTheTimeout() throws {
        for greeting in ["SSH-2.0-OpenSSH_9.2\r\n", ""] {
            let listener = try FakeServer(greeting: greeting)
            let start = Date()
            let r = try CLIRunner.run([
                "cluster", "describe", "--bootstrap", "127.0.0.1:\(listener.port)", "--timeout", "2s",
            ])
            let elapsed = Date().timeIntervalSince(start)
            #expect(r.status == 3, "\(r.stderr)")
            #expect(elapsed < 5, "took \(elapsed) s with --timeout 2s")
            #expect(
                r.stderr.contains(greeting.isEmpty ? "no response within 2 s" : "not a Kafka broker"), "\(r.stderr)")
        }
    }

    @Test func badBootstrapIsAUsageError() throws {
        let r = try CLIRunner.run(["cluster", "describe", "--bootstrap", "kafka"])
        #expect(r.status == 2)
    }
}

/// A TCP listener on loopback that accepts, optionally sends a greeting, and then stays silent.
final class FakeServer {
    let fd: Int32
    let port: Int
    let thread: Thread

    init(greeting: String) throws {
        guard let (listening, bound) = Loopback.bound() else { throw PeerError("no free port") }
        fd = listening
        port = bound
        listen(listening, 4)
        let bytes = Array(greeting.utf8)
        thread = Thread {
            let c = accept(listening, nil, nil)
            if c >= 0 && !bytes.isEmpty { _ = bytes.withUnsafeBytes { send(c, $0.baseAddress, $0.count, 0) } }
            sleep(6)
            if c >= 0 { close(c) }
        }
        thread.start()
    }

    deinit { close(fd) }
}

/// A live topic with Zipf-distributed keys (s = 1.1): the truth is what the producer delivered, per
/// partition and per key, counted by the test from librdkafka's delivery reports.
@Suite(.serialized) struct LiveSkewTests {
    struct Truth {
        let partitions: [Int: Int]
        let keys: [String: Int]
        var total: Int { partitions.values.reduce(0, +) }
        var maxToMean: Double {
            let loads = (0..<6).map { Double(partitions[$0] ?? 0) }
            return (loads.max() ?? 0) / (loads.reduce(0, +) / 6)
        }
    }

    func produce(_ broker: TansuBroker, topic: String, partitioner: String, count: Int) throws -> Truth {
        try broker.createTopic(topic, partitions: 6)
        return try produce(bootstrap: broker.bootstrap, topic: topic, partitioner: partitioner, count: count)
    }

    func produce(bootstrap: String, topic: String, partitioner: String, count: Int) throws -> Truth {
        let script = Peers.script.appendingPathComponent("produce_zipf.py").path
        let r = try Peers.run("python3", [script, bootstrap, topic, partitioner, String(count), "7"], timeout: 300)
        try #require(r.status == 0, "\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        let partitions = (doc["partitions"] as? [String: Int] ?? [:]).reduce(into: [Int: Int]()) {
            $0[Int($1.key) ?? -1] = $1.value
        }
        return Truth(partitions: partitions, keys: doc["keys"] as? [String: Int] ?? [:])
    }

    /// The same on librdkafka's mock cluster: three brokers lead two partitions each, read at once, and
    /// its high watermarks are exact.
    @Test(.requires(.mockCluster, .python("confluent_kafka")))
    func skewIsMeasuredOnAThreeBrokerCluster() throws {
        guard let binary = MockCluster.binary else { return Peers.missing("librdkafka mock cluster") }
        let mock = try MockCluster(binary: binary, arguments: ["--brokers", "3", "--topic", "zipf:6:3"])
        let truth = try produce(bootstrap: mock.bootstrap, topic: "zipf", partitioner: "murmur2_random", count: 4000)
        try #require(truth.total == 4000)
        let hottest = try #require(truth.keys.max { $0.value < $1.value })
        let r = try CLIRunner.run([
            "keys", "--bootstrap", mock.bootstrap, "--topic", "zipf", "--sample", "1200", "--format", "json",
        ])
        try #require(r.status == 0, "\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        let loads = try #require(doc["partitions"] as? [[String: Any]])
        #expect(loads.map { $0["messages"] as? Int ?? -1 } == (0..<6).map { truth.partitions[$0] ?? 0 })
        #expect(abs((doc["maxToMeanRatio"] as? Double ?? 0) - truth.maxToMean) < 1e-3)
        let hot = try #require((doc["hotKeys"] as? [[String: Any]])?.first)
        #expect(hot["key"] as? String == hottest.key)
        let share = try #require(hot["share"] as? Double)
        #expect(abs(share - Double(hottest.value) / 4000) < 0.04)
        let live = try #require(doc["live"] as? [String: Any])
        #expect((live["placement"] as? [String: Any])?["partitioner"] as? String == "java")
    }

    /// --window measures the traffic, not what is retained: 2,000 records produced before the command
    /// starts are left out, and the loads are exactly the 1,500 records produced while it waits.
    @Test(.requires(.mockCluster, .python("confluent_kafka")))
    func aWindowMeasuresTheTrafficInIt() throws {
        guard let binary = MockCluster.binary else { return Peers.missing("librdkafka mock cluster") }
        let mock = try MockCluster(binary: binary, arguments: ["--brokers", "3", "--topic", "zipf:6:3"])
        let before = try produce(bootstrap: mock.bootstrap, topic: "zipf", partitioner: "murmur2_random", count: 2000)
        try #require(before.total == 2000)
        let command = Process()
        command.executableURL = CLIRunner.executable
        command.arguments = [
            "keys", "--bootstrap", mock.bootstrap, "--topic", "zipf", "--window", "6s", "--timeout", "20s",
            "--sample", "all", "--format", "json",
        ]
        let out = Pipe()
        command.standardOutput = out
        command.standardError = FileHandle.nullDevice
        try command.run()
        Thread.sleep(forTimeInterval: 1.5)  // the window has opened: its first reading takes milliseconds
        let during = try produce(
            bootstrap: mock.bootstrap, topic: "zipf", partitioner: "consistent_random", count: 1500)
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        command.waitUntilExit()
        try #require(command.terminationStatus == 0)
        try #require(during.total == 1500)
        let doc = try CLIRunner.json(text)
        let loads = try #require(doc["partitions"] as? [[String: Any]])
        #expect(loads.map { $0["messages"] as? Int ?? -1 } == (0..<6).map { during.partitions[$0] ?? 0 })
        #expect((doc["loadSource"] as? String)?.contains("6 s window") == true)
        let live = try #require(doc["live"] as? [String: Any])
        #expect(live["appendedRecords"] as? Int == 1500)
        #expect(live["sampledRecords"] as? Int == 1500)
        #expect(live["windowSeconds"] as? Double == 6)
        // Only the window's records were sampled: their partitioner, not the one before.
        let detected = try #require(live["partitioner"] as? [String: Any])
        #expect((detected["family"] as? String)?.hasPrefix("CRC-32") == true)
        let hot = try #require((doc["hotKeys"] as? [[String: Any]])?.first)
        let hottest = try #require(during.keys.max { $0.value < $1.value })
        #expect(hot["key"] as? String == hottest.key)
        #expect(hot["messages"] as? Int == hottest.value)
    }

    /// Two producers with different partitioners, one after the other (1,390 then 10 records) and at the
    /// same time (1,500 each): both reported as mixed, each producer's share within 2 points of what it
    /// delivered. The truth is the producers' own delivery counts.
    @Test(.requires(.tansu, .python("confluent_kafka")))
    func mixedProducersAreReportedWithTheirShares() throws {
        guard let binary = Peers.tansu else { return Peers.missing("Tansu broker (.build-peers/tansu)") }
        let broker = try TansuBroker(binary: binary)
        let script = Peers.script.appendingPathComponent("produce_keys.py").path
        func delivered(_ output: String) throws -> Int { try CLIRunner.json(output)["delivered"] as? Int ?? -1 }

        try broker.createTopic("sequential", partitions: 6)
        let crc = try Peers.run("python3", [script, broker.bootstrap, "sequential", "consistent_random", "1390", "1"])
        let java = try Peers.run("python3", [script, broker.bootstrap, "sequential", "murmur2_random", "10", "2"])
        try #require(crc.status == 0 && java.status == 0, "\(crc.stderr) \(java.stderr)")
        let sequential = (crc: try delivered(crc.stdout), java: try delivered(java.stdout))

        try broker.createTopic("concurrent", partitions: 6)
        let a = Process()
        let b = Process()
        let outA = Pipe()
        let outB = Pipe()
        for (p, partitioner, seed, out) in [(a, "consistent_random", "3", outA), (b, "murmur2_random", "4", outB)] {
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3", script, broker.bootstrap, "concurrent", partitioner, "1500", seed]
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
        }
        let textA = String(decoding: outA.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let textB = String(decoding: outB.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        a.waitUntilExit()
        b.waitUntilExit()
        let concurrent = (crc: try delivered(textA), java: try delivered(textB))

        for (topic, truth) in [("sequential", sequential), ("concurrent", concurrent)] {
            let r = try CLIRunner.run([
                "keys", "--bootstrap", broker.bootstrap, "--topic", topic, "--sample", "all", "--format", "json",
            ])
            try #require(r.status == 0, "\(topic): \(r.stderr)")
            let live = try #require(try CLIRunner.json(r.stdout)["live"] as? [String: Any])
            let detected = try #require(live["partitioner"] as? [String: Any])
            #expect(detected["disagree"] as? Bool == true, "\(topic): \(detected["verdict"] ?? "")")
            let producers = try #require(detected["producers"] as? [[String: Any]])
            let crcShare =
                producers.first { ($0["family"] as? String)?.hasPrefix("CRC-32") == true }?["share"] as? Double
            let trueShare = Double(truth.crc) / Double(truth.crc + truth.java)
            #expect(crcShare.map { abs($0 - trueShare) < 0.02 } == true, "\(topic): \(producers) vs \(trueShare)")
        }
    }

    /// Loads come from the partitions' offsets, so they are exact whatever the sample size; the sample is
    /// taken in proportion, so the hottest key's share stays close to the truth.
    @Test(.requires(.tansu, .python("confluent_kafka")), arguments: ["consistent_random", "murmur2_random"])
    func skewIsMeasuredNotFlattened(partitioner: String) throws {
        guard let binary = Peers.tansu else { return Peers.missing("Tansu broker (.build-peers/tansu)") }
        let broker = try TansuBroker(binary: binary)
        let truth = try produce(broker, topic: "zipf", partitioner: partitioner, count: 3000)
        try #require(truth.total == 3000)
        let hottest = try #require(truth.keys.max { $0.value < $1.value })

        for sample in ["all", "900"] {
            let r = try CLIRunner.run([
                "keys", "--bootstrap", broker.bootstrap, "--topic", "zipf", "--sample", sample, "--format", "json",
            ])
            try #require(r.status == 0, "\(r.stderr)")
            let doc = try CLIRunner.json(r.stdout)
            let loads = try #require(doc["partitions"] as? [[String: Any]])
            for l in loads {
                let p = l["partition"] as? Int ?? -1
                #expect(l["messages"] as? Int == truth.partitions[p] ?? 0, "partition \(p), --sample \(sample)")
            }
            let reported = try #require(doc["maxToMeanRatio"] as? Double)
            #expect(abs(reported - truth.maxToMean) < 1e-3, "--sample \(sample): \(reported) vs \(truth.maxToMean)")
            #expect((doc["loadSource"] as? String)?.contains("log-end") == true)
            #expect((doc["unreadPartitions"] as? [Int])?.isEmpty == true)
            let live = try #require(doc["live"] as? [String: Any])
            let hot = try #require((doc["hotKeys"] as? [[String: Any]])?.first)
            #expect(hot["key"] as? String == hottest.key, "--sample \(sample)")
            let share = try #require(hot["share"] as? Double)
            let trueShare = Double(hottest.value) / Double(truth.total)
            #expect(doc["keysFromSample"] as? Bool == (sample != "all"))
            if sample == "all" {
                #expect(live["sampledRecords"] as? Int == 3000)
                #expect(abs(share - trueShare) < 1e-6)
                #expect(hot["shareMargin"] == nil, "every record read: the share is exact")
                #expect(hot["messages"] as? Int == hottest.value)
            } else {
                // 900 of 3000 records, in proportion: the share is within 4 points of the truth.
                #expect((live["sampledRecords"] as? Int).map { abs($0 - 900) <= 6 } == true, "\(live)")
                #expect(abs(share - trueShare) < 0.04, "\(share) vs \(trueShare)")
                // The estimate says how far off it may be: its 95% margin, computed here from the sample size.
                let margin = try #require(hot["shareMargin"] as? Double)
                let n = Double(live["sampledRecords"] as? Int ?? 1)
                #expect(abs(margin - 1.96 * (share * (1 - share) / n).squareRoot()) < 1e-5)
            }
        }
    }
}
