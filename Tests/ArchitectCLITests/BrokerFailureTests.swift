import Foundation
import Testing

/// A cluster that loses a broker: librdkafka's mock cluster with racks, scripted from the test.
@Suite(.serialized, .requires(.mockCluster)) struct BrokerFailureTests {
    func cluster() throws -> MockCluster? {
        guard let binary = MockCluster.binary else {
            Peers.missing("librdkafka mock cluster (.build-peers/mock_cluster, built from Tests/Peers/mock_cluster.c)")
            return nil
        }
        let c = try MockCluster(
            binary: binary,
            arguments: [
                "--brokers", "3", "--rack", "1=eu-a", "--rack", "2=eu-b", "--rack", "3=eu-c", "--topic", "orders:6:3",
            ])
        // Leaders 1,2,3,1,2,3 so broker 2 leads partitions 1 and 4.
        for p in 0..<6 {
            try c.command("leader orders \(p) \(p % 3 + 1)")
            try c.command("produce orders \(p) 20")
        }
        return c
    }

    /// Racks and leaders as the mock cluster reports them.
    @Test func describeShowsRacksAndTheScriptedLeaders() throws {
        guard let mock = try cluster() else { return }
        let r = try CLIRunner.run(["cluster", "describe", "--bootstrap", mock.bootstrap, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        let brokers = try #require(doc["brokers"] as? [[String: Any]])
        let expected = try #require(mock.description["brokers"] as? [[String: Any]])
        #expect(
            brokers.map { "\($0["id"]!)@\($0["port"]!) \($0["rack"] as? String ?? "-")" }
                == expected.map { "\($0["id"]!)@\($0["port"]!) \($0["rack"] as? String ?? "-")" })
        let topic = try #require((doc["topics"] as? [[String: Any]])?.first { $0["name"] as? String == "orders" })
        #expect((topic["partitions"] as? [[String: Any]])?.map { $0["leader"] as? Int } == [1, 2, 3, 1, 2, 3])

        // And what confluent-kafka (librdkafka 2.16) sees of the same cluster, partition by partition.
        guard Peers.pythonHas("confluent_kafka") else { return Peers.missing("python module confluent_kafka") }
        let peer = try Peers.run(
            "python3", [Peers.script.appendingPathComponent("describe_cluster.py").path, mock.bootstrap], timeout: 60)
        #expect(peer.status == 0, "\(peer.stderr)")
        let theirs = try CLIRunner.json(peer.stdout)
        func rows(_ t: [String: Any]?) -> [String] {
            (t?["partitions"] as? [[String: Any]] ?? []).map {
                "\($0["partition"]!) \($0["leader"]!) \($0["replicas"]!) \($0["isr"]!)"
            }
        }
        let theirTopic = (theirs["topics"] as? [[String: Any]])?.first { $0["name"] as? String == "orders" }
        #expect(rows(topic) == rows(theirTopic))
        #expect(rows(topic).count == 6)
        #expect(
            (theirs["brokers"] as? [[String: Any]])?.map { "\($0["id"]!)@\($0["port"]!)" }
                == brokers.map { "\($0["id"]!)@\($0["port"]!)" })
    }

    /// keys --bootstrap with broker 2 down: the other leaders' partitions are read, and the answer
    /// says which partitions are missing and why — at once, not after the timeout.
    @Test func aDownBrokerIsNamedAndTheRestIsRead() throws {
        guard let mock = try cluster() else { return }
        try mock.command("down 2")
        let start = Date()
        let r = try CLIRunner.run([
            "keys", "--bootstrap", mock.bootstrap, "--topic", "orders", "--sample", "600", "--format", "json",
            "--timeout", "5s",
        ])
        #expect(Date().timeIntervalSince(start) < 5)
        // A partial answer: printed whole, marked incomplete, exit 3 with one line saying what is missing.
        #expect(r.status == 3, "\(r.stderr)")
        #expect(
            r.stderr
                == "kafka-architect: error: incomplete: partitions 1,4 of orders could not be read (see the notes)\n")
        let doc = try CLIRunner.json(r.stdout)
        let live = try #require(doc["live"] as? [String: Any])
        #expect(live["sampledRecords"] as? Int == 80)
        #expect(live["complete"] as? Bool == false)
        #expect(live["missing"] as? [Int] == [1, 4])
        // Unknown loads are left out: the four partitions read, and no verdict built on zeros.
        #expect(doc["unreadPartitions"] as? [Int] == [1, 4])
        #expect((doc["partitions"] as? [[String: Any]])?.map { $0["partition"] as? Int } == [0, 2, 3, 5])
        #expect((doc["chiSquare"] as? [String: Any])?["degreesOfFreedom"] as? Int == 3)
        let notes = live["notes"] as? [String] ?? []
        #expect(notes.count == 1)
        #expect(notes.first?.contains("partitions 1,4") == true, "\(notes)")
        #expect(notes.first?.contains("leader 2") == true, "\(notes)")

        let versions = try CLIRunner.run(["cluster", "api-versions", "--bootstrap", mock.bootstrap, "--timeout", "5s"])
        #expect(versions.status == 3)
        #expect(versions.stdout.contains("UNREACHABLE"))
        #expect(
            versions.stdout.components(separatedBy: "Metadata").count == 3,
            "brokers 1 and 3 still listed with their APIs")
        #expect(versions.stderr.contains("1 of 3 brokers did not answer"))
    }

    /// A slow broker (5 s per round trip) once held `--timeout 8s` for 45 s: partitions were read
    /// one after another and each request had the whole timeout. Leaders are now read at once and
    /// every request ends by the deadline.
    @Test func aSlowBrokerDoesNotHoldTheTimeout() throws {
        guard let mock = try cluster() else { return }
        // 12 s per round trip against --timeout 8s: the healthy leaders have seconds to spare even when
        // the whole suite loads both cores (6 s was once not enough for partition 0 there).
        try mock.command("rtt 2 12000")
        let start = Date()
        let r = try CLIRunner.run([
            "keys", "--bootstrap", mock.bootstrap, "--topic", "orders", "--sample", "600", "--format", "json",
            "--timeout", "8s",
        ])
        let elapsed = Date().timeIntervalSince(start)
        #expect(elapsed < 9, "took \(elapsed) s")
        #expect(r.status == 3, "\(r.stderr)")
        let doc = try CLIRunner.json(r.stdout)
        let live = try #require(doc["live"] as? [String: Any])
        #expect(live["missing"] as? [Int] == [1, 4], "\(live)")
        #expect(live["sampledRecords"] as? Int == 80)
    }

    /// Broker 2 goes down while we wait for its (slowed) answer: the connection drops mid-read.
    @Test func aBrokerLostMidReadIsReported() throws {
        guard let mock = try cluster() else { return }
        try mock.command("rtt 2 3000")
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = [
            "keys", "--bootstrap", mock.bootstrap, "--topic", "orders", "--sample", "600", "--format", "json",
            "--timeout", "8s",
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let start = Date()
        try process.run()
        Thread.sleep(forTimeInterval: 1.5)
        try mock.command("down 2")
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        // Within --timeout and one second.
        #expect(Date().timeIntervalSince(start) < 9)
        #expect(process.terminationStatus == 3)
        let doc = try CLIRunner.json(String(decoding: data, as: UTF8.self))
        let live = try #require(doc["live"] as? [String: Any])
        let notes = (live["notes"] as? [String] ?? []).joined(separator: " | ")
        #expect(notes.contains("leader 2"), "\(notes)")
        #expect(notes.contains("1,4"), "\(notes)")
        #expect(live["sampledRecords"] as? Int == 80)
    }
}
