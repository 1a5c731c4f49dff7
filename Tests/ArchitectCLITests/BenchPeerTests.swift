import Foundation
import Testing

/// `bench` (issue 19) against real peers: what it writes is read back by confluent-kafka (librdkafka), a broker
/// slowed with the mock cluster's round-trip delay shows as latency and is named, and a rate the broker cannot
/// carry is reported as not sustained. The mock has no CreateTopics: runs there use its topics
/// (--i-know-this-is-live).
@Suite(.serialized) struct BenchPeerTests {
    static func json(_ text: String) throws -> [String: Any] { try CLIRunner.json(text) }

    static func report(_ doc: [String: Any]) -> [String: Any] { doc["report"] as? [String: Any] ?? [:] }

    @Test(.requires(.tansu, .python("confluent_kafka")))
    func recordsAreReadBackByConfluentKafkaWithoutDuplicates() throws {
        guard let binary = Peers.tansu else { return Peers.missing("the Tansu broker") }
        let tansu = try TansuBroker(binary: binary)
        let keys = (0..<7).map { "tenant-\($0 * 13)" }
        let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-keys.txt")
        try keys.joined(separator: "\n").write(to: keyFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: keyFile) }
        let r = try CLIRunner.run([
            "bench", "produce", "--bootstrap", tansu.bootstrap, "--rate", "3k/s", "--records", "3000", "--keys",
            "file:\(keyFile.path)", "--value-size", "300B", "--compression", "lz4", "--keep", "--format", "json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let report = Self.report(try Self.json(r.stdout))
        let topic = try #require(report["topic"] as? String)
        #expect(topic.hasPrefix("kafka-architect-bench-"))
        #expect(report["records"] as? Int == 3000)
        #expect((report["errors"] as? [String: Any])?.isEmpty == true)
        #expect(report["retries"] as? Int == 0)

        let read = try Peers.run(
            "python3", [Peers.script.appendingPathComponent("bench_readback.py").path, tansu.bootstrap, topic, "6"],
            timeout: 90)
        #expect(read.status == 0, "\(read.stderr)")
        let records = try #require(try Self.json(read.stdout)["records"] as? [[Any]])
        // Every sequence number once: nothing lost, nothing written twice (idempotence on, no retry needed).
        let seqs = records.compactMap { $0[2] as? Int }
        #expect(seqs.count == 3000)
        #expect(Set(seqs) == Set(0..<3000))
        for rec in records {
            guard let seq = rec[2] as? Int, let key = rec[1] as? String else { continue }
            // The key file is replayed in order: record n carries key n mod 7.
            #expect(key == keys[seq % keys.count], "record \(seq)")
            #expect(rec[3] as? Int == 300)
            #expect(rec[4] as? Int == 8)
        }
        // Keyed records: every key in one partition (murmur2), as the Java client would place it.
        var partitionOfKey: [String: Set<Int>] = [:]
        for rec in records { partitionOfKey[rec[1] as? String ?? "", default: []].insert(rec[0] as? Int ?? -1) }
        #expect(partitionOfKey.values.allSatisfy { $0.count == 1 })
    }

    /// The mock answers the next Produce requests with retriable errors (without writing them) and checks the
    /// idempotent producer's sequence numbers: the failed batches are retried, the ones sent after them come back
    /// OUT_OF_ORDER_SEQUENCE and are resent behind them — and confluent-kafka reads every record exactly once, in
    /// sequence order within each partition.
    @Test(.requires(.mockCluster216, .python("confluent_kafka")))
    func retriedBatchesAreWrittenOnceAndInOrder() throws {
        guard let binary = MockCluster.binary216 else { return Peers.missing("librdkafka 2.16's mock cluster") }
        let mock = try MockCluster(binary: binary, arguments: ["--brokers", "1", "--topic", "retry:3:1"])
        try mock.command("errors 0 7 4")  // Produce: REQUEST_TIMED_OUT, 4 times
        try mock.command("errors 0 6 2")  // then NOT_LEADER_OR_FOLLOWER, twice (Metadata is read again)
        let r = try CLIRunner.run([
            "bench", "produce", "--bootstrap", mock.bootstrap, "--topic", "retry", "--i-know-this-is-live", "--rate",
            "2k/s", "--records", "2000", "--keys", "uniform:50", "--format", "json",
        ])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let report = Self.report(try Self.json(r.stdout))
        #expect(report["records"] as? Int == 2000)
        #expect((report["retries"] as? Int ?? 0) >= 6, "\(report["retries"] ?? "")")
        let read = try Peers.run(
            "python3", [Peers.script.appendingPathComponent("bench_readback.py").path, mock.bootstrap, "retry", "3"],
            timeout: 90)
        #expect(read.status == 0, "\(read.stderr)")
        let records = try #require(try Self.json(read.stdout)["records"] as? [[Any]])
        let seqs = records.compactMap { $0[2] as? Int }
        #expect(seqs.count == 2000)
        #expect(Set(seqs) == Set(0..<2000), "every record once")
        for p in 0..<3 {
            let inPartition = records.filter { $0[0] as? Int == p }.compactMap { $0[2] as? Int }
            #expect(inPartition == inPartition.sorted(), "partition \(p) in the order produced")
        }
    }

    @Test(.requires(.mockCluster216))
    func aSlowBrokerShowsAsLatencyAndIsNamed() throws {
        guard let binary = MockCluster.binary216 else { return Peers.missing("librdkafka 2.16's mock cluster") }
        let mock = try MockCluster(binary: binary, arguments: ["--brokers", "1", "--topic", "load:6:1"])
        let args = [
            "bench", "produce", "--bootstrap", mock.bootstrap, "--topic", "load", "--i-know-this-is-live", "--rate",
            "500/s", "--duration", "3s", "--format", "json",
        ]
        let fast = try CLIRunner.run(args)
        #expect(fast.status == 0, "\(fast.stderr)")
        let before = Self.report(try Self.json(fast.stdout))
        let p50Before = try #require((before["latency"] as? [String: Any])?["p50"] as? Double)

        try mock.command("rtt 1 150")
        let slow = try CLIRunner.run(args)
        // Slow, yet keeping up: every record acknowledged 150 ms after it was due — the rate held, exit 0.
        #expect(slow.status == 0, "\(slow.stdout)\(slow.stderr)")
        let doc = try Self.json(slow.stdout)
        #expect((doc["verdict"] as? [String: Any])?["sustained"] as? Bool == true, "\(doc["verdict"] ?? "")")
        let after = Self.report(doc)
        let p50After = try #require((after["latency"] as? [String: Any])?["p50"] as? Double)
        let request = try #require((after["requestLatency"] as? [String: Any])?["p50"] as? Double)
        #expect(p50After >= 150_000, "p50 \(p50After) µs with a 150 ms round trip")
        #expect(p50After > 10 * p50Before)
        #expect(request >= 150_000)
        let bottleneck = try #require(doc["bottleneck"] as? [String: Any])
        #expect(bottleneck["kind"] as? String == "broker response time", "\(bottleneck)")
    }

    /// librdkafka's mock cluster answers an empty Fetch only when fetch.max.wait.ms runs out, not when records
    /// arrive (Apache Kafka answers then): records wait for the consumer, which e2e must blame, not the producer.
    @Test(.requires(.mockCluster216))
    func aBrokerHoldingFetchesIsNamedInEndToEnd() throws {
        guard let binary = MockCluster.binary216 else { return Peers.missing("librdkafka 2.16's mock cluster") }
        let mock = try MockCluster(binary: binary, arguments: ["--brokers", "1", "--topic", "e2e:3:1"])
        let args = [
            "bench", "e2e", "--bootstrap", mock.bootstrap, "--topic", "e2e", "--i-know-this-is-live", "--rate",
            "1000/s", "--duration", "3s", "--format", "json",
        ]
        let held = try CLIRunner.run(args)
        #expect(held.status == 0, "\(held.stderr)")
        let doc = try Self.json(held.stdout)
        let report = Self.report(doc)
        let e2e = try #require((report["latency"] as? [String: Any])?["p50"] as? Double)
        let acked = try #require((report["ackLatency"] as? [String: Any])?["p50"] as? Double)
        // Records arrive all the time and each waits for the next 500 ms answer: about 250 ms at the median.
        #expect(e2e >= 100_000, "e2e p50 \(e2e) µs")
        #expect(acked < 50_000, "ack p50 \(acked) µs")
        #expect(report["records"] as? Int == 3000)
        let bottleneck = try #require(doc["bottleneck"] as? [String: Any])
        #expect(bottleneck["kind"] as? String == "consumer fetch wait", "\(bottleneck)")

        let short = try CLIRunner.run(args + ["--fetch-max-wait-ms", "20"])
        #expect(short.status == 0, "\(short.stderr)")
        let quick = try Self.json(short.stdout)
        let p99 = try #require((Self.report(quick)["latency"] as? [String: Any])?["p99"] as? Double)
        #expect(p99 < 100_000, "e2e p99 \(p99) µs with a 20 ms wait")
        // Still the wait's doing, now bounded by it: the report says the wait it saw.
        let finding = (quick["bottleneck"] as? [String: Any])?["evidence"] as? String ?? ""
        #expect(!finding.contains("fetch.max.wait.ms 500"), "\(finding)")
    }

    @Test(.requires(.mockCluster216))
    func aRateTheBrokerCannotCarryIsNotSustained() throws {
        guard let binary = MockCluster.binary216 else { return Peers.missing("librdkafka 2.16's mock cluster") }
        let mock = try MockCluster(binary: binary, arguments: ["--brokers", "1", "--topic", "load:1:1"])
        // One partition, one request in flight, 300 ms per round trip, 16 KB batches of 1 KB records: at most
        // ~53 records/s get through; 5,000/s are asked.
        try mock.command("rtt 1 300")
        let r = try CLIRunner.run([
            "bench", "produce", "--bootstrap", mock.bootstrap, "--topic", "load", "--i-know-this-is-live", "--rate",
            "5k/s", "--duration", "3s", "--max-in-flight", "1", "--format", "json",
        ])
        #expect(r.status == 1, "\(r.stderr)")
        let doc = try Self.json(r.stdout)
        let verdict = try #require(doc["verdict"] as? [String: Any])
        #expect(verdict["sustained"] as? Bool == false)
        let report = Self.report(doc)
        #expect((report["behindSchedule"] as? Int ?? 0) > 10_000)
        // The records never sent count at their wait: the p99 is at least most of the run, not one round trip.
        let p99 = try #require((report["latency"] as? [String: Any])?["p99"] as? Double)
        #expect(p99 >= 2_000_000, "p99 \(p99) µs")

        // End to end the same: the records the consumer never saw count at their wait, not as absent.
        let e2e = try CLIRunner.run([
            "bench", "e2e", "--bootstrap", mock.bootstrap, "--topic", "load", "--i-know-this-is-live", "--rate",
            "5k/s", "--duration", "3s", "--max-in-flight", "1", "--format", "json",
        ])
        #expect(e2e.status == 1, "\(e2e.stderr)")
        let e2eDoc = try Self.json(e2e.stdout)
        #expect((e2eDoc["verdict"] as? [String: Any])?["sustained"] as? Bool == false)
        let e2eP99 = try #require((Self.report(e2eDoc)["latency"] as? [String: Any])?["p99"] as? Double)
        #expect(e2eP99 >= 2_000_000, "e2e p99 \(e2eP99) µs")
    }

    @Test(.requires(.mockCluster))
    func aTopicWithFewerPartitionsThanAskedIsAnInputError() throws {
        guard let binary = MockCluster.binary else { return Peers.missing("librdkafka's mock cluster") }
        let mock = try MockCluster(binary: binary, arguments: ["--brokers", "1", "--topic", "load:6:1"])
        let r = try CLIRunner.run([
            "bench", "produce", "--bootstrap", mock.bootstrap, "--topic", "load", "--i-know-this-is-live",
            "--partitions", "12", "--records", "10",
        ])
        #expect(r.status == 2)
        #expect(r.stderr.contains("load has 6 partitions, fewer than --partitions 12"), "\(r.stderr)")
        let refused = try CLIRunner.run([
            "bench", "produce", "--bootstrap", mock.bootstrap, "--topic", "load", "--records", "10",
        ])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--i-know-this-is-live"), "\(refused.stderr)")
    }

    /// Rates in every unit the message offers pass the flag checks and reach the cluster (here none: exit 3).
    @Test(arguments: [["--rate", "1M/s"], ["--rate", "2.5k/s"], ["--rate", "MAX"], ["--rate", "100M/s"]])
    func validRatesReachTheCluster(_ flags: [String]) throws {
        let r = try CLIRunner.run(["bench", "produce", "--bootstrap", "127.0.0.1:1", "--timeout", "2s"] + flags)
        #expect(r.status == 3, "\(r.stderr)")
    }

    @Test(arguments: [
        (["--rate", "0/s"], "give more than 0"),
        (["--rate", "5000"], "with the unit, e.g. 50k/s"),
        (["--compression", "brotli"], "give none, gzip, snappy, lz4 or zstd"),
        (["--keys", "zipf:100"], "zipf:COUNT:SKEW"),
        (["--acks", "1", "--max-in-flight", "0"], "--max-in-flight 0"),
        (["--fetch-max-wait-ms", "99999999999999999999"], "--fetch-max-wait-ms"),
        (["--fetch-max-wait-ms", "40000"], "--fetch-max-wait-ms 40000: give 0 to 30000"),
        (["--rate", "0.01/s", "--duration", "10s"], "no record is due in --duration 10"),
        (["--mb-per-second", "1e-14"], "no record is due in --duration"),
        (["--rate", "0.0001/s", "--records", "10"], "takes more than 24h"),
        (["--link-gbps", "0"], "--link-gbps 0.0: give the link's speed"),
    ])
    func badFlagsAreOneLineAndExit2(_ flags: [String], _ message: String) throws {
        let r = try CLIRunner.run(["bench", "produce", "--bootstrap", "127.0.0.1:1"] + flags)
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }
}

/// `bench --file`: the design's workload and plan, and its production topics protected.
@Suite(.serialized) struct BenchPlanPeerTests {
    static func file(stage: String) throws -> URL {
        let text = """
            version: 1
            name: clinic
            environment:
              provider: aws
              availabilityZones: 1
              instance: m7g.large
              stage: \(stage)
            policy:
              replicationFactor: 1
              minInsyncReplicas: 1
              produceLatencyP99: 2s
            topics:
              - name: clinic.vitals
                messagesPerSecond: 400
                messageSize: 600B
                peakToAverage: 2
                compression: lz4
                retention: 1d
              - name: clinic.audit
                messagesPerSecond: 10
                messageSize: 200B
                retention: 7d
            """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-clinic.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test(.requires(.tansu))
    func theDesignsBusiestTopicSetsTheWorkloadAndTheTarget() throws {
        guard let binary = Peers.tansu else { return Peers.missing("the Tansu broker") }
        let tansu = try TansuBroker(binary: binary)
        let file = try Self.file(stage: "development")
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try CLIRunner.run([
            "bench", "produce", "--bootstrap", tansu.bootstrap, "--file", file.path, "--duration", "2s", "--format",
            "json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        let report = try #require(doc["report"] as? [String: Any])
        let settings = try #require(report["settings"] as? [String: Any])
        // clinic.vitals: 400 msg/s × peak 2 = 800 records/s of 600 B, lz4.
        #expect(settings["rate"] as? Double == 800)
        #expect(settings["valueSize"] as? Int == 600)
        #expect(settings["compression"] as? String == "lz4")
        let plan = try #require(report["plan"] as? [String: Any])
        #expect(plan["workloadTopic"] as? String == "clinic.vitals")
        #expect(plan["sloSeconds"] as? Double == 2)
        let verdict = try #require(doc["verdict"] as? [String: Any])
        #expect(verdict["sloMet"] as? Bool == true, "\(verdict)")
        // Created and deleted: the topic is gone afterwards.
        let topic = try #require(report["topic"] as? String)
        let after = try CLIRunner.run(["cluster", "describe", "--bootstrap", tansu.bootstrap, "--format", "json"])
        #expect(!after.stdout.contains(topic))
    }

    @Test func aProductionFilesTopicIsNeverWritten() throws {
        let file = try Self.file(stage: "production")
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try CLIRunner.run([
            "bench", "produce", "--bootstrap", "127.0.0.1:1", "--timeout", "1s", "--file", file.path, "--topic",
            "clinic.vitals", "--i-know-this-is-live",
        ])
        // Refused before anything connects.
        #expect(r.status == 2)
        #expect(r.stderr.contains("marks it as production data"), "\(r.stderr)")
    }
}

/// No peer sets throttle_time_ms: a hand-written broker answers every Produce with one, and bench must back off
/// and name the throttling.
@Suite struct BenchThrottleTests {
    @Test func throttledProduceResponsesAreNamedAsTheBottleneck() throws {
        let fake = try FakeBroker(behaviour: .acceptProduce(throttleMs: 40))
        let r = try CLIRunner.run([
            "bench", "produce", "--bootstrap", fake.bootstrap, "--topic", "events", "--i-know-this-is-live",
            "--no-idempotence", "--rate", "1k/s", "--duration", "2s", "--format", "json",
        ])
        let doc = try CLIRunner.json(r.stdout)
        let report = try #require(doc["report"] as? [String: Any])
        let requests = try #require(report["requests"] as? Int)
        #expect(report["throttledResponses"] as? Int == requests)
        #expect(report["throttleMs"] as? Int == 40 * requests)
        // Unthrottled, 1,000 records/s with linger.ms 5 over 2 partitions is ~200 requests a second (~400 in 2 s).
        // Muted 40 ms after each answer, up to 5 requests go out per unmuted window: about 2 s / 40 ms windows,
        // seen here ~100. Without the back-off this would be ~400.
        #expect(requests <= 200, "\(requests) requests: the producer did not back off")
        #expect(fake.produced.withLockedValue { $0 } == requests)
        let bottleneck = try #require(doc["bottleneck"] as? [String: Any])
        #expect(bottleneck["kind"] as? String == "broker throttling", "\(bottleneck)")
    }
}
